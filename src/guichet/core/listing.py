"""Lists people can work with: sort by a column, remembered filters, export of what is filtered.

A list declares a `ListSpec` (its name, its sortable columns, its default order, the query
parameters that are its filters). Its view then:

    if redirect := restore_filters(request, SPEC):  # bare URL → the user's last filters
        return redirect
    ... validate the filter form; if valid: save_filters(request, SPEC)
    sorting = sorting_of(request, SPEC)             # ?sort=col or ?sort=-col; unknown → default
    rows = sorting.apply(queryset)
    if (kind := export_of(request)) == "csv": return csv_export(...)

and its template includes `partials/sort_header.html` (per column) and
`partials/list_tools.html` (reset filters, CSV / PDF links). Exports carry the same query string,
so they hold exactly what the page filters, in the page's order, every row (not one page).

Worklists (the agents' console pages) are built as Python lists from derived rows, several on one
page: their columns carry a `value` (how to read a built row), their spec its own `param`, and
`worklist(request, SPEC, rows)` sorts the rows and gives the page its headers and export link;
`rows_csv` exports exactly those rows, one cell per column.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from types import MappingProxyType
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import BadRequest
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe

from .csvfiles import SafeWriter
from .documents import render_pdf
from .downloads import download, streamed_download
from .pagination import page_size
from .paging import KeysetPage, keyset_page, order_by

# A stored query string longer than this is not a person's filters: not stored.
MAX_REMEMBERED = 1000
EXPORT_FORMATS = ("csv", "pdf")
# A printed list stops here (a PDF is built whole in memory); the CSV has no limit.
MAX_PDF_ROWS = 2000
# Parameters that are never remembered: they say what to do once, not how to see the list.
ONE_OFF = ("page", "cursor", "export", "reset")


@dataclass(frozen=True)
class Column:
    key: str  # what ?sort= says
    label: str | Promise
    fields: tuple[str, ...] = ()  # the order_by fields, ascending (a queryset)
    # How to read a row already built (a worklist): the sort key and the exported cell.
    value: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class ListSpec:
    name: str  # unique across the portal: the key of the remembered filters
    columns: tuple[Column, ...]
    default: str  # "-date": a column key, "-" for descending
    filters: tuple[str, ...] = ()  # the query parameters that filter this list
    # The query parameter of its order: a list sharing its page with others names its own, and its
    # exports then carry `list=<name>` so each list exports only itself.
    param: str = "sort"

    @property
    def shares_page(self) -> bool:
        return self.param != "sort"

    def column(self, key: str) -> Column | None:
        return next((column for column in self.columns if column.key == key), None)


@dataclass(frozen=True)
class Sorting:
    spec: ListSpec
    key: str
    descending: bool

    @property
    def param(self) -> str:
        return f"-{self.key}" if self.descending else self.key

    def order_by(self) -> list[str]:
        column = self.spec.column(self.key)
        assert column is not None
        fields = [f"-{name}" if self.descending else name for name in column.fields]
        # A unique last key keeps the order stable from page to page.
        return [*fields, "-pk" if self.descending else "pk"]

    def apply(self, rows: QuerySet[Any], *, nullable: Sequence[str] = ()) -> QuerySet[Any]:
        """The rows in this order; `nullable` fields sort their blanks last either way, as `page` does."""
        if not nullable:
            return rows.order_by(*self.order_by())
        return order_by(rows, self.order_by(), nullable)

    def page(self, request: HttpRequest, rows: QuerySet[Any], *, nullable: Sequence[str] = ()) -> KeysetPage:
        """The page `?cursor=` asks for, in this order (keyset paging, core/paging.py): page 500 costs
        what page 1 does, and no page counts every row. `nullable` names the fields that may be NULL
        (they sort last either way). An invalid or foreign cursor raises `InvalidCursor` (a 400)."""
        pk = rows.model._meta.pk.attname  # the cursor stores field values: the primary key by its name
        ordering = [f"-{pk}" if term == "-pk" else pk if term == "pk" else term for term in self.order_by()]
        return keyset_page(
            rows,
            ordering=ordering,
            cursor=request.GET.get("cursor"),
            size=page_size(self.spec.name),
            name=f"list:{self.spec.name}",
            nullable=nullable,
        )

    def sort_rows(self, rows: Iterable[Any]) -> list[Any]:
        """Rows already built, in this order: by the column's `value`, text without case, blanks last."""
        column = self.spec.column(self.key)
        assert column is not None and column.value is not None, f"{self.spec.name}.{self.key}: no value"
        read = column.value
        keyed = [(_sort_key(read(row)), row) for row in rows]
        present = [pair for pair in keyed if pair[0] is not None]
        present.sort(key=lambda pair: pair[0], reverse=self.descending)  # stable: ties keep the built order
        return [row for _, row in present] + [row for key, row in keyed if key is None]


