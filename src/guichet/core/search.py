"""Global search: one query, every context's answers, for one searcher and nobody else.

The kernel knows no context. Each context that has something to find declares a provider in its
AppConfig (`ContextConfig.search_provider`, the dotted path of an object in its
`search_provider.py`); `providers()` collects them, `search()` asks each one and groups what they
found. A provider is handed the searcher, never a bare query: a customer's organisation with the
applications the person was granted there, or a member of the vendor's staff (whose jurisdiction
the provider applies through `accounts.jurisdiction.served_by`). What it may not see it never
queries, so another organisation's number finds nothing by construction.

A provider answers with `Lookup`s (a queryset it has filtered, and how a row becomes a hit) rather
than running them: the kernel sends every provider's lookups to the database as one `UNION ALL`
(`_fetch`), so a search costs one query whatever the number of kinds (it was one per kind and
condition, 11 for a word that also reads as a number). Hits that need no database (help articles)
come back as `Hit`s.

What a provider found is kept in the shared cache under the data versions of the applications it
`reads` (core/data_versions.py, as the homes keep theirs: decision 0012), keyed by everything the
providers are handed (the typed text, the searcher, the language): the same search again, by the
same organisation with the same grants (or the same member of staff, in the same jurisdiction),
costs no query and builds no queryset until one of those applications is written.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Protocol

from django.core.cache import cache
from django.db import connections
from django.db.models import Model, Q, QuerySet
from django.utils import translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from . import data_versions, shapes
from .tenancy import across_organisations, tenant_scope

if TYPE_CHECKING:
    from guichet.accounts.models import Organisation, User

MAX_QUERY_LENGTH = 100  # a number, a serial or a few words; longer is not a search
MAX_WORDS = 6  # each word is one more index condition
MIN_WORD = 3  # shorter words match nearly everything and no trigram index can answer them
PER_KIND = 10  # rows per kind: a search box answers, the lists browse
NUMBER_SHAPE = re.compile(r"^[A-Z0-9][A-Z0-9./_-]*$")  # one token without spaces: maybe an identifier
WORD = re.compile(r"\w+", re.UNICODE)
AMOUNT = re.compile(r"^\d{1,12}(?:[.,]\d{1,2})?$")
THOUSANDS = re.compile(r"(?<=\d)[\s\u00a0\u202f'](?=\d{3}\b)")  # 1 234,50 / 1'234.50 → 1234,50
# Kept answers are keyed by their data's versions, so they never need to expire to be right: this only
# bounds how long a search nobody repeats takes room in the cache.
KEPT_SECONDS = 3600


@dataclass(frozen=True)
class Query:
    """What was typed, read once: as an identifier, as an amount, as words."""

    text: str

    @classmethod
    def parse(cls, raw: str) -> Query:
        text = unicodedata.normalize("NFKC", raw).strip()
        return cls(" ".join(text.split()))

    @property
    def identifier(self) -> str:
        """The query as a number or serial would be stored (upper case), or "" when it has spaces."""
        candidate = self.text.upper()
        return candidate if NUMBER_SHAPE.match(candidate) else ""

    @property
    def amount(self) -> Decimal | None:
        """The query read as an amount (`1234.50`, `1 234,50`, `1234`), else None."""
        compact = THOUSANDS.sub("", self.text)
        if not AMOUNT.match(compact):
            return None
        try:
            return Decimal(compact.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            return None

    @property
    def words(self) -> list[str]:
        """Words of 3 letters or more (a trigram index needs 3), at most MAX_WORDS of them."""
        return [w for w in WORD.findall(self.text) if len(w) >= MIN_WORD][:MAX_WORDS]


@dataclass(frozen=True)
class Searcher:
    """Who searches: a customer acting for an organisation, or a member of the vendor's staff."""

    language: str
    organisation: Organisation | None = None
    applications: frozenset[str] = frozenset()  # granted (and offered) in that organisation
    staff: User | None = None
    # For staff: the organisations they serve (accounts.jurisdiction.scope), part of what their answers are kept by.
    jurisdiction: str = ""

    def __post_init__(self) -> None:
        if (self.organisation is None) == (self.staff is None):
            raise ValueError("A searcher is either a customer's organisation or a member of staff.")

    @property
    def identity(self) -> tuple[Any, ...]:
        """Everything about the searcher a provider's answer may depend on: a kept answer is shared only
        by searchers with the same identity (a customer's organisation, its country and the applications
        granted; a member of staff by their own id and jurisdiction), never across organisations."""
        if self.organisation is not None:
            organisation = self.organisation
            return ("customer", organisation.pk, str(organisation.country), tuple(sorted(self.applications)))
        assert self.staff is not None
        return ("staff", self.staff.pk, self.country, self.jurisdiction)

    @property
    def country(self) -> str:
        if self.organisation is not None:
            return str(self.organisation.country)
        return str(getattr(self.staff, "country", "") or "")


