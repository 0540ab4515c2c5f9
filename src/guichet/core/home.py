"""The customer home's port: what waits for a person, and the figures of each application.

The home (accounts) and the API ask; each context answers for its own application through a
`HomeSource` it registers in its AppConfig.ready() (`<context>/attention.py`). The kernel imports
no context: it knows only the viewer (who, where, which applications) and the items' shape.

Cost: a source answers with a fixed number of queries whatever the organisation's size (capped
lists, aggregates), so the home's query count does not grow with the data (tests/core/test_home.py).
Its answers are then kept in the shared cache under the versions of the applications it `reads`
(core/data_versions.py): the next home of the same person, in the same organisation, language and
day, costs no query until one of those applications is written (decision 0012).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from django.core.cache import cache
from django.utils import timezone, translation

from . import data_versions

# One kind shows at most this many items; the rest is behind the item's list page.
ITEMS_PER_KIND = 10
# A kept answer is keyed by its data's versions, so it never needs to expire to be right: this only
# bounds how long an answer nobody asks for any more (old versions, yesterday) takes room.
KEPT_SECONDS = 24 * 3600


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

    @property
    def reads(self) -> tuple[str, ...]:
        """The applications (app labels) whose rows the answers are computed from: a write to any of
        them replaces the kept answers (core/data_versions.py). Forgetting one would keep a stale figure."""
        ...

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
        data_versions.watch(lambda: source.reads)


def _key(kind: str, source: object, scope: tuple[Any, ...], versions: dict[str, str]) -> str:
    # The source, who asks (everything an answer depends on besides the data), the language (labels,
    # amounts and URLs are translated) and the data's versions.
    parts = (kind, type(source).__qualname__, scope, translation.get_language(), versions)
    return f"home:{kind}:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _kept(
    kind: str,
    sources: list[Any],
    scope: tuple[Any, ...],
    answer: Any,
    versions: dict[str, str] | None = None,
    still_right: Any = None,
    also_reads: tuple[str, ...] = (),
) -> list[Any]:
    """Each source's answer (`answer(source)`), from the cache when its data has not changed since
    (and `still_right(answer)` says the clock has not changed it either): two cache round trips for
    all the sources, a computation only for the missing ones."""
    if versions is None:
        versions = data_versions.current(label for source in sources for label in (*source.reads, *also_reads))
    keys = [
        _key(kind, source, scope, {label: versions[label] for label in (*source.reads, *also_reads)})
        for source in sources
    ]
    found = cache.get_many(keys)
    if still_right is not None:
        found = {key: value for key, value in found.items() if still_right(value)}
    computed = {key: answer(source) for source, key in zip(sources, keys, strict=True) if key not in found}
    if computed:
        cache.set_many(computed, timeout=KEPT_SECONDS)
    return [found[key] if key in found else computed[key] for key in keys]


def _answers(viewer: Viewer) -> list[tuple[list[AttentionItem], dict[str, list[Figure]]]]:
    """Every source's (attention, figures) for the viewer, once per home (the page asks for both)."""
    if "home.answers" not in viewer.memo:
        # Everything a source may read of the viewer; the organisation's country sets its currency.
        scope = (
            viewer.organisation.pk,
            viewer.organisation.country,
            viewer.user.pk,
            viewer.is_admin,
            viewer.is_signatory,
            tuple(sorted(viewer.applications)),
            viewer.today.isoformat(),
        )
        viewer.memo["home.answers"] = _kept(
            "customer", _sources, scope, lambda source: (source.attention(viewer), source.figures(viewer))
        )
    answers: list[tuple[list[AttentionItem], dict[str, list[Figure]]]] = viewer.memo["home.answers"]
    return answers


def _by_due(item: AttentionItem) -> tuple[bool, date, str, str]:
    # Dated items first, the earliest on top; undated ones after, by kind then number.
    return (item.due is None, item.due or date.max, item.kind, item.number)


def attention_for(viewer: Viewer) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    for attention, _figures in _answers(viewer):
        items += [
            item
            for item in attention
            if item.application in viewer.applications or (not item.application and viewer.is_admin)
        ]
    return sorted(items, key=_by_due)


def figures_for(viewer: Viewer, applications: Iterable[tuple[str, str, str]]) -> list[ApplicationFigures]:
    """The figures of each granted application, in `applications`' order ((value, label, url))."""
    found: dict[str, list[Figure]] = {}
    for _attention, answer in _answers(viewer):
        for application, figures in answer.items():
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
    # When the clock alone next changes what the queue holds (a service-level mark passes), so a kept
    # queue is computed again from then on; None: only a write changes it.
    until: datetime | None = None


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

    @property
    def reads(self) -> tuple[str, ...]:
        """As HomeSource.reads: the figures and the days are kept under their versions."""
        ...

    def figures(self, staff: Any) -> list[Figure]: ...

    def queues(self, staff: Any) -> list[Queue]: ...

    def days(self, staff: Any, today: date) -> list[Day]:
        """Opened / resolved / met per day over the chart's period ([] if the context has no such flow)."""
        ...


_console_sources: list[ConsoleSource] = []
# Every console count joins the organisations' country (accounts.jurisdiction.served_by): an
# organisation that changes country changes every source's figures, whatever it reads itself.
_JURISDICTION_READS = ("accounts",)


def register_console(source: ConsoleSource) -> None:
    if all(type(known) is not type(source) for known in _console_sources):
        _console_sources.append(source)
        data_versions.watch(lambda: (*source.reads, *_JURISDICTION_READS))


def console_view(staff: Any, today: date, jurisdiction: str) -> ConsoleView:
    """`jurisdiction` names the organisations `staff` serves (accounts.jurisdiction.scope): the
    figures and the days depend on the agent only through it, so agents of one country share them."""
    queues: list[Queue] = []
    figures: list[Figure] = []
    days: list[Day] = []
    versions = data_versions.current(
        label for source in _console_sources for label in (*source.reads, *_JURISDICTION_READS)
    )
    scope = (jurisdiction, today.isoformat(), timezone.get_current_timezone_name())
    # The queues are the agent's own ("assigned to me"), and "at risk" and "breached" also change with
    # the clock: kept per agent, and only until the first queue's `until`.
    now = timezone.now()
    for source_queues in _kept(
        "queues",
        _console_sources,
        (staff.pk, *scope),
        lambda source: source.queues(staff),
        versions,
        still_right=lambda kept: all(queue.until is None or now < queue.until for queue in kept),
        also_reads=_JURISDICTION_READS,
    ):
        queues += source_queues
    kept = _kept(
        "console",
        _console_sources,
        scope,
        lambda source: (source.figures(staff), source.days(staff, today)),
        versions,
        also_reads=_JURISDICTION_READS,
    )
    for source_figures, source_days in kept:
        figures += source_figures
        days = days or source_days
    return ConsoleView(queues=queues, figures=figures, days=days)
