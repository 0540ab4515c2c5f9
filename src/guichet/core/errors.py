"""Domain errors with stable codes; pages and the API format them the same way."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.functional import Promise


class Code(StrEnum):
    """The kernel's own codes and the API's generic answers; each context has its own `Code` in its errors.py."""

    CONFLICT = "conflict"
    FORBIDDEN = "forbidden"
    HTTP_ERROR = "http_error"
    IMPORT_REJECTED = "import_rejected"
    INVALID = "invalid"
    INVALID_CURSOR = "invalid_cursor"
    INVALID_JSON = "invalid_json"
    INVALID_PAGE = "invalid_page"
    NOT_FOUND = "not_found"
    SEAL_UNAVAILABLE = "seal_unavailable"
    UNAUTHENTICATED = "unauthenticated"
    VALIDATION_ERROR = "validation_error"


class DomainError(Exception):
    """A rule said no. `code` is stable (API clients switch on it); `message` is translated."""

    # A member of the raising context's `Code` (its errors.py) or of core's: the OpenAPI schema lists them all.
    code: StrEnum = Code.INVALID
    status = 400

    def __init__(
        self, message: str | Promise, *, code: StrEnum | None = None, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.details = details or {}


class NotFound(DomainError):
    """Missing, or belongs to another organisation: callers cannot tell which."""

    code: StrEnum = Code.NOT_FOUND
    status = 404


class PermissionDenied(DomainError):
    code: StrEnum = Code.FORBIDDEN
    status = 403


class Conflict(DomainError):
    code: StrEnum = Code.CONFLICT
    status = 409
