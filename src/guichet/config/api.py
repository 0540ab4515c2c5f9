"""The HTTP API at /api/v1: one NinjaAPI, a router per context, one error format."""

from __future__ import annotations

from enum import StrEnum

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_scopes import ScopeError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from guichet.core.contexts import contexts
from guichet.core.errors import Code, DomainError

api = NinjaAPI(
    title="Guichet API",
    version="1",
    urls_namespace="api-1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request: HttpRequest, status: int, code: StrEnum, message: str, details: dict | None = None) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "details": details or {}}, status=status)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.code, str(exc.message), exc.details)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, 422, Code.VALIDATION_ERROR, _("Some fields are missing or invalid."), {"errors": exc.errors})


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, Code.UNAUTHENTICATED, _("Sign in or send a valid bearer token."))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, Code.NOT_FOUND, _("Not found."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):  # Ninja's own, in English
        return _error(request, 400, Code.INVALID_JSON, _("The body is not valid JSON."))
    return _error(request, exc.status_code, Code.HTTP_ERROR, str(exc))


@api.exception_handler(ScopeError)
def _scope_error(request: HttpRequest, exc: ScopeError) -> HttpResponse:  # pragma: no cover - a bug guard
    return _error(request, 404, Code.NOT_FOUND, _("Not found."))


# Each context adds its own router (core/contexts.py).
for context in contexts():
    if context.api_router:
        api.add_router("/", context.router())