@dataclass(frozen=True)
class Hit:
    """One object found: its kind (a provider's key), its number, a title and where it is."""

    kind: str
    number: str
    title: str
    url: str
    exact: bool = False  # the query was this object's own number or serial


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise  # the heading of its group of results
    position: int  # groups in this order, lower first


Values = shapes.Values  # what a lookup's builder is handed: this search's values, by name
Row = Mapping[str, Any]  # a lookup's `fields`, each as text or None: dates ISO, amounts as digits (no datetimes)


@dataclass(frozen=True)
class Lookup:
    """Rows a provider wants, run by the kernel in one statement with every other lookup.

    `rows` builds the provider's queryset from `values` alone (a module-level function: the kernel
    compiles it once per shape and then only binds each search's values, core/shapes.py), filtered
    and ordered by field names (its model's ordering when it names none), not sliced: `limit` caps
    it. For a customer the kernel adds the organisation's id to `values` as `ORGANISATION`, and
    refuses a lookup whose SQL does not bind it; `whose(values)` is the usual filter. `fields` name
    what a row carries (field paths, joins allowed), read back as text; `hit` makes the hit from
    them. `new_only` drops a row whose number a previous hit of the same provider and kind already
    shows (a request found by its number and by its words is shown once)."""

    rows: Callable[[Values], QuerySet[Any]]
    fields: Mapping[str, str]
    hit: Callable[[Row], Hit]
    values: Mapping[str, Any] = field(default_factory=dict)
    limit: int | None = None
    new_only: bool = False


ORGANISATION = "organisation"  # the customer's organisation id, in every customer lookup's values
SERVED = "served"  # what a provider names the organisations a member of staff serves (a Q)


def whose(values: Values) -> Q:
    """The rows (by their `organisation`) of the customer's organisation, or of the organisations
    the member of staff serves (`values[SERVED]`, which the provider put there)."""
    if ORGANISATION in values:
        return Q(organisation=values[ORGANISATION])
    served: Q = values[SERVED]
    return served


Answer = Sequence[Hit | Lookup]


def display(model: type[Model], field: str, value: object) -> str:
    """A choice's label as `get_<field>_display()` gives it, for a row read as values."""
    choices = model._meta.get_field(field).flatchoices  # type: ignore[union-attr]
    return str(dict(choices).get(value, value))


class Provider(Protocol):
    """What a context hands the kernel. `kinds` are the groups it fills; `application` the grant a
    customer needs to see them (None: everyone, like help articles). Its answers are in order:
    lookups are resolved where they stand.

    `reads` names the applications (app labels) whose rows its answers come from: its hits are kept
    under their data versions, so forgetting one would keep a stale hit. A provider that reads none
    (`()`: help articles, kept by the help centre under its own index version) is asked every time.
    A kept answer may depend only on the query, the searcher's `identity` and the language: a
    provider whose answer depends on anything else (the clock, another attribute of the staff user)
    must declare `reads = ()`."""

    kinds: Sequence[Kind]
    application: str | None
    reads: tuple[str, ...]

    def for_customer(self, query: Query, searcher: Searcher) -> Answer: ...

    def for_staff(self, query: Query, searcher: Searcher) -> Answer: ...


@dataclass
class Group:
    kind: Kind
    hits: list[Hit]


