"""The customer home's port: what waits for a person, and the figures of each application.

The home (accounts) and the API ask; each context answers for its own application through a
`HomeSource` it registers in its AppConfig.ready() (`<context>/attention.py`). The kernel imports
no context: it knows only the viewer (who, where, which applications) and the items' shape.

Cost: a source answers with a fixed number of queries whatever the organisation's size (capped
lists, aggregates), so the home's query count does not grow with the data (tests/core/test_home.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

# One kind shows at most this many items; the rest is behind the item's list page.
ITEMS_PER_KIND = 10


@dataclass(frozen=True)
class Viewer:
    """The person the home is for, in their current organisation."""

    user: Any  # accounts.User (the kernel does not import accounts)
    organisation: Any  # accounts.Organisation
    applications: frozenset[str]  # the applications granted to this person here
    is_admin: bool  # a customer admin of the organisation
    is_signatory: bool  # may sign contracts in the organisation's name
    today: date  # on the organisation's clock (core.calendar.today_for)
    # One home's scratch space: a source that needs the same aggregate for its attention and its
    # figures computes it once per home (never kept beyond this viewer, so never stale).
    memo: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class AttentionItem:
    """One thing that waits for the viewer, and where it is done."""

    kind: str  # stable, on the wire: "contract_signature", "invoices_overdue", …
    label: str  # the kind, translated: "Contract to sign"
    number: str  # the business number ("" for an item that sums several, e.g. overdue invoices)
    title: str
    due: date | None  # from the context's rules; None where no rule sets one
    url: str
    application: str  # the application it belongs to; "" for the organisation's own (its members' access)


@dataclass(frozen=True)
class Figure:
    """One count of an application ("3 open requests"), with the page that lists them."""

    label: str
    value: str  # formatted by the source (a count, or an amount in the organisation's currency)
    url: str
    warn: bool = False  # worth a look (machines not covered, a balance overdue)


@dataclass(frozen=True)
class ApplicationFigures:
    application: str
    label: str
    url: str
    figures: list[Figure] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Nothing counted yet (every figure zero, or none): the tile says where to start instead."""
        return all(figure.value == "0" for figure in self.figures)


class HomeSource(Protocol):
    """A context's answer for the home. Each method costs a constant number of queries."""

    def attention(self, viewer: Viewer) -> list[AttentionItem]:
        """What waits for the viewer (only for the applications the viewer was granted)."""
        ...

    def figures(self, viewer: Viewer) -> dict[str, list[Figure]]:
        """The figures per granted application it serves."""
        ...


_sources: list[HomeSource] = []


def register(source: HomeSource) -> None:
    if all(type(known) is not type(source) for known in _sources):
        _sources.append(source)


def _by_due(item: AttentionItem) -> tuple[bool, date, str, str]:
    # Dated items first, the earliest on top; undated ones after, by kind then number.
    return (item.due is None, item.due or date.max, item.kind, item.number)


def attention_for(viewer: Viewer) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    for source in _sources:
        items += [
            item
            for item in source.attention(viewer)
            if item.application in viewer.applications or (not item.application and viewer.is_admin)
        ]
    return sorted(items, key=_by_due)


def figures_for(viewer: Viewer, applications: Iterable[tuple[str, str, str]]) -> list[ApplicationFigures]:
    """The figures of each granted application, in `applications`' order ((value, label, url))."""
    found: dict[str, list[Figure]] = {}
    for source in _sources:
        for application, figures in source.figures(viewer).items():
            if application in viewer.applications:
                found.setdefault(application, []).extend(figures)
    return [
        ApplicationFigures(application=value, label=label, url=url, figures=found.get(value, []))
        for value, label, url in applications
        if value in viewer.applications
    ]


# --- the agents' console home -------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    number: str
    title: str
    organisation: str
    due: Any  # a datetime (the resolution due time), or None
    url: str


@dataclass(frozen=True)
class Queue:
    """One of the agent's own queues ("assigned to me", "breached", …): its size and its first rows."""

    key: str
    label: str
    count: int
    url: str  # the full list, filtered
    rows: list[QueueRow]


@dataclass(frozen=True)
class Day:
    day: date
    opened: int
    resolved: int
    met: int  # resolved within their service level


@dataclass(frozen=True)
class ConsoleView:
    queues: list[Queue]
    figures: list[Figure]
    days: list[Day]  # the last days, oldest first (the chart)


class ConsoleSource(Protocol):
    """A context's part of the console home, within the agent's jurisdiction. Constant query count."""

    def figures(self, staff: Any) -> list[Figure]: ...

    def queues(self, staff: Any) -> list[Queue]: ...

    def days(self, staff: Any, today: date) -> list[Day]:
        """Opened / resolved / met per day over the chart's period ([] if the context has no such flow)."""
        ...


_console_sources: list[ConsoleSource] = []


def register_console(source: ConsoleSource) -> None:
    if all(type(known) is not type(source) for known in _console_sources):
        _console_sources.append(source)


def console_view(staff: Any, today: date) -> ConsoleView:
    queues: list[Queue] = []
    figures: list[Figure] = []
    days: list[Day] = []
    for source in _console_sources:
        queues += source.queues(staff)
        figures += source.figures(staff)
        days = days or source.days(staff, today)
    return ConsoleView(queues=queues, figures=figures, days=days)
