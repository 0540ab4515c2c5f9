"""What every page's layout needs from identities: the menus by grants, and the organisations."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix
from django.utils import translation

from .models import Application
from .navigation import application_url, console_menu


def _is_vendor_staff(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_vendor_staff)


@lru_cache(maxsize=256)
def _applications(granted: frozenset[str], language: str, prefix: str) -> tuple[dict[str, str], ...]:
    # `language` and `prefix` are what the labels and application_url read: part of the key.
    return tuple(
        {"value": app, "label": str(label), "url": application_url(app)}
        for app, label in Application.choices
        if app in granted
    )


def navigation(request: HttpRequest) -> dict[str, Any]:
    granted: set[str] = getattr(request, "granted_applications", set())
    return {
        # The customer's menu, built once per set of grants and language (every page shows it).
        "navigation": _applications(frozenset(granted), translation.get_language() or "", get_script_prefix()),
        "console_menu": console_menu(request.path) if _is_vendor_staff(request) else None,
        "active_organisation": getattr(request, "organisation", None),
        "memberships": getattr(request, "memberships", []),
    }
