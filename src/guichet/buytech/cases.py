"""Buy Tech cancellations, returns and warranty claims in the case index."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from guichet.core import cases
from guichet.core.models import CaseStatus, WaitsFor
from guichet.core.tenancy import across_organisations

from .models import BuyTechOrder, ClaimStatus, OrderStatus, ReturnRequest, ReturnStatus, WarrantyClaim

CANCELLATION, RETURN, WARRANTY = "buytech_cancellation", "buytech_return", "warranty_claim"

RETURN_STATUS = {
    ReturnStatus.REQUESTED: (CaseStatus.OPEN, WaitsFor.VENDOR),
    ReturnStatus.ACCEPTED: (CaseStatus.WAITING, WaitsFor.CUSTOMER),  # the items are the customer's to send
    ReturnStatus.REFUSED: (CaseStatus.REFUSED, WaitsFor.NOBODY),
    ReturnStatus.RECEIVED: (CaseStatus.RESOLVED, WaitsFor.NOBODY),
}
CLAIM_STATUS = {
    ClaimStatus.OPEN: (CaseStatus.OPEN, WaitsFor.VENDOR),
    ClaimStatus.RESOLVED: (CaseStatus.RESOLVED, WaitsFor.NOBODY),
}


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:200] if text.strip() else ""


def cancellation_facts(order: BuyTechOrder) -> cases.CaseFacts | None:
    """A cancelled order is a (closed) cancellation case; any other order is none."""
    if order.status not in (OrderStatus.CANCELLED, OrderStatus.CANCELLED_BY_VENDOR) or order.cancelled_at is None:
        return None
    return cases.CaseFacts(
        organisation_id=order.organisation_id,
        kind=CANCELLATION,
        source_id=order.pk,
        number=order.number,
        title=_first_line(order.cancel_reason),
        status=CaseStatus.CLOSED,
        waits_for=WaitsFor.NOBODY,
        url_name="buytech:order",
        url_args={"number": order.number},
        created_at=order.cancelled_at,
        updated_at=order.cancelled_at,
        requester_id=order.ordered_by_id,
    )


def return_facts(item: ReturnRequest) -> cases.CaseFacts:
    status, waits_for = RETURN_STATUS[ReturnStatus(item.status)]
    moments = (item.created_at, item.decided_at, item.received_at)
    return cases.CaseFacts(
        organisation_id=item.organisation_id,
        kind=RETURN,
        source_id=item.pk,
        number=item.number,
        title=_first_line(item.reason),
        status=status,
        waits_for=waits_for,
        url_name="buytech:order",
        url_args={"number": item.order.number},
        created_at=item.created_at,
        updated_at=max(moment for moment in moments if moment is not None),
        requester_id=item.requested_by_id,
    )


def claim_facts(claim: WarrantyClaim) -> cases.CaseFacts:
    status, waits_for = CLAIM_STATUS[ClaimStatus(claim.status)]
    moments = (claim.created_at, claim.resolved_at)
    return cases.CaseFacts(
        organisation_id=claim.organisation_id,
        kind=WARRANTY,
        source_id=claim.pk,
        number=claim.number,
        title=_first_line(claim.description),
        status=status,
        waits_for=waits_for,
        url_name="buytech:order",
        url_args={"number": claim.order.number},
        created_at=claim.created_at,
        updated_at=max(moment for moment in moments if moment is not None),
        requester_id=claim.claimed_by_id,
    )


def _cancellations() -> Iterator[cases.CaseFacts]:
    with across_organisations():
        cancelled = BuyTechOrder.objects.filter(status__in=(OrderStatus.CANCELLED, OrderStatus.CANCELLED_BY_VENDOR))
        for order in cancelled.order_by("pk").iterator(chunk_size=2000):
            if (facts := cancellation_facts(order)) is not None:
                yield facts


def _returns() -> Iterator[cases.CaseFacts]:
    with across_organisations():
        for item in ReturnRequest.objects.select_related("order").order_by("pk").iterator(chunk_size=2000):
            yield return_facts(item)


def _claims() -> Iterator[cases.CaseFacts]:
    with across_organisations():
        for claim in WarrantyClaim.objects.select_related("order").order_by("pk").iterator(chunk_size=2000):
            yield claim_facts(claim)


def register() -> None:
    cases.register(
        cases.CaseSource(CANCELLATION, _("Buy Tech cancellation"), "buytech", every_case=_cancellations, position=70)
    )
    cases.register(cases.CaseSource(RETURN, _("Buy Tech return"), "buytech", every_case=_returns, position=80))
    cases.register(cases.CaseSource(WARRANTY, _("Warranty claim"), "buytech", every_case=_claims, position=90))
    cases.track(BuyTechOrder, CANCELLATION, cancellation_facts)
    cases.track(ReturnRequest, RETURN, return_facts)
    cases.track(WarrantyClaim, WARRANTY, claim_facts)
