"""API plumbing shared by every router: the error body, list pages."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field

from .errors import DomainError

MAX_PAGE_SIZE = 100
# Far beyond any organisation's rows, far below what a database offset holds (a larger one was a 500).
MAX_PAGE = 1_000_000

# List parameters with their bounds in the OpenAPI description; out of bounds is a 422 like any bad field.
Page = Annotated[int, Field(ge=1, le=MAX_PAGE)]
PageSize = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)]



class ErrorOut(Schema):
    code: str
    message: str
    details: dict[str, Any] = {}


class PageOut(Schema):
    count: int


def paginate(queryset: QuerySet[Any], page: int, page_size: int) -> tuple[list[Any], int]:
    """A page of `queryset` and the total count; bad numbers are a 400, not a crash."""
    if page < 1 or page_size < 1 or page_size > MAX_PAGE_SIZE:
        raise DomainError(
            _("page must be at least 1 and page_size between 1 and %(max)s.") % {"max": MAX_PAGE_SIZE},
            code="invalid_page",
        )
    start = (page - 1) * page_size
    return list(queryset[start : start + page_size]), queryset.count()
