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
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise

from . import inserts
from .models import Case, CaseActivity, CaseStatus, WaitsFor
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
    # Other cases this one carries, as (kind, number) in its organisation: a dispute's or a termination's
    # support request. The carried case stays indexed (its timeline, its status) but is not listed apart.
    carries: tuple[tuple[str, str], ...] = ()


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


_INDEXED = (
    "number",
    "title",
    "status",
    "waits_for",
    "requester_id",
    "open_to_requester",
    "url_name",
    "url_args",
    "carries",
)


def _indexed(facts: CaseFacts, name: str) -> Any:
    """A fact as the index stores it (the carried pairs as JSON lists)."""
    value = getattr(facts, name)
    return [list(pair) for pair in value] if name == "carries" else value


# Statuses that still ask something of someone (the "Open" filter of My requests).
ACTIVE = (CaseStatus.OPEN, CaseStatus.WAITING, CaseStatus.IN_PROGRESS)


def _merged(
    status: str, waits_for: str, updated_at: datetime, carried: Iterable[tuple[str, str, datetime]]
) -> tuple[str, datetime]:
    """What an owner waits for and its last change, given the (status, waits_for, updated_at) of the
    cases it carries: a reply on its conversation is its last change too, and while the owner is
    active and its conversation waits for the customer, so does the owner."""
    for carried_status, carried_waits, carried_at in carried:
        updated_at = max(updated_at, carried_at)
        if status in ACTIVE and carried_status in ACTIVE and carried_waits == WaitsFor.CUSTOMER:
            waits_for = WaitsFor.CUSTOMER
    return waits_for, updated_at


def with_carried(facts: CaseFacts, carried: Iterable[tuple[str, str, datetime]]) -> CaseFacts:
    """An owner's facts as its row shows them (`_merged`)."""
    waits_for, updated_at = _merged(facts.status, facts.waits_for, facts.updated_at, carried)
    return replace(facts, waits_for=waits_for, updated_at=updated_at)


def _merge_carried() -> None:
    """After a rebuild (which writes each owner's own facts): the owners merged with what they carry."""
    carried: dict[int, list[tuple[str, str, datetime]]] = {}
    rows = Case.objects.filter(carried_by__isnull=False).values_list(
        "carried_by_id", "status", "waits_for", "updated_at"
    )
    for owner_id, status, waits_for, updated_at in rows.iterator(chunk_size=2000):
        carried.setdefault(owner_id, []).append((status, waits_for, updated_at))
    ids = sorted(carried)
    for start in range(0, len(ids), 500):  # bounded IN lists: SQLite caps its parameters
        moved = []
        for owner in Case.objects.filter(pk__in=ids[start : start + 500]).only("status", "waits_for", "updated_at"):
            merged = _merged(owner.status, owner.waits_for, owner.updated_at, carried[owner.pk])
            if merged != (owner.waits_for, owner.updated_at):
                owner.waits_for, owner.updated_at = merged
                moved.append(owner)
        Case.objects.bulk_update(moved, ["waits_for", "updated_at"])


def _carried_by(case: Case) -> list[tuple[str, str, datetime]]:
    return list(Case.objects.filter(carried_by=case).values_list("status", "waits_for", "updated_at"))


def record(facts: CaseFacts, *, at: datetime | None = None, new: bool = False) -> Case:
    """Bring the index row of a case up to date (call it inside the change's transaction).

    `at` is when the change happened (now, for a live change); the row's last change moves only
    when something a reader sees moved. Opening and each new status add a timeline step.
    A carried case that moves brings its owner's row along (`with_carried`).
    `new`: the source row was just inserted, so no index row can exist yet: it is written without
    looking first (the unique constraint on kind and source would refuse a duplicate).
    """
    at = at or facts.updated_at
    # No savepoint of its own inside the caller's transaction: the index row commits or rolls back
    # with the change; called alone, it is its own transaction.
    with across_organisations(), transaction.atomic(savepoint=False):
        case, moved = _record(facts, at, new=new)
        if moved and case.carried_by_id is not None and case.carried_by_id != case.pk:
            _owner_moved(case.carried_by_id, at)
        return case


