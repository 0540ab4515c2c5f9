"""API plumbing shared by every router: the error body, list pages."""

from __future__ import annotations

from typing import Any

import pydantic
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Schema

from .errors import DomainError


class ErrorOut(Schema):
    code: str
    message: str
    details: dict[str, Any] = {}


class PageOut(Schema):
    count: int


def paginate(queryset: QuerySet[Any], page: int, page_size: int, max_size: int = 100) -> tuple[list[Any], int]:
    """A page of `queryset` and the total count; bad numbers are a 400, not a crash."""
    if page < 1 or page_size < 1 or page_size > max_size:
        raise DomainError(
            _("page must be at least 1 and page_size between 1 and %(max)s.") % {"max": max_size},
            code="invalid_page",
        )
    count = queryset.count()
    start = (page - 1) * page_size
    if start >= count:  # past the end (page=4611686018427387904 too): an empty page, never a database error
        return [], count
    return list(queryset[start : start + page_size]), count


def form_limit(form: type[forms.Form], name: str, default: Any = ...) -> Any:
    """A JSON field with the length limit of the form field the pages use: the API stores no more than they do."""
    return pydantic.Field(default, max_length=getattr(form.base_fields[name], "max_length", None))
