"""API plumbing shared by every router: the error body, the refused-input error, list pages."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import pydantic
from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.renderers import JSONRenderer

from .contexts import error_codes
from .errors import Code, DomainError


def _every_code(schema: dict[str, Any]) -> None:
    # Filled when the schema is generated: by then every context is loaded.
    schema["enum"] = error_codes()


# Far beyond any organisation's rows, far below what a database offset holds (a larger one was a 500).
MAX_PAGE = 1_000_000

# List parameters with their bounds in the OpenAPI description; out of bounds is a 422 like any bad field.
Page = Annotated[int, pydantic.Field(ge=1, le=MAX_PAGE)]
PageSize = Annotated[int, pydantic.Field(ge=1, le=settings.API_MAX_PAGE_SIZE)]
# An opaque cursor (core/paging.py): the previous page's `next`; a tampered one is a 400.
Cursor = Annotated[str, pydantic.Field(max_length=2000)]


class ErrorOut(Schema):
    code: str = Field(
        description="Stable: clients switch on it (the message is translated for people).",
        json_schema_extra=_every_code,
    )
    message: str
    details: dict[str, Any] = {}


class InvalidInput(DomainError):
    """Input a form or rule refused after the schema let it through: a 422 shaped like Ninja's own
    (`details.errors` holds `{"type", "loc", "msg"}` items)."""

    code: StrEnum = Code.VALIDATION_ERROR
    status = 422


class PageOut(Schema):
    count: int


def check_page(page: int, page_size: int) -> None:
    """Bad page numbers are a 400, not a crash; `API_MAX_PAGE_SIZE` bounds what a client may ask."""
    max_size = settings.API_MAX_PAGE_SIZE
    if page < 1 or page_size < 1 or page_size > max_size:
        raise DomainError(
            _("page must be at least 1 and page_size between 1 and %(max)s.") % {"max": max_size},
            code=Code.INVALID_PAGE,
        )


def paginate(queryset: QuerySet[Any], page: int, page_size: int) -> tuple[list[Any], int]:
    """A page of `queryset` and the total count."""
    check_page(page, page_size)
    count = queryset.count()
    start = (page - 1) * page_size
    if start >= count:  # past the end (page=4611686018427387904 too): an empty page, never a database error
        return [], count
    return list(queryset[start : start + page_size]), count


def json_response(data: Any, status: int = 200) -> HttpResponse:
    """`data` printed as Ninja prints an answer its response schema validated: its renderer and
    encoder, its content type. For a hot list whose rows are built from `.values()` in the schema's
    field order with the types it declares, so validating 25 rows again (pydantic builds a model per
    row, then dumps it) only costs time; a test of each such endpoint compares the bytes with the
    schema's own output. The endpoint keeps its `response=` schema for the OpenAPI description.
    """
    renderer = JSONRenderer()
    return HttpResponse(
        renderer.render(None, data, response_status=status),  # type: ignore[arg-type]  # it reads neither
        status=status,
        content_type=f"{renderer.media_type}; charset={renderer.charset}",
    )


def form_limit(form: type[forms.Form], name: str, default: Any = ...) -> Any:
    """A JSON field with the length limit of the form field the pages use: the API stores no more than they do."""
    return pydantic.Field(default, max_length=getattr(form.base_fields[name], "max_length", None))
