"""One page of a list for the pages (the API pages with `core.api.paginate`).

How many rows a list shows is a setting: `PAGE_SIZE` for all, `PAGE_SIZES[name]` for one list.
The template side is `partials/pagination.html`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def page_size(name: str) -> int:
    size: int = settings.PAGE_SIZES.get(name, settings.PAGE_SIZE)
    return size


def page_of(request: HttpRequest, name: str, items: QuerySet[Any] | Sequence[Any]) -> Page[Any]:
    """The page `?page=` asks for; a missing, wrong or too-large number gives the first or last page."""
    return Paginator(items, page_size(name)).get_page(request.GET.get("page"))