@dataclass
class Results:
    query: Query
    groups: list[Group] = field(default_factory=list)

    @property
    def hits(self) -> list[Hit]:
        return [hit for group in self.groups for hit in group.hits]

    @property
    def jump(self) -> Hit | None:
        """The one object a typed number names, when it names exactly one: go straight there."""
        exact = [hit for hit in self.hits if hit.exact]
        return exact[0] if len(exact) == 1 else None


def providers() -> list[Provider]:
    from .contexts import contexts  # contexts imports this module's neighbours; read it late

    return [import_string(context.search_provider) for context in contexts() if context.search_provider]


def read_labels() -> set[str]:
    """Every application some provider reads: a write to one replaces its data version (core/apps.py
    watches them in every process, workers included, so no process writes without replacing it)."""
    return {label for provider in providers() for label in provider.reads}


def search(raw: str, searcher: Searcher) -> Results:
    """Every provider's hits for `raw`, grouped by kind; what the searcher may see and nothing else."""
    query = Query.parse(raw)
    results = Results(query)
    if not query.text:
        return results
    customer = searcher.organisation is not None
    asked = [
        provider
        for provider in providers()
        if not customer or provider.application is None or provider.application in searcher.applications
    ]
    # Staff look across organisations; each provider narrows to their jurisdiction.
    scope = tenant_scope(searcher.organisation) if customer else across_organisations()
    with scope, translation.override(searcher.language):
        found: dict[str, Group] = {}
        for provider, hits in zip(asked, _answers(query, searcher, asked), strict=True):
            kinds = {kind.key: kind for kind in provider.kinds}
            for hit in hits:
                group = found.setdefault(hit.kind, Group(kinds[hit.kind], []))
                if len(group.hits) < PER_KIND:
                    group.hits.append(hit)
    results.groups = sorted(found.values(), key=lambda group: group.kind.position)
    return results


def _answers(query: Query, searcher: Searcher, asked: Sequence[Provider]) -> list[list[Hit]]:
    """Each asked provider's hits, in order: those that read the database from the kept answer when
    their data has not changed since (two cache round trips), the others, and all on a miss, asked
    now with one statement for every lookup."""
    kept_by = [provider for provider in asked if provider.reads]
    key, kept = None, None
    if kept_by:
        # The versions are read before the rows: a write after this replaces them, so what is computed
        # below from older rows is never found under the newer versions (core/data_versions.py).
        versions = data_versions.current(label for provider in kept_by for label in provider.reads)
        parts = (
            query.text,
            searcher.identity,
            searcher.language,
            [type(provider).__qualname__ for provider in kept_by],
            versions,
        )
        key = "search:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
        kept = cache.get(key)
    live = [provider for provider in asked if kept is None or not provider.reads]
    organisation = searcher.organisation
    answers = [
        (provider, provider.for_customer(query, searcher) if organisation else provider.for_staff(query, searcher))
        for provider in live
    ]
    lookups = [item for _provider, answer in answers for item in answer if isinstance(item, Lookup)]
    rows = iter(_fetch(lookups, organisation.pk if organisation else None))
    computed = {id(provider): _hits(answer, rows) for provider, answer in answers}
    if kept is None:
        kept = [computed[id(provider)] for provider in kept_by]
        if key is not None:
            cache.set(key, kept, KEPT_SECONDS)
    from_cache = dict(zip((id(provider) for provider in kept_by), kept, strict=True))
    return [computed[id(provider)] if id(provider) in computed else from_cache[id(provider)] for provider in asked]


def _hits(answer: Answer, rows: Iterator[list[Row]]) -> list[Hit]:
    """A provider's answer with each lookup replaced by its hits (`rows` yields them in the same order)."""
    hits: list[Hit] = []
    for item in answer:
        if isinstance(item, Hit):
            hits.append(item)
            continue
        shown = {(hit.kind, hit.number) for hit in hits} if item.new_only else set()
        for row in next(rows):
            hit = item.hit(row)
            if (hit.kind, hit.number) not in shown:
                hits.append(hit)
    return hits


