"""Repairs, machine transfers and relocations in the case index: their statuses in the shared vocabulary."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from guichet.core import cases
from guichet.core.models import CaseStatus, WaitsFor
from guichet.core.tenancy import across_organisations

from .models import EstimateStatus, Relocation, RelocationStatus, RepairRequest, RepairStatus, Transfer, TransferStatus

REPAIR, TRANSFER, RELOCATION = "repair", "transfer", "relocation"

REPAIR_STATUS = {
    RepairStatus.SUBMITTED: (CaseStatus.OPEN, WaitsFor.VENDOR),
    RepairStatus.DISPATCHED: (CaseStatus.IN_PROGRESS, WaitsFor.VENDOR),
    RepairStatus.CLOSED: (CaseStatus.RESOLVED, WaitsFor.NOBODY),
    RepairStatus.DECLINED: (CaseStatus.CLOSED, WaitsFor.NOBODY),  # the customer declined the cost estimate
}
# A repair whose cost estimate waits for the customer's acceptance waits for them.
ESTIMATE_PENDING = (CaseStatus.WAITING, WaitsFor.CUSTOMER)
TRANSFER_STATUS = {
    TransferStatus.REPORTED: (CaseStatus.OPEN, WaitsFor.VENDOR),
    TransferStatus.CONFIRMED: (CaseStatus.IN_PROGRESS, WaitsFor.NOBODY),  # takes effect on its date by itself
    TransferStatus.DONE: (CaseStatus.CLOSED, WaitsFor.NOBODY),
}
RELOCATION_STATUS = {
    RelocationStatus.SUBMITTED: (CaseStatus.OPEN, WaitsFor.VENDOR),
    RelocationStatus.ASSIGNED: (CaseStatus.IN_PROGRESS, WaitsFor.VENDOR),
    RelocationStatus.APPROVED: (CaseStatus.IN_PROGRESS, WaitsFor.VENDOR),
    RelocationStatus.REFUSED: (CaseStatus.REFUSED, WaitsFor.NOBODY),
    RelocationStatus.CARRIED_OUT: (CaseStatus.RESOLVED, WaitsFor.NOBODY),
}


def _latest(*moments: datetime | None) -> datetime:
    return max(moment for moment in moments if moment is not None)


def _title(machine: object, text: str = "") -> str:
    """The machine (type, model, serial) and the customer's own words: no wording in one language,
    the kind column says what the case is in the reader's."""
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    return (f"{machine} · {first_line}" if first_line else str(machine))[:200]


def repair_facts(repair: RepairRequest) -> cases.CaseFacts:
    status, waits_for = REPAIR_STATUS[RepairStatus(repair.status)]
    if repair.estimate_status == EstimateStatus.PENDING:
        status, waits_for = ESTIMATE_PENDING
    return cases.CaseFacts(
        organisation_id=repair.organisation_id,
        kind=REPAIR,
        source_id=repair.pk,
        number=repair.number,
        title=_title(repair.machine, repair.description),
        status=status,
        waits_for=waits_for,
        url_name="inventory:repair",
        url_args={"number": repair.number},
        created_at=repair.created_at,
        updated_at=_latest(
            repair.created_at,
            repair.dispatched_at,
            repair.closed_at,
            repair.estimate_sent_at,
            repair.estimate_answered_at,
        ),
        requester_id=repair.requester_id,
    )


def transfer_facts(transfer: Transfer) -> cases.CaseFacts:
    status, waits_for = TRANSFER_STATUS[TransferStatus(transfer.status)]
    return cases.CaseFacts(
        organisation_id=transfer.organisation_id,
        kind=TRANSFER,
        source_id=transfer.pk,
        number=transfer.number,
        title=_title(transfer.machine, transfer.buyer),
        status=status,
        waits_for=waits_for,
        url_name="inventory:detail",
        url_args={"serial": transfer.machine.serial},
        created_at=transfer.created_at,
        updated_at=_latest(transfer.created_at, transfer.confirmed_at, transfer.effective_at),
        requester_id=transfer.requester_id,
    )


def relocation_facts(relocation: Relocation) -> cases.CaseFacts:
    status, waits_for = RELOCATION_STATUS[RelocationStatus(relocation.status)]
    return cases.CaseFacts(
        organisation_id=relocation.organisation_id,
        kind=RELOCATION,
        source_id=relocation.pk,
        number=relocation.number,
        title=f"{relocation.machine} {relocation.from_country} → {relocation.to_country}"[:200],
        status=status,
        waits_for=waits_for,
        url_name="inventory:relocation",
        url_args={"number": relocation.number},
        created_at=relocation.created_at,
        updated_at=_latest(relocation.created_at, relocation.decided_at, relocation.carried_out_at),
        requester_id=relocation.requester_id,
    )


def _every(
    model: type[RepairRequest] | type[Transfer] | type[Relocation], facts_of: object
) -> Iterator[cases.CaseFacts]:
    with across_organisations():
        for row in model.objects.select_related("machine").order_by("pk").iterator(chunk_size=2000):
            yield facts_of(row)  # type: ignore[operator]


def _repairs() -> Iterator[cases.CaseFacts]:
    return _every(RepairRequest, repair_facts)


def _transfers() -> Iterator[cases.CaseFacts]:
    return _every(Transfer, transfer_facts)


def _relocations() -> Iterator[cases.CaseFacts]:
    return _every(Relocation, relocation_facts)


def register() -> None:
    cases.register(cases.CaseSource(REPAIR, _("Repair"), "inventory", every_case=_repairs, position=20))
    cases.register(cases.CaseSource(TRANSFER, _("Machine transfer"), "inventory", every_case=_transfers, position=30))
    cases.register(cases.CaseSource(RELOCATION, _("Relocation"), "inventory", every_case=_relocations, position=40))
    cases.track(RepairRequest, REPAIR, repair_facts)
    cases.track(Transfer, TRANSFER, transfer_facts)
    cases.track(Relocation, RELOCATION, relocation_facts)
