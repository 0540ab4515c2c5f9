"""Administrators can look up invoices and payments; changes go through the console and services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guichet.accounts.admin import ScopesDisabledAdmin

from .models import Invoice, Payment


class ReadOnly(ScopesDisabledAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnly):
    list_display = ("number", "kind", "organisation", "issue_date", "due_date", "total", "currency", "status")
    list_filter = ("kind", "status", "currency")
    search_fields = ("number", "po_reference", "organisation__customer_number")
    list_select_related = ("organisation",)


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = ("reference", "organisation", "date", "amount", "currency", "allocated", "source")
    list_filter = ("source", "currency", "method")
    search_fields = ("reference", "organisation__customer_number")
    list_select_related = ("organisation",)
