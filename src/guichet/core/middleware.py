"""Language choice (the URL prefix, else the signed-in user's profile, else the browser); NUL bytes refused;
a list's invalid page link answered once for every list."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _

from .paging import InvalidCursor
from .views import API_PREFIX, api_error, bad_request


class ProfileLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, preferring the user's profile language to the browser's.

    Sits after AuthenticationMiddleware so `request.user` is known.
    """

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        if get_language_from_path(request.path_info):
            return
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()


_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)


def _form_has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


def _body_has_nul(request: HttpRequest) -> bool:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return _form_has_nul(request.POST)  # files are checked by their own rules
    if request.content_type == "application/json":
        body = request.body
        return b"\x00" in body or bool(_JSON_NUL.search(body))
    return False


class RefuseNulBytesMiddleware:
    """A NUL character in the path, the query or a field is a 400, in one place.

    No person types one, PostgreSQL refuses to store or compare one (a 500 wherever a value reaches
    a query), and a text field holding one would be trouble further on (CSV, PDF, e-mail).
    Placed after the language is chosen, so the 400 is translated.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info or _form_has_nul(request.GET) or _body_has_nul(request):
            return bad_request(request)
        return self.get_response(request)


class ApiJsonBodiesMiddleware:
    """Under /api/, a body is JSON and says so: `text/plain` (or a form) is a 415, never parsed as JSON.

    A browser may send `text/plain` across origins without a preflight; parsing it as JSON would
    let another site post to the API with the user's session cookie.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path.startswith(API_PREFIX)
            and request.method in ("POST", "PUT", "PATCH")
            and request.headers.get("Content-Length", "0") not in ("", "0")
            and request.content_type != "application/json"
        ):
            return api_error(
                415, "unsupported_media_type", _("Send the body as JSON (Content-Type: application/json).")
            )
        return self.get_response(request)


class InvalidCursorMiddleware:
    """A forged, foreign or stale `?cursor=` on any list page (core/paging.py raises it): the translated
    400 page with the reason, here once rather than caught in every list view. The API answers it
    through its own DomainError handler."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, InvalidCursor):
            return render(request, "400.html", {"message": exception.message}, status=400)
        return None
