"""What every page's layout needs from identities: the menus by grants, and the organisations."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import Application
from .navigation import application_url, console_menu


def _is_vendor_staff(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_vendor_staff)


def navigation(request: HttpRequest) -> dict[str, Any]:
    granted: set[str] = getattr(request, "granted_applications", set())
    return {
        "navigation": [
            {"value": app, "label": label, "url": application_url(app)}
            for app, label in Application.choices
            if app in granted
        ],
        "console_menu": console_menu(request.path) if _is_vendor_staff(request) else None,
        "active_organisation": getattr(request, "organisation", None),
        "memberships": getattr(request, "memberships", []),
    }
