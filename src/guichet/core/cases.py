"""The case index: one row per thing a customer asked, whichever context holds it.

The kernel knows no context. Each context that holds cases (requests, repairs, disputes, …)
registers a `CaseSource` in its AppConfig.ready() (its own `cases.py`): its kind, the
application whose grant shows it, and every case it holds as `CaseFacts` (for `guichet
sync_cases`). On every change it calls `record()` in the same transaction, which keeps the
`Case` row current and adds a `CaseActivity` when the case opens or its status moves; an
e-mail it sends about the case goes on the timeline with `notified()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise

from .models import Case, CaseActivity, CaseStatus
from .tenancy import across_organisations


@dataclass(frozen=True)
class CaseFacts:
    """What the index keeps of one case, in the shared vocabulary (CaseStatus, WaitsFor)."""

    organisation_id: int
    kind: str
    source_id: int
    number: str
    title: str
    status: str
    waits_for: str
    url_name: str
    url_args: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    requester_id: int | None = None
    open_to_requester: bool = False


@dataclass(frozen=True)
class CaseSource:
    """A context's kind of case. `application`: the accounts.Application whose grant shows these cases;
    None: only the organisation's administrators see them (access requests)."""

    kind: str
    label: Promise
    application: str | None
    every_case: Callable[[], Iterable[CaseFacts]] = field(compare=False)
    position: int = 50  # in the kind filter, lower first


_sources: dict[str, CaseSource] = {}


def register(source: CaseSource) -> None:
    _sources[source.kind] = source


def sources() -> list[CaseSource]:
    return sorted(_sources.values(), key=lambda source: (source.position, source.kind))


def source(kind: str) -> CaseSource | None:
    return _sources.get(kind)


def visible_kinds(granted_applications: Iterable[str], *, is_admin: bool) -> list[str]:
    """The kinds a customer sees: those of the applications they were granted; access requests for admins."""
    granted = set(granted_applications)
    return [
        source.kind
        for source in sources()
        if (source.application in granted) or (source.application is None and is_admin)
    ]


_INDEXED = ("number", "title", "status", "waits_for", "requester_id", "open_to_requester", "url_name", "url_args")


def record(facts: CaseFacts, *, at: datetime | None = None) -> Case:
    """Bring the index row of a case up to date (call it inside the change's transaction).

    `at` is when the change happened (now, for a live change); the row's last change moves only
    when something a reader sees moved. Opening and each new status add a timeline step.
    """
    at = at or facts.updated_at
    with across_organisations(), transaction.atomic():
        case = Case.objects.select_for_update().filter(kind=facts.kind, source_id=facts.source_id).first()
        if case is None:
            case = Case.objects.create(
                organisation_id=facts.organisation_id,
                kind=facts.kind,
                source_id=facts.source_id,
                created_at=facts.created_at,
                updated_at=max(at, facts.created_at),
                **{name: getattr(facts, name) for name in _INDEXED},
            )
            _step(case, CaseActivity.Event.OPENED, at=facts.created_at)
            if facts.status != CaseStatus.OPEN:
                _step(case, CaseActivity.Event.STATUS, at=case.updated_at)
            return case
        changed = [name for name in _INDEXED if getattr(case, name) != getattr(facts, name)]
        if not changed:
            if facts.updated_at > case.updated_at:  # a reply, a note: the case moved, its status did not
                case.updated_at = facts.updated_at
                case.save(update_fields=["updated_at"])
            return case
        status_moved = case.status != facts.status
        for name in changed:
            setattr(case, name, getattr(facts, name))
        case.updated_at = max(at, case.updated_at)
        case.save(update_fields=[*changed, "updated_at"])
        if status_moved:
            _step(case, CaseActivity.Event.STATUS, at=case.updated_at)
        return case


def notified(kind: str, source_id: int, template: str, *, at: datetime | None = None) -> None:
    """An e-mail about the case left (through the outbox): a step on its timeline."""
    with across_organisations():
        case = Case.objects.filter(kind=kind, source_id=source_id).first()
        if case is not None:
            _step(case, CaseActivity.Event.NOTIFIED, at=at or timezone.now(), note=template)


def forget(kind: str, source_id: int) -> None:
    with across_organisations():
        Case.objects.filter(kind=kind, source_id=source_id).delete()


def _step(case: Case, event: str, *, at: datetime, note: str = "") -> None:
    CaseActivity.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        kind=case.kind,
        event=event,
        status=case.status,
        note=note,
        at=at,
    )


def every_case(kinds: Iterable[str] | None = None) -> Iterator[CaseFacts]:
    """Every case the registered contexts hold (for the rebuild)."""
    wanted = set(kinds) if kinds else None
    for each in sources():
        if wanted is None or each.kind in wanted:
            yield from each.every_case()


def rebuild(facts: Iterable[CaseFacts], *, kinds: Iterable[str] | None = None) -> int:
    """Make the index hold exactly `facts` (for the given kinds): rows added, updated, removed.

    Cases already indexed keep their timeline; a case new to the index gets its opening step
    (and its current status) at the times its context knows.
    """
    seen: dict[str, set[int]] = {}
    count = 0
    for each in facts:
        with transaction.atomic():
            record(each)
        seen.setdefault(each.kind, set()).add(each.source_id)
        count += 1
    with across_organisations():
        for kind in set(kinds or []) | set(seen):
            stale = sorted(
                set(Case.objects.filter(kind=kind).values_list("source_id", flat=True)) - seen.get(kind, set())
            )
            for start in range(0, len(stale), 500):  # bounded IN lists: SQLite caps its parameters
                Case.objects.filter(kind=kind, source_id__in=stale[start : start + 500]).delete()
    return count


def track(model: type[Any], kind: str, facts_of: Callable[[Any], CaseFacts | None]) -> None:
    """Keep the index of `model`'s rows current: every save records it (in the saving transaction),
    a delete forgets it. `facts_of` returns None for a row that is no case (an order not cancelled):
    nothing is written then (a row that became a case never stops being one)."""
    from django.db.models.signals import post_delete, post_save

    def saved(sender: type[Any], instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if raw:  # fixtures: `guichet sync_cases` indexes them
            return
        facts = facts_of(instance)
        if facts is not None:
            record(facts, at=timezone.now())

    def deleted(sender: type[Any], instance: Any, **kwargs: Any) -> None:
        forget(kind, instance.pk)

    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"guichet.cases.saved.{kind}")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"guichet.cases.deleted.{kind}")
