"""Per-request organisation context and the MFA rule for vendor staff."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from guichet.core.tenancy import tenant_scope
from guichet.core.viewer import zone_of

from .access_cache import access_of, offered
from .mfa_enrolled import has_mfa


class ActiveOrganisationMiddleware:
    """Attach the active organisation, membership and granted applications.

    Customer requests then run inside the organisation's tenant scope, so
    tenant querysets work; staff and anonymous requests run without one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organisation = None  # type: ignore[attr-defined]
        request.membership = None  # type: ignore[attr-defined]
        request.memberships = []  # type: ignore[attr-defined]
        request.granted_applications = set()  # type: ignore[attr-defined]
        user = request.user
        if user.is_authenticated and not user.is_vendor_staff:
            memberships, grants = access_of(user)  # cached until a membership, grant or organisation changes
            active_id = request.session.get("active_organisation")
            membership = next((m for m in memberships if m.organisation_id == active_id), None)
            if membership is None and memberships:
                membership = memberships[0]
            request.memberships = memberships  # type: ignore[attr-defined]
            if membership is not None:
                request.membership = membership  # type: ignore[attr-defined]
                request.organisation = membership.organisation  # type: ignore[attr-defined]
                organisation = membership.organisation
                request.granted_applications = offered(grants, organisation)  # type: ignore[attr-defined]
                with tenant_scope(organisation):
                    return self.get_response(request)
        return self.get_response(request)


class ViewerTimezoneMiddleware:
    """Every time on the page in the viewer's zone (`core.viewer`): after the active organisation is known."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        viewer = user if user.is_authenticated else None
        staff = bool(viewer and viewer.is_vendor_staff)
        with timezone.override(zone_of(viewer, getattr(request, "organisation", None), staff=staff)):
            return self.get_response(request)


# Paths a member of staff without MFA may still open: enrolment itself, logout, assets.
_MFA_EXEMPT_PREFIXES = ("/static/", "/media/", "/api/", "/i18n/")
_MFA_EXEMPT_NAMES = (
    "account_logout",
    "mfa_activate_totp",
    "mfa_index",
    "mfa_add_webauthn",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "account_reauthenticate",
    "set_language",
)


class StaffMfaRequiredMiddleware:
    """Agents and administrators must enrol a second factor before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.is_vendor_staff
            and not request.path.startswith(_MFA_EXEMPT_PREFIXES)
            and not has_mfa(user)  # first: enrolled staff (every page) need no URL resolved
        ):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            if match is None or match.url_name not in _MFA_EXEMPT_NAMES:
                return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