def _sort_key(value: Any) -> Any:
    if value is None or value == "":
        return None
    return str(value).casefold() if isinstance(value, str | Promise) else value


def _parse(spec: ListSpec, value: str) -> Sorting | None:
    descending = value.startswith("-")
    key = value[1:] if descending else value
    return Sorting(spec, key, descending) if spec.column(key) else None


def sorting_of(request: HttpRequest, spec: ListSpec) -> Sorting:
    """The order `?sort=` asks for; a column the list does not sort by is ignored (the default order)."""
    chosen = _parse(spec, request.GET.get(spec.param, "")[:40])
    default = _parse(spec, spec.default)
    assert default is not None, f"{spec.name}: default sort {spec.default!r} is not a column"
    return chosen or default


def header_links(request: HttpRequest, sorting: Sorting) -> dict[str, dict[str, str]]:
    """Per column: the link that sorts by it (ascending first, then the other way) and its aria-sort."""
    headers = {}
    for column in sorting.spec.columns:
        current = column.key == sorting.key
        if current:
            next_param = column.key if sorting.descending else f"-{column.key}"
            aria = "descending" if sorting.descending else "ascending"
        else:
            next_param, aria = column.key, "none"
        params = request.GET.copy()
        params[sorting.spec.param] = next_param
        for name in ("page", "cursor", "export", "reset", "list"):
            params.pop(name, None)
        headers[column.key] = {"href": "?" + params.urlencode(), "aria": aria, "label": str(column.label)}
    return headers


# --- remembered filters ------------------------------------------------------------------------


def _remembered_params(request: HttpRequest, spec: ListSpec) -> dict[str, list[str]]:
    names = (*spec.filters, spec.param)
    return {name: [v for v in request.GET.getlist(name) if v] for name in names if request.GET.get(name)}


def restore_filters(request: HttpRequest, spec: ListSpec) -> HttpResponseRedirect | None:
    """A bare list URL reopens the user's last filters of this list; `?reset=1` forgets them.

    Call first in the view; after the filters validated, `save_filters` keeps them (filters that
    give a 400 are never kept, so a bare URL never reopens an error). Anonymous visitors: nothing.
    """
    from .models import SavedListFilters

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if "reset" in request.GET:
        SavedListFilters.objects.filter(user=user, list_name=spec.name).delete()
        return HttpResponseRedirect(request.path)
    if not request.GET:
        kept = SavedListFilters.objects.filter(user=user, list_name=spec.name).values_list("query", flat=True).first()
        return HttpResponseRedirect(f"{request.path}?{kept}") if kept else None
    return None


def save_filters(request: HttpRequest, spec: ListSpec) -> None:
    """Keep valid filters: a request naming any of them (even empty: a cleared form) replaces what was kept."""
    from .models import SavedListFilters

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not any(n in request.GET for n in (*spec.filters, spec.param)):
        return
    query = urlencode(_remembered_params(request, spec), doseq=True)
    if not query or len(query) > MAX_REMEMBERED:
        SavedListFilters.objects.filter(user=user, list_name=spec.name).delete()
    else:
        # One upsert (INSERT … ON CONFLICT DO UPDATE), not update_or_create's transaction, SELECT and
        # UPDATE: a filtered or sorted list page keeps its filters in 1 query instead of 4.
        SavedListFilters.objects.bulk_create(
            [SavedListFilters(user=user, list_name=spec.name, query=query)],
            update_conflicts=True,
            unique_fields=["user", "list_name"],
            update_fields=["query", "updated_at"],
        )


# --- export ------------------------------------------------------------------------------------


def export_of(request: HttpRequest, spec: ListSpec | None = None) -> str:
    """ "csv", "pdf" or "" (the page); any other `?export=` is the translated 400 page.

    With `spec`, an export naming another list (`list=`) is not this one's: "".
    """
    kind = request.GET.get("export", "")
    if kind and kind not in EXPORT_FORMATS:
        raise BadRequest("unknown export format")
    if spec is not None and request.GET.get("list", spec.name) != spec.name:
        return ""
    return kind


class _Line(io.StringIO):
    """Collects one written CSV line at a time, so rows stream without the whole file in memory."""

    def take(self) -> str:
        value = self.getvalue()
        self.seek(0)
        self.truncate(0)
        return value


def csv_rows(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    line = _Line()
    writer = SafeWriter(line)
    yield "\ufeff"  # a BOM: spreadsheets then read the accents as UTF-8
    writer.writerow(header)
    yield line.take()
    for row in rows:
        writer.writerow(row)
        yield line.take()


def csv_export(filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    """Every filtered row as CSV, streamed; formula-like cells neutralised (core/csvfiles.py)."""
    return streamed_download(csv_rows(header, rows), filename, "text/csv; charset=utf-8")


def pdf_export(
    title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]], filename: str, *, language: str
) -> HttpResponse:
    """The filtered rows as a printable table (documents/list.html), in `language`."""
    context = {"title": title, "header": list(header), "rows": [list(map(str, row)) for row in rows]}
    return download(render_pdf("documents/list.html", context, language=language), filename, "application/pdf")


