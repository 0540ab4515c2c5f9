"""API requests carrying a NUL character are refused with a 422 before any view sees them.

PostgreSQL text cannot hold a NUL (0x00): a NUL in a path, a query value or a JSON string
reached the database as a 500. No field of the API accepts one, so the refusal is the
standard validation error naming where it was found.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
NUL = "\x00"


def _strings(value: Any, loc: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield [*loc, key], key
            yield from _strings(item, [*loc, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, [*loc, index])


def _json_body(request: HttpRequest) -> Any:
    if request.content_type != "application/json":
        return None
    try:
        return json.loads(request.body)
    except ValueError:
        return None  # not JSON: the API's own parsing answers


def nul_locations(request: HttpRequest) -> list[list[str | int]]:
    found: list[list[str | int]] = []
    if NUL in request.path:
        found.append(["path"])
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in value for value in values):
            found.append(["query", name])
    found.extend(["body", *loc] for loc, text in _strings(_json_body(request), []) if NUL in text)
    return found


class RejectNulBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            found = nul_locations(request)
            if found:
                errors = [
                    {"type": "null_characters_not_allowed", "loc": loc, "msg": _("Null characters are not allowed.")}
                    for loc in found
                ]
                body = {
                    "code": "validation_error",
                    "message": _("Some fields are missing or invalid."),
                    "details": {"errors": errors},
                }
                return JsonResponse(body, status=422)
        return self.get_response(request)
