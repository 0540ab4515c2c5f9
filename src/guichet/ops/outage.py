"""While the database is unreachable: 503 and a translated "back in a moment", never a 500.

An unreachable database surfaces as OperationalError (or InterfaceError on a connection the
server closed) wherever the first query runs: in a view, or in a middleware loading the
session. Django turns either into a call of handler500 from inside its `except`, so that is the
one place that sees them all (the API lets unknown exceptions through to it when DEBUG is off).
Once the database answers again, the next request opens a new connection (CONN_HEALTH_CHECKS
drops a dead persistent one first), so pages recover without a restart.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _

from guichet.accounts.login_limits import UNAVAILABLE
from guichet.core import shared_cache
from guichet.core import views as core_views

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


def is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 itself: JSON for the API, else a page that needs neither the database nor a context processor."""
    language = translation.get_language_from_request(request, check_path=True)
    with translation.override(language):
        if request.path_info.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {
                    "code": "service_unavailable",
                    "message": _("The service is briefly unavailable. Please try again in a moment."),
                    "details": {},
                },
                status=503,
            )
        else:
            page = loader.get_template("503.html").render({"LANGUAGE_CODE": language})
            response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage is a 503; anything else the portal's 500 page."""
    exc = sys.exc_info()[1]
    if not is_outage(exc):
        return core_views.server_error(request)
    # One line, not Django's stack trace for every request of the outage: the cause is known.
    first_line = next(iter(str(exc).strip().splitlines()), "")
    log.warning("database unavailable, answered 503: %s: %s", type(exc).__name__, first_line)
    response = unavailable(request)
    response._has_been_logged = True  # type: ignore[attr-defined]  # Django's own mark: skip its error log
    return response


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """allauth's handler429 (it looks one up in ROOT_URLCONF): a limit refused the action.

    allauth refuses too when it cannot count (its lock cannot be taken without the shared cache):
    that is said as what it is, a 503 for a few minutes, not an accusation of too many tries."""
    status, code = (429, "throttled") if shared_cache.reachable() else (503, "sign_in_unavailable")
    message = _("Too many attempts. Please wait a few minutes, then try again.") if status == 429 else UNAVAILABLE
    if request.path.startswith(core_views.API_PREFIX):
        response: HttpResponse = core_views.api_error(status, code, str(message))
    else:
        response = render(request, "429.html", {"unavailable": message if status == 503 else ""}, status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
