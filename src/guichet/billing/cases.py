"""Invoice disputes in the case index: their states in the shared vocabulary."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from guichet.core import cases
from guichet.core.models import CaseStatus, WaitsFor
from guichet.core.tenancy import across_organisations

from .models import Dispute

KIND = "dispute"

STATUS = {
    Dispute.State.OPEN: (CaseStatus.IN_PROGRESS, WaitsFor.VENDOR),
    Dispute.State.CREDITED: (CaseStatus.RESOLVED, WaitsFor.NOBODY),
    Dispute.State.REJECTED: (CaseStatus.REFUSED, WaitsFor.NOBODY),
}


def facts_of(dispute: Dispute) -> cases.CaseFacts:
    status, waits_for = STATUS[Dispute.State(dispute.state)]
    invoice = dispute.invoice
    reason = dispute.reason.strip().splitlines()[0] if dispute.reason.strip() else ""
    return cases.CaseFacts(
        organisation_id=dispute.organisation_id,
        kind=KIND,
        source_id=dispute.pk,
        number=invoice.number,  # a dispute is known by its invoice (one open dispute per invoice)
        title=reason[:200],
        status=status,
        waits_for=waits_for,
        url_name="billing:invoice",
        url_args={"number": invoice.number},
        created_at=dispute.created_at,
        updated_at=max(moment for moment in (dispute.created_at, dispute.resolved_at) if moment is not None),
        requester_id=dispute.opened_by_id,
        # Its conversation is a support request: the dispute's row stands for both (ADR 0011).
        carries=(("request", dispute.request.number),) if dispute.request is not None else (),
    )


def every_case() -> Iterator[cases.CaseFacts]:
    with across_organisations():
        for dispute in Dispute.objects.select_related("invoice", "request").order_by("pk").iterator(chunk_size=2000):
            yield facts_of(dispute)


def register() -> None:
    cases.register(cases.CaseSource(KIND, _("Invoice dispute"), "invoices", every_case=every_case, position=50))
    cases.track(Dispute, KIND, facts_of)