def export_query(request: HttpRequest, kind: str, spec: ListSpec | None = None) -> str:
    params: QueryDict = request.GET.copy()
    params["export"] = kind
    if spec is not None and spec.shares_page:
        params["list"] = spec.name
    for name in ("page", "cursor", "reset"):  # an export holds every row, not one page
        params.pop(name, None)
    return "?" + params.urlencode()


def list_context(request: HttpRequest, sorting: Sorting, *, exports: Sequence[str] = ("csv",)) -> dict[str, Any]:
    """What `partials/sort_header.html` and `partials/list_tools.html` read: `sort.<column>`, `list_tools`."""
    return {
        "sort": header_links(request, sorting),
        "list_tools": {
            "exports": [(kind, export_query(request, kind, sorting.spec)) for kind in exports],
            "filtered": any(name in request.GET for name in (*sorting.spec.filters, sorting.spec.param)),
            "sort": sorting.param if sorting.spec.param in request.GET else "",
        },
    }


# --- a list's filters, printed once per query string and language ----------------------------


@dataclass(frozen=True)
class Filters:
    """What a list's filter form says (`valid`: its `data` are the cleaned values; a bound form that is
    not valid refuses them), its order, and what the page prints of them: `html` (the filter form and
    the list tools, from the list's own template) and `sort` (its headers' links, `{% sort_th %}`)."""

    bound: bool
    valid: bool
    data: Mapping[str, Any]
    sorting: Sorting
    html: SafeString
    sort: Mapping[str, Mapping[str, str]]


class FilterPanel:
    """A list's filter form, list tools and sort headers, which follow from the query string (the
    cursor aside: none of them prints it) and the language only: validated and printed once per pair
    in each process (an LRU of 256), as the agents' queue does (decision 0016). The form's choices
    must be fixed (no organisation's data in them), the template must print nothing but `filters`
    (the form) and `list_tools`.

    `panel(request)` is called first in the view (after `restore_filters`); the view still keeps valid
    filters itself (`save_filters`, a write per request that names them)."""

    def __init__(
        self, spec: ListSpec, form: type[forms.Form], template_name: str, *, exports: Sequence[str] = ("csv",)
    ) -> None:
        self.spec, self.form, self.template_name, self.exports = spec, form, template_name, tuple(exports)
        self._kept = lru_cache(maxsize=256)(self._filters)

    def __call__(self, request: HttpRequest) -> Filters:
        params = request.GET.copy()
        params.pop("cursor", None)  # never printed; the form is bound whenever any parameter is given
        return self._kept(params.urlencode(), bool(request.GET), translation.get_language() or "")

    def _filters(self, query: str, bound: bool, language: str) -> Filters:
        asked = HttpRequest()
        asked.GET = QueryDict(query)
        form = self.form(asked.GET if bound else None)
        valid = form.is_valid()
        sorting = sorting_of(asked, self.spec)
        context = list_context(asked, sorting, exports=self.exports)
        html = render_to_string(self.template_name, {"filters": form, "list_tools": context["list_tools"]})
        return Filters(
            bound=form.is_bound,
            valid=valid,
            data=MappingProxyType(dict(form.cleaned_data) if valid else {}),
            sorting=sorting,
            html=mark_safe(html),  # noqa: S308 (a Django template's output, escaped by it)
            sort=MappingProxyType(context["sort"]),
        )


# --- worklists: rows already built, several lists on one page ----------------------------------


@dataclass(frozen=True)
class Worklist:
    rows: list[Any]
    sorting: Sorting
    context: dict[str, Any]  # `sort.<column>` and `list_tools`, as list_context gives


def worklist(request: HttpRequest, spec: ListSpec, rows: Iterable[Any]) -> Worklist:
    """Sort built rows as `?<spec.param>=` asks; the page includes its headers and tools from `context`."""
    sorting = sorting_of(request, spec)
    context = list_context(request, sorting)
    # Nothing is remembered on a worklist (it has no filters): no "Reset filters" link.
    context["list_tools"]["filtered"] = False
    return Worklist(sorting.sort_rows(rows), sorting, context)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return "" if value is None else str(value)


def rows_csv(filename: str, spec: ListSpec, rows: Iterable[Any]) -> StreamingHttpResponse:
    """The rows, one cell per column of the spec (its label as header), formula-safe."""
    columns = [column for column in spec.columns if column.value is not None]
    header = [str(column.label) for column in columns]
    return csv_export(filename, header, ([_cell(c.value(row)) for c in columns if c.value] for row in rows))