def _fetch(lookups: Sequence[Lookup], organisation: int | None = None) -> list[list[Row]]:
    """Each lookup's rows, in its order, from one `UNION ALL` of them all (no query when there are none).

    Each lookup is Django's compilation of its queryset as it stands (its filters, the
    organisation's for a customer, its ORDER BY and LIMIT), selecting its fields and then its
    ordering fields, made once per shape and process and bound to this search's values
    (`_compiled`); it becomes a CTE with positional column names (`search_3(c0, c1, …)`: SQLite and
    PostgreSQL both take ORDER BY and LIMIT there, which SQLite refuses directly inside a compound
    SELECT). Each branch of the union reads one CTE: its position, the rank of each row under the
    same ordering (`ROW_NUMBER() OVER (ORDER BY …)`, so the outer `ORDER BY 1, 2` gives every
    lookup's rows in its own order), and its fields as text padded with NULLs, so lookups of
    different models share one shape. The union reads nothing a lookup alone would not. The window
    and the casts are written here rather than as Django expressions: compiling those cost five
    times as much as the lookups.
    """
    if not lookups:
        return []
    width = max(len(lookup.fields) for lookup in lookups)
    ctes: list[str] = []
    branches: list[str] = []
    params: list[Any] = []
    db = None
    for position, lookup in enumerate(lookups):
        part = _compiled(lookup, organisation)
        db = db or part.db
        ordering = part.extra
        assert isinstance(ordering, tuple)
        count = len(lookup.fields)
        names = ", ".join(f"c{n}" for n in range(count + len(ordering)))
        rank = ", ".join(
            f"c{count + n} DESC" if term.startswith("-") else f"c{count + n}" for n, term in enumerate(ordering)
        )
        columns = [f"CAST(c{n} AS TEXT)" for n in range(count)] + ["NULL"] * (width - count)
        # Django's own compiled SQL, positions and column numbers: every value stays a parameter.
        ctes.append(f"search_{position}({names}) AS ({part.sql})")
        branches.append(
            f"SELECT {position}, ROW_NUMBER() OVER ({f'ORDER BY {rank}' if rank else ''}), "  # noqa: S608
            f"{', '.join(columns)} FROM search_{position}"
        )
        params.extend(part.params)
    statement = f"WITH {', '.join(ctes)} {' UNION ALL '.join(branches)} ORDER BY 1, 2"
    found: list[list[Row]] = [[] for _lookup in lookups]
    assert db is not None
    with connections[db].cursor() as cursor:
        cursor.execute(statement, params)
        for position, _rank, *values in cursor.fetchall():
            found[position].append(dict(zip(lookups[position].fields, values, strict=False)))
    return found


def _compiled(lookup: Lookup, organisation: int | None) -> shapes.Bound:
    """The lookup's SELECT (its fields, then its ordering fields; its limit) and this search's
    parameters; its `extra` is the ordering. A customer's lookup must bind the organisation."""
    values = lookup.values if organisation is None else {**lookup.values, ORGANISATION: organisation}
    fields, limit = tuple(lookup.fields.values()), lookup.limit

    def finish(queryset: QuerySet[Any]) -> tuple[QuerySet[Any], tuple[str, ...]]:
        ordering = _ordering(queryset)
        selected = queryset.values_list(*fields, *(term.lstrip("-") for term in ordering))
        return (selected if limit is None else selected[:limit]), tuple(ordering)

    if organisation is None:  # staff: across organisations, narrowed by what the provider put in SERVED
        return shapes.bound(lookup.rows, values, finish=finish, key=(fields, limit))
    return shapes.bound(
        lookup.rows, values, finish=finish, key=(fields, limit), required=(ORGANISATION,), around=_scope
    )


def _scope(values: Values) -> AbstractContextManager[None]:
    """A customer's lookup is built in its organisation's tenant scope (whose manager filters by it)."""
    return tenant_scope(values[ORGANISATION])


def _ordering(queryset: QuerySet[Any]) -> list[str]:
    """The field names the queryset alone would have been ordered by: its own, else its model's."""
    terms = queryset.query.order_by or (queryset.model._meta.ordering if queryset.query.default_ordering else ())
    if not all(isinstance(term, str) and term != "?" for term in terms):
        raise TypeError("A search lookup is ordered by field names.")
    return [str(term) for term in terms]
