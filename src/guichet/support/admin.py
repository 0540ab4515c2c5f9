"""Administrators manage canned replies here and can look up any request."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guichet.accounts.admin import ScopesDisabledAdmin

from .models import CannedReply, Request


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ("title", "language", "country")
    list_filter = ("language", "country")
    search_fields = ("title", "body")


@admin.register(Request)
class RequestAdmin(ScopesDisabledAdmin):
    """Read-only: requests change through the console, where the rules and e-mails apply."""

    list_display = ("number", "subject", "type", "status", "priority", "created_at")
    list_filter = ("status", "type", "priority")
    search_fields = ("number", "subject")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
