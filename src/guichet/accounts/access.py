"""View guards: sign-in, application grants, vendor staff."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from guichet.core.case_selectors import Reader

from . import rules, selectors
from .models import Application

View = Callable[..., HttpResponseBase]


def application_forbidden(request: HttpRequest, application: str) -> HttpResponse:
    """The 403 page: says which application is closed and how to ask for it."""
    return render(
        request,
        "accounts/application_forbidden.html",
        {"application": application, "application_label": Application(application).label},
        status=403,
    )


def customer_required(view: View) -> View:
    """A signed-in customer with an active organisation (staff work in the console)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.organisation is None:  # type: ignore[attr-defined]
            # A pending applicant is told whose approval they wait for.
            applications = selectors.join_requests_of(request.user)
            return render(request, "accounts/no_organisation.html", {"join_requests": applications}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def application_required(application: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @customer_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            # Not offered in the organisation's country (Buy Tech outside Belgium): no such page here.
            if not rules.application_offered(application, request.organisation.country):  # type: ignore[attr-defined]
                raise Http404
            if application not in request.granted_applications:  # type: ignore[attr-defined]
                return application_forbidden(request, application)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def staff_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_vendor_staff:
            return render(request, "403.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def case_reader(request: Any) -> Reader:
    """Who reads the case index on a customer page (`customer_required` ran): grants and admin role."""
    return Reader(
        user_id=request.user.pk, granted=frozenset(request.granted_applications), is_admin=request.membership.is_admin
    )