def _owner_moved(owner_id: int, at: datetime) -> None:
    """Record the owner again from its own source, merged with the cases it carries."""
    owner = Case.objects.filter(pk=owner_id).only("kind", "source_id").first()
    tracked = _tracked.get(owner.kind) if owner is not None else None
    if owner is None or tracked is None:
        return
    model, facts_of = tracked
    source = model._default_manager.filter(pk=owner.source_id).first()
    facts = facts_of(source) if source is not None else None
    if facts is not None:
        _record(facts, at)


def _record(facts: CaseFacts, at: datetime, *, new: bool = False) -> tuple[Case, bool]:
    """The row brought up to date, and whether it moved."""
    if new:
        return _open(facts, at), True
    case = Case.objects.select_for_update().filter(kind=facts.kind, source_id=facts.source_id).first()
    if case is not None and facts.carries:
        facts = with_carried(facts, _carried_by(case))
    if case is None:
        return _open(facts, at), True
    changed = [name for name in _INDEXED if getattr(case, name) != _indexed(facts, name)]
    if not changed:
        if facts.updated_at > case.updated_at:  # a reply, a note: the case moved, its status did not
            case.updated_at = facts.updated_at
            case.save(update_fields=["updated_at"])
            return case, True
        return case, False
    status_moved = case.status != facts.status
    for name in changed:
        setattr(case, name, _indexed(facts, name))
    case.updated_at = max(at, case.updated_at)
    case.save(update_fields=[*changed, "updated_at"])
    if status_moved:
        _step(case, CaseActivity.Event.STATUS, at=case.updated_at)
    if "carries" in changed:
        _fold([case])
    return case, True


def _open(facts: CaseFacts, at: datetime) -> Case:
    """The index row of a new case and its first step(s), each table written once."""
    case = _new_case(facts, updated_at=max(at, facts.created_at))
    steps = [_activity(case, CaseActivity.Event.OPENED, at=facts.created_at)]
    if facts.status != CaseStatus.OPEN:
        steps.append(_activity(case, CaseActivity.Event.STATUS, at=case.updated_at))
    if facts.carries:  # folding needs the row's id now
        inserts.write([case, *steps])
        _fold([case])
    else:  # with the caller's other new rows, when it writes them together (a new request)
        inserts.add(case, *steps)
    return case


def _fold(owners: Iterable[Case]) -> None:
    """Mark the cases each owner carries as carried by it (whichever of the two was indexed first)."""
    for owner in owners:
        for kind, number in owner.carries:
            Case.objects.filter(organisation_id=owner.organisation_id, kind=kind, number=number).exclude(
                pk=owner.pk
            ).exclude(carried_by=owner).update(carried_by=owner)


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
    _activity(case, event, at=at, note=note).save()


def every_case(kinds: Iterable[str] | None = None) -> Iterator[CaseFacts]:
    """Every case the registered contexts hold (for the rebuild)."""
    wanted = set(kinds) if kinds else None
    for each in sources():
        if wanted is None or each.kind in wanted:
            yield from each.every_case()


REBUILD_CHUNK = 1000  # rows per bulk statement: bounded memory, and under SQLite's parameter cap


def rebuild(facts: Iterable[CaseFacts], *, kinds: Iterable[str] | None = None) -> int:
    """Make the index hold exactly `facts` (for the given kinds): rows added, updated, removed.

    Cases already indexed keep their timeline; a case new to the index gets its opening step
    (and its current status) at the times its context knows. Works by chunks (one read, one
    bulk insert, one bulk update per chunk); the result is the one `record()` gives row by row.
    """
    seen: dict[str, set[int]] = {}
    count = 0
    chunk: list[CaseFacts] = []
    for each in facts:
        chunk.append(each)
        seen.setdefault(each.kind, set()).add(each.source_id)
        count += 1
        if len(chunk) >= REBUILD_CHUNK:
            _rebuild_chunk(chunk)
            chunk = []
    if chunk:
        _rebuild_chunk(chunk)
    with across_organisations():
        for kind in set(kinds or []) | set(seen):
            stale = sorted(
                set(Case.objects.filter(kind=kind).values_list("source_id", flat=True)) - seen.get(kind, set())
            )
            for start in range(0, len(stale), 500):  # bounded IN lists: SQLite caps its parameters
                Case.objects.filter(kind=kind, source_id__in=stale[start : start + 500]).delete()
        # Fold again what a rebuild added: owners none of whose carried cases points to them yet
        # (a steady index costs two reads, not one UPDATE per dispute).
        folded = set(Case.objects.filter(carried_by__isnull=False).values_list("carried_by_id", flat=True))
        owners = Case.objects.exclude(carries=[]).only("id", "organisation_id", "carries").order_by("pk")
        _fold(owner for owner in owners.iterator(chunk_size=2000) if owner.pk not in folded)
        _merge_carried()
    return count


