"""Keyset (cursor) paging: a page costs the same at row 10 as at row 1,000,000.

An offset page makes the database walk every row before it, and a page count needs a COUNT(*)
over the whole set. A keyset page asks for the rows after the last one shown, on an index:

    page = keyset_page(queryset, ordering=("-updated_at", "-id"), cursor=request.GET.get("cursor"),
                       size=25, name="cases")

`page.next` is an opaque cursor (signed: a client cannot forge one that walks another
ordering or list; a tampered or foreign cursor is an `InvalidCursor`, a 400 with a translated
message). The ordering must end on a unique field (the primary key) so every row has one place.
`capped_count()` says how many rows there are up to a cap ("more than 1,000"), never more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from .errors import Code, DomainError

SALT = "guichet.core.paging"
COUNT_CAP = 1000


class InvalidCursor(DomainError):
    code = Code.INVALID_CURSOR
    status = 400

    def __init__(self) -> None:
        super().__init__(_("This page link is not valid (any more). Start again from the first page."))


@dataclass(frozen=True)
class KeysetPage:
    items: list[Any]
    next: str | None  # the cursor of the following page; None on the last one
    first: bool  # no cursor was given: this is the first page

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    return value


def _decode(queryset: QuerySet[Any], name: str, value: Any) -> Any:
    if value is None:
        return None
    try:
        field = queryset.model._meta.get_field(name)
    except FieldDoesNotExist:
        # An annotation the list sorts by (a count): only a whole number can be ours.
        if name in queryset.query.annotations and isinstance(value, int) and not isinstance(value, bool):
            return value
        raise InvalidCursor from None
    raw = value.get("d", value.get("n")) if isinstance(value, dict) else value
    try:
        return field.to_python(raw)
    except Exception as error:  # a value of the wrong type for its field: the cursor was not ours
        raise InvalidCursor from error


def _fields(ordering: Sequence[str]) -> list[tuple[str, bool]]:
    return [(term.lstrip("-"), term.startswith("-")) for term in ordering]


def _after(fields: list[tuple[str, bool]], values: list[Any], nullable: frozenset[str]) -> Q:
    """Rows strictly after `values` in the ordering. Nullable fields sort their NULLs last."""
    condition = Q(pk__in=[])  # nothing: built up below as an OR of "equal so far, then after"
    equal_so_far = Q()
    for (name, descending), value in zip(fields, values, strict=True):
        if value is None:
            # After a NULL come only rows NULL here too (NULLs last): the next fields decide.
            step = Q(pk__in=[])
            equal = Q(**{f"{name}__isnull": True})
        else:
            step = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
            if name in nullable:
                step |= Q(**{f"{name}__isnull": True})
            equal = Q(**{name: value})
        condition |= equal_so_far & step
        equal_so_far &= equal
    return condition


def order_by(queryset: QuerySet[Any], ordering: Sequence[str], nullable: Sequence[str] = ()) -> QuerySet[Any]:
    terms = []
    for name, descending in _fields(ordering):
        expression = F(name)
        nulls = {"nulls_last": True} if name in nullable else {}
        terms.append(expression.desc(**nulls) if descending else expression.asc(**nulls))
    return queryset.order_by(*terms)


def keyset_page(
    queryset: QuerySet[Any],
    *,
    ordering: Sequence[str],
    cursor: str | None,
    size: int,
    name: str,
    nullable: Sequence[str] = (),
) -> KeysetPage:
    """The `size` rows after `cursor` (the first ones without), ordered by `ordering`.

    `name` ties a cursor to its list and ordering: one list's cursor is refused by another.
    """
    fields = _fields(ordering)
    key = f"{name}:{','.join(ordering)}"
    rows = order_by(queryset, ordering, nullable)
    if cursor:
        try:
            payload = signing.loads(cursor, salt=SALT)
        except signing.BadSignature as error:
            raise InvalidCursor from error
        if not isinstance(payload, dict) or payload.get("k") != key or not isinstance(payload.get("v"), list):
            raise InvalidCursor
        if len(payload["v"]) != len(fields):
            raise InvalidCursor
        values = [_decode(queryset, field, value) for (field, _desc), value in zip(fields, payload["v"], strict=True)]
        rows = rows.filter(_after(fields, values, frozenset(nullable)))
    items = list(rows[: size + 1])
    following = None
    if len(items) > size:
        items = items[:size]
        last = items[-1]
        following = signing.dumps(
            {"k": key, "v": [_encode(getattr(last, field if field != "pk" else "pk")) for field, _d in fields]},
            salt=SALT,
            compress=True,
        )
    return KeysetPage(items=items, next=following, first=not cursor)


def capped_count(queryset: QuerySet[Any], cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows, counted up to `cap` only: (cap, True) means "more than cap"."""
    found = queryset.order_by().values("pk")[: cap + 1].count()
    return min(found, cap), found > cap


def with_capped_count(queryset: QuerySet[Any], alias: str, cap: int = COUNT_CAP) -> QuerySet[Any]:
    """`queryset` with a column `alias` holding what `capped_count(queryset)` counts (up to cap + 1):
    the page and its count read in one statement, one round trip (the count is a subquery that does
    not depend on the row, computed once). Read it back with `capped_count_of`."""
    capped = queryset.order_by().values("pk")[: cap + 1]
    sql, params = capped.query.sql_with_params()
    count = f"SELECT COUNT(*) FROM ({sql}) capped"  # noqa: S608 (Django's own SQL, its values in params)
    return queryset.annotate(**{alias: RawSQL(count, params)})  # noqa: S611 (the same)


def capped_count_of(
    items: Sequence[Any], alias: str, queryset: QuerySet[Any], cap: int = COUNT_CAP
) -> tuple[int, bool]:
    """`capped_count(queryset)` from the count a page's first row carries (`with_capped_count`); a page
    with no row (past the last one) asks the database."""
    if not items:
        return capped_count(queryset, cap)
    found = int(getattr(items[0], alias))
    return min(found, cap), found > cap
