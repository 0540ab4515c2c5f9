"""Administrators look up any order, its parcels and what carriers reported (raw payloads included).

Read-only: orders change through the services (console, webhook), where the quantity
rules, the timeline and the customers' e-mails apply.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from guichet.accounts.admin import ScopesDisabledAdmin
from guichet.core.tenancy import across_organisations

from .models import Order, OrderLine, Shipment, TrackingEvent


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LineInline(ReadOnly, admin.TabularInline):
    model = OrderLine
    fields = ("position", "product_code", "description", "quantity", "unit_price", "status", "cancelled")
    extra = 0


class ShipmentInline(ReadOnly, admin.TabularInline):
    model = Shipment
    fields = ("carrier", "tracking_number", "status", "status_at", "dispatched_at", "delivered_at", "location")
    extra = 0


@admin.register(Order)
class OrderAdmin(ReadOnly, ScopesDisabledAdmin):
    list_display = ("number", "organisation", "ordered_on", "status", "purchase_order")
    list_filter = ("status", "organisation__country")
    search_fields = ("number", "purchase_order", "organisation__customer_number")
    list_select_related = ("organisation",)
    inlines = (LineInline, ShipmentInline)

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        # The inlines' rows are read while the page renders: render it inside the cross-organisation view.
        with across_organisations():
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if isinstance(response, TemplateResponse):
                response.render()
            return response


@admin.register(TrackingEvent)
class TrackingEventAdmin(ReadOnly, ScopesDisabledAdmin):
    list_display = ("event_id", "shipment", "status", "occurred_at", "applied", "source", "received_at")
    list_filter = ("status", "applied", "source")
    search_fields = ("event_id", "shipment__tracking_number")
    list_select_related = ("shipment",)