def _rebuild_chunk(chunk: list[CaseFacts]) -> None:
    """One chunk of the rebuild, in one transaction: what `record()` does to each row, in bulk."""
    with across_organisations(), transaction.atomic():
        existing: dict[tuple[str, int], Case] = {}
        for kind in {facts.kind for facts in chunk}:
            ids = [facts.source_id for facts in chunk if facts.kind == kind]
            for case in Case.objects.select_for_update().filter(kind=kind, source_id__in=ids):
                existing[(case.kind, case.source_id)] = case
        new: list[Case] = []
        changed: list[Case] = []
        moved: list[Case] = []  # their status moved: a timeline step
        for facts in chunk:
            found = existing.get((facts.kind, facts.source_id))
            if found is None:
                new.append(_new_case(facts, updated_at=max(facts.updated_at, facts.created_at)))
                continue
            case = found
            names = [name for name in _INDEXED if getattr(case, name) != _indexed(facts, name)]
            if not names and facts.updated_at <= case.updated_at:
                continue
            if case.status != facts.status:
                moved.append(case)
            for name in names:
                setattr(case, name, _indexed(facts, name))
            case.updated_at = max(facts.updated_at, case.updated_at)
            changed.append(case)
        # A row a live change indexed meanwhile wins (update_conflicts): the rebuild's facts are as fresh.
        created = Case.objects.bulk_create(
            new,
            update_conflicts=True,
            unique_fields=["kind", "source_id"],
            update_fields=[*_INDEXED, "updated_at"],
        )
        if changed:
            Case.objects.bulk_update(changed, [*_INDEXED, "updated_at"])
        steps = [_activity(case, CaseActivity.Event.OPENED, at=case.created_at) for case in created]
        steps += [
            _activity(case, CaseActivity.Event.STATUS, at=case.updated_at)
            for case in created
            if case.status != CaseStatus.OPEN
        ]
        steps += [_activity(case, CaseActivity.Event.STATUS, at=case.updated_at) for case in moved]
        CaseActivity.objects.bulk_create(steps)


def _new_case(facts: CaseFacts, *, updated_at: datetime) -> Case:
    """The index row of `facts`, not saved yet."""
    return Case(
        organisation_id=facts.organisation_id,
        kind=facts.kind,
        source_id=facts.source_id,
        created_at=facts.created_at,
        updated_at=updated_at,
        **{name: _indexed(facts, name) for name in _INDEXED},
    )


def _activity(case: Case, event: str, *, at: datetime, note: str = "") -> CaseActivity:
    return CaseActivity(
        organisation_id=case.organisation_id,
        case=case,
        kind=case.kind,
        event=event,
        status=case.status,
        note=note,
        at=at,
    )


# kind -> (model, facts_of) of the tracked kinds: how an owner's row is recorded again when a case it
# carries moves.
_tracked: dict[str, tuple[type[Any], Callable[[Any], CaseFacts | None]]] = {}


def track(model: type[Any], kind: str, facts_of: Callable[[Any], CaseFacts | None]) -> None:
    """Keep the index of `model`'s rows current: every save records it (in the saving transaction),
    a delete forgets it. `facts_of` returns None for a row that is no case (an order not cancelled):
    nothing is written then (a row that became a case never stops being one)."""
    from django.db.models.signals import post_delete, post_save

    _tracked[kind] = (model, facts_of)

    def saved(sender: type[Any], instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if raw:  # fixtures: `guichet sync_cases` indexes them
            return
        facts = facts_of(instance)
        if facts is not None:
            record(facts, at=timezone.now(), new=bool(kwargs.get("created")))

    def deleted(sender: type[Any], instance: Any, **kwargs: Any) -> None:
        forget(kind, instance.pk)

    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"guichet.cases.saved.{kind}")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"guichet.cases.deleted.{kind}")
