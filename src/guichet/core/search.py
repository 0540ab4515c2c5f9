"""Global search: one query, every context's answers, for one searcher and nobody else.

The kernel knows no context. Each context that has something to find declares a provider in its
AppConfig (`ContextConfig.search_provider`, the dotted path of an object in its
`search_provider.py`); `providers()` collects them, `search()` asks each one and groups what they
found. A provider is handed the searcher, never a bare query: a customer's organisation with the
applications the person was granted there, or a member of the vendor's staff (whose jurisdiction
the provider applies through `accounts.jurisdiction.served_by`). What it may not see it never
queries, so another organisation's number finds nothing by construction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Protocol

from django.utils import translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string

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

    def __post_init__(self) -> None:
        if (self.organisation is None) == (self.staff is None):
            raise ValueError("A searcher is either a customer's organisation or a member of staff.")

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


class Provider(Protocol):
    """What a context hands the kernel. `kinds` are the groups it fills; `application` the grant a
    customer needs to see them (None: everyone, like help articles)."""

    kinds: Sequence[Kind]
    application: str | None

    def for_customer(self, query: Query, searcher: Searcher) -> list[Hit]: ...

    def for_staff(self, query: Query, searcher: Searcher) -> list[Hit]: ...


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


def search(raw: str, searcher: Searcher) -> Results:
    """Every provider's hits for `raw`, grouped by kind; what the searcher may see and nothing else."""
    query = Query.parse(raw)
    results = Results(query)
    if not query.text:
        return results
    found: dict[str, Group] = {}
    for provider in providers():
        if searcher.organisation is not None:
            if provider.application is not None and provider.application not in searcher.applications:
                continue
            with tenant_scope(searcher.organisation), translation.override(searcher.language):
                hits = provider.for_customer(query, searcher)
        else:
            # Staff look across organisations; the provider narrows to their jurisdiction.
            with across_organisations(), translation.override(searcher.language):
                hits = provider.for_staff(query, searcher)
        kinds = {kind.key: kind for kind in provider.kinds}
        for hit in hits:
            group = found.setdefault(hit.kind, Group(kinds[hit.kind], []))
            if len(group.hits) < PER_KIND:
                group.hits.append(hit)
    results.groups = sorted(found.values(), key=lambda group: group.kind.position)
    return results
