"""Administrators look up contracts and issue ServicePac codes (terminations change through the console)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django_scopes import scopes_disabled

from guichet.accounts.admin import ScopesDisabledAdmin

from .models import Contract, ContractService, ServicePacCode


class RenderedAcrossOrganisations(ScopesDisabledAdmin):
    """Renders the page inside the scope-free block too: inlines and raw-id labels query scoped models."""

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with scopes_disabled():
            response = super().changeform_view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            return response

    def changelist_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with scopes_disabled():
            response = super().changelist_view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            return response


class ContractServiceInline(admin.TabularInline):
    model = ContractService
    extra = 0


@admin.register(Contract)
class ContractAdmin(RenderedAcrossOrganisations):
    list_display = ("number", "organisation", "kind", "status", "start_date", "end_date", "renewal_date")
    list_filter = ("kind", "status", "organisation__country")
    search_fields = ("number", "title", "organisation__name", "organisation__customer_number")
    raw_id_fields = ("organisation",)
    inlines = [ContractServiceInline]


@admin.register(ServicePacCode)
class ServicePacCodeAdmin(RenderedAcrossOrganisations):
    list_display = ("code", "organisation", "contract", "used_at", "machine")
    list_filter = ("used_at",)
    search_fields = ("code", "contract__number")
    raw_id_fields = ("organisation", "contract", "machine", "used_by")
    readonly_fields = ("used_at", "used_by", "machine")
