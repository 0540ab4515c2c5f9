"""Domain errors with stable codes; pages and the API format them the same way."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule said no. `code` is stable (API clients switch on it); `message` is translated."""

    code = "invalid"
    status = 400

    def __init__(
        self, message: str | Promise, *, code: str | None = None, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.details = details or {}


class NotFound(DomainError):
    """Missing, or belongs to another organisation: callers cannot tell which."""

    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    code = "forbidden"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409
