"""Administrators keep the catalogue here; orders change only through the console, where the rules apply."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guichet.accounts.admin import ScopesDisabledAdmin

from .models import Attestation, BuyTechOrder, Eligibility, Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("sku", "brand", "model", "kind", "condition", "price", "admin_fee", "stock", "active")
    list_filter = ("kind", "condition", "active", "manufacturer_extended_care")
    search_fields = ("sku", "brand", "model")


class ReadOnlyAdmin(ScopesDisabledAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BuyTechOrder)
class BuyTechOrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "organisation", "status", "reserved_on", "confirmation_due")
    list_filter = ("status",)
    search_fields = ("number", "partner_id")


@admin.register(Eligibility)
class EligibilityAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "status", "source", "confirmed_at")
    list_filter = ("status", "source")


@admin.register(Attestation)
class AttestationAdmin(ReadOnlyAdmin):
    """Evidence: who signed which wording, when, from where. Never edited."""

    list_display = ("organisation", "wording_version", "signer_name", "signed_at", "ip")
