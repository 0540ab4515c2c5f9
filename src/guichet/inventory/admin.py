"""Administrators can look up machines and the service actions on them; changes go through the portal."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guichet.accounts.admin import ScopesDisabledAdmin

from .models import Machine, Relocation, RepairRequest, SiteChange, Transfer


class ReadOnlyAdmin(ScopesDisabledAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Machine)
class MachineAdmin(ReadOnlyAdmin):
    list_display = ("machine_type", "model", "serial", "organisation", "site_country", "warranty_end", "departed_on")
    list_filter = ("site_country", "machine_type")
    search_fields = ("serial", "machine_type", "description")


@admin.register(RepairRequest)
class RepairRequestAdmin(ReadOnlyAdmin):
    list_display = ("number", "machine", "kind", "coverage", "handling", "status", "created_at")
    list_filter = ("status", "coverage", "handling")
    search_fields = ("number",)


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ("number", "machine", "kind", "status", "leaves_on", "last_charged_day")
    list_filter = ("status", "kind")
    search_fields = ("number",)


@admin.register(Relocation)
class RelocationAdmin(ReadOnlyAdmin):
    list_display = ("number", "machine", "from_country", "to_country", "status", "desired_date")
    list_filter = ("status",)
    search_fields = ("number",)


@admin.register(SiteChange)
class SiteChangeAdmin(ReadOnlyAdmin):
    list_display = ("machine", "actor", "created_at", "reviewed_at")
