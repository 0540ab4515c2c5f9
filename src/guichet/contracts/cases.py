"""Contract terminations in the case index: their statuses in the shared vocabulary."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from guichet.core import cases
from guichet.core.models import CaseStatus, WaitsFor
from guichet.core.tenancy import across_organisations

from .models import Termination, TerminationKind, TerminationStatus

KIND = "termination"

STATUS = {
    TerminationStatus.PENDING: (CaseStatus.OPEN, WaitsFor.VENDOR),
    TerminationStatus.ACCEPTED: (CaseStatus.IN_PROGRESS, WaitsFor.NOBODY),  # takes effect on its date
    TerminationStatus.EFFECTIVE: (CaseStatus.CLOSED, WaitsFor.NOBODY),
    TerminationStatus.REFUSED: (CaseStatus.REFUSED, WaitsFor.NOBODY),
    TerminationStatus.WITHDRAWN: (CaseStatus.CLOSED, WaitsFor.NOBODY),
}


def facts_of(termination: Termination) -> cases.CaseFacts:
    status, waits_for = STATUS[TerminationStatus(termination.status)]
    if (
        termination.status == TerminationStatus.ACCEPTED
        and termination.kind == TerminationKind.MONTHLY_LICENCE
        and not termination.copies_destroyed
    ):
        waits_for = WaitsFor.CUSTOMER  # the copies' destruction is the customer's to confirm
    contract = termination.contract
    reason = termination.reason.strip().splitlines()[0] if termination.reason.strip() else ""
    moments = (
        termination.created_at,
        termination.decided_at,
        termination.effective_at,
        termination.copies_destroyed_at,
    )
    return cases.CaseFacts(
        organisation_id=termination.organisation_id,
        kind=KIND,
        source_id=termination.pk,
        number=contract.number,
        title=(reason or contract.title)[:200],
        status=status,
        waits_for=waits_for,
        url_name="contracts:detail",
        url_args={"number": contract.number},
        created_at=termination.created_at,
        updated_at=max(moment for moment in moments if moment is not None),
        requester_id=termination.requested_by_id,
        # Its conversation is a support request: the termination's row stands for both (ADR 0011).
        carries=(("request", termination.request_number),) if termination.request_number else (),
    )


def every_case() -> Iterator[cases.CaseFacts]:
    with across_organisations():
        for termination in Termination.objects.select_related("contract").order_by("pk").iterator(chunk_size=2000):
            yield facts_of(termination)


def register() -> None:
    cases.register(cases.CaseSource(KIND, _("Contract termination"), "contracts", every_case=every_case, position=60))
    cases.track(Termination, KIND, facts_of)
