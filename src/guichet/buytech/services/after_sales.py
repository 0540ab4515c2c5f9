"""After the order: cancellations, returns and warranty claims, with their refunds."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import User
from guichet.contracts import services as contract_services
from guichet.core import audit
from guichet.core.errors import Conflict, DomainError
from guichet.support.services import request_submit

from .. import rules
from ..models import (
    BuyTechOrder,
    ClaimRemedy,
    ClaimStatus,
    LineStatus,
    OrderLine,
    OrderStatus,
    Product,
    Refund,
    RefundReason,
    ReturnRequest,
    ReturnStatus,
    WarrantyClaim,
)
from . import clock
from .shared import lines_of, lock, order_total, tell
from .shipping import settle_delivery


def _paid_for(order: BuyTechOrder, lines: Iterable[OrderLine]) -> Decimal:
    """What the organisation has paid for these items: the fee (if the partner has it), the price (if the
    vendor has it)."""
    return sum((line.paid_share(order) for line in lines), Decimal("0"))


def _refund(order: BuyTechOrder, reason: str, amount: Decimal, request_number: str = "") -> Refund | None:
    if amount <= 0:
        return None
    return Refund.objects.create(
        organisation=order.organisation, order=order, reason=reason, amount=amount, request_number=request_number
    )


def _release_stock(lines: Iterable[OrderLine]) -> None:
    for line in lines:
        if not line.shipment_id:
            product = Product.objects.select_for_update().get(pk=line.product_id)
            product.stock += 1
            product.save(update_fields=["stock"])


def _withdraw_agreements(order: BuyTechOrder) -> None:
    """A cancelled order's agreements that nobody signed leave the signing queue (signed ones stay as they are)."""
    contract_services.program_agreements_withdraw(
        organisation=order.organisation, contract_ids=[order.relationship_agreement_id, order.devices_agreement_id]
    )


@transaction.atomic
def order_cancel(
    *,
    actor: User,
    order: BuyTechOrder,
    positions: Iterable[int] | None = None,
    http_request: HttpRequest | None = None,
) -> BuyTechOrder:
    """The customer cancels the order or some items: before delivery, or up to 14 days after it."""
    order = lock(order)
    if order.is_cancelled:
        raise Conflict(_("This order is already cancelled."), code="already_cancelled")
    chosen = list(positions or [])
    active = list(order.lines.select_related("shipment", "product").filter(status=LineStatus.ACTIVE))
    lines = lines_of(order, chosen) if chosen else active
    if any(line.status != LineStatus.ACTIVE for line in lines):
        raise Conflict(_("Some items are already cancelled or returned."), code="lines_unavailable")
    now_day = clock.today()
    late = [
        line.position
        for line in lines
        if not rules.may_cancel(now_day, line.shipment.delivered_on if line.shipment else None)
    ]
    if late:
        raise Conflict(
            _("The 14 days after delivery have passed: ask for a return or a warranty claim instead."),
            code="cancellation_window_closed",
            details={"positions": late},
        )
    now = timezone.now()
    OrderLine.objects.filter(pk__in=[line.pk for line in lines]).update(status=LineStatus.CANCELLED, cancelled_at=now)
    _release_stock(lines)
    refund = _refund(order, RefundReason.CUSTOMER_CANCELLATION, _paid_for(order, lines))
    if not order.lines.filter(status=LineStatus.ACTIVE).exists():
        order.status = OrderStatus.CANCELLED
        order.cancelled_at = now
        order.save(update_fields=["status", "cancelled_at"])
        _withdraw_agreements(order)
    else:
        settle_delivery(order)  # the one item still awaited may be the one just cancelled
    audit.record(
        "buytech.order_cancelled",
        actor=actor,
        organisation=order.organisation,
        target=order.number,
        data={"positions": [line.position for line in lines]},
        request=http_request,
    )
    tell(
        order,
        "buytech_cancelled",
        items=[line.description for line in lines],
        refund=str(refund.amount) if refund else "",
        currency=order.currency,
    )
    return order


@transaction.atomic
def order_vendor_cancel(
    *, actor: User, order: BuyTechOrder, reason: str, http_request: HttpRequest | None = None
) -> BuyTechOrder:
    """The vendor cancels (a donation fell through). After payment it becomes a case with a refund."""
    order = lock(order)
    if order.is_cancelled or order.status == OrderStatus.DELIVERED:
        raise Conflict(_("This order can no longer be cancelled."), code="order_closed")
    if not reason.strip():
        raise DomainError(_("Give the reason for the cancellation."), code="reason_required")
    lines = list(order.lines.filter(status=LineStatus.ACTIVE))
    OrderLine.objects.filter(pk__in=[line.pk for line in lines]).update(
        status=LineStatus.CANCELLED, cancelled_at=timezone.now()
    )
    _release_stock(lines)
    request_number = ""
    if order.fee_paid_at is not None:  # money has changed hands: a case follows the refund
        customer = order.ordered_by
        with translation.override(customer.language or order.organisation.language):
            subject = gettext("Buy Tech order %(number)s cancelled by the vendor: refund") % {"number": order.number}
            description = gettext(
                "The vendor cancelled Buy Tech order %(number)s after payment (partner identifier %(partner)s). "
                "Reason: %(reason)s"
            ) % {"number": order.number, "partner": order.partner_id, "reason": reason.strip()}
        case = request_submit(
            actor=customer,
            organisation=order.organisation,
            type="orders",
            subject=subject[:200],
            description=description,
            details={"order_number": order.number, "partner_id": order.partner_id},
            contact={"name": customer.get_full_name(), "email": customer.email, "phone": customer.phone},
        )
        request_number = case.number
    _refund(order, RefundReason.VENDOR_CANCELLATION, _paid_for(order, lines), request_number)
    order.status = OrderStatus.CANCELLED_BY_VENDOR
    order.cancelled_at = timezone.now()
    order.cancel_reason = reason.strip()[:500]
    order.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    _withdraw_agreements(order)
    audit.record(
        "buytech.order_vendor_cancelled",
        actor=actor,
        organisation=order.organisation,
        target=order.number,
        data={"request": request_number},
        request=http_request,
    )
    tell(order, "buytech_vendor_cancelled", reason=order.cancel_reason, request_number=request_number)
    return order


@transaction.atomic
def return_request(
    *,
    actor: User,
    order: BuyTechOrder,
    positions: Iterable[int],
    reason: str,
    organisation_name: str = "",
    http_request: HttpRequest | None = None,
) -> ReturnRequest:
    order = lock(order)
    lines = lines_of(order, positions)
    if not reason.strip():
        raise DomainError(_("Give the reason for the return."), code="reason_required")
    if any(line.status != LineStatus.ACTIVE for line in lines):
        raise Conflict(_("Some items are already cancelled or returned."), code="lines_unavailable")
    now_day = clock.today()
    late = [
        line.position
        for line in lines
        if not rules.may_return(now_day, line.shipment.delivered_on if line.shipment else None)
    ]
    if late:
        raise Conflict(
            _("Returns are accepted for delivered items, within 60 days after delivery."),
            code="return_window_closed",
            details={"positions": late},
        )
    count = order.returns.count() + 1
    item = ReturnRequest.objects.create(
        organisation=order.organisation,
        order=order,
        number=f"{order.number}-R{count}",
        organisation_name=(organisation_name or order.organisation.name).strip()[:200],
        reason=reason.strip(),
        requested_by=actor,
    )
    item.lines.set(lines)
    audit.record(
        "buytech.return_requested",
        actor=actor,
        organisation=order.organisation,
        target=item.number,
        request=http_request,
    )
    tell(order, "buytech_return_requested", return_number=item.number)
    return item


@transaction.atomic
def return_decide(
    *,
    actor: User,
    item: ReturnRequest,
    accept: bool,
    text: str,
    http_request: HttpRequest | None = None,
) -> ReturnRequest:
    item = ReturnRequest.objects.select_for_update().select_related("order").get(pk=item.pk)
    if item.status != ReturnStatus.REQUESTED:
        raise Conflict(_("This return has already been decided."), code="already_decided")
    if not text.strip():
        raise DomainError(
            _("Write the return instructions.") if accept else _("Say why the return is refused."), code="text_required"
        )
    item.status = ReturnStatus.ACCEPTED if accept else ReturnStatus.REFUSED
    item.decided_at = timezone.now()
    if accept:
        item.instructions = text.strip()
    else:
        item.decision_note = text.strip()[:500]
    item.save()
    audit.record(
        "buytech.return_decided",
        actor=actor,
        organisation=item.organisation,
        target=item.number,
        data={"accepted": accept},
        request=http_request,
    )
    tell(item.order, "buytech_return_decided", return_number=item.number, accepted=accept, text=text.strip())
    return item


@transaction.atomic
def return_receive(*, actor: User, item: ReturnRequest, http_request: HttpRequest | None = None) -> Refund | None:
    item = ReturnRequest.objects.select_for_update().select_related("order").get(pk=item.pk)
    if item.status != ReturnStatus.ACCEPTED:
        raise Conflict(_("Only an accepted return can be received."), code="not_accepted")
    lines = list(item.lines.all())
    OrderLine.objects.filter(pk__in=[line.pk for line in lines]).update(status=LineStatus.RETURNED)
    item.status = ReturnStatus.RECEIVED
    item.received_at = timezone.now()
    item.save(update_fields=["status", "received_at"])
    refund = _refund(item.order, RefundReason.RETURN, order_total(item.order, lines))
    audit.record(
        "buytech.return_received", actor=actor, organisation=item.organisation, target=item.number, request=http_request
    )
    tell(
        item.order,
        "buytech_refunded",
        return_number=item.number,
        refund=str(refund.amount) if refund else "0",
        currency=item.order.currency,
    )
    return refund


def replacement_for(line: OrderLine, *, lock: bool = False) -> Product | None:
    """The in-stock device of at least the same functionality closest to the original."""
    original = line.product
    candidates = Product.objects.filter(
        kind=original.kind, functional_score__gte=original.functional_score, stock__gt=0, active=True
    ).order_by("functional_score", "price", "sku")
    if lock:
        candidates = candidates.select_for_update()
    for candidate in candidates:
        if rules.is_functional_equivalent(
            original_kind=original.kind,
            original_score=original.functional_score,
            candidate_kind=candidate.kind,
            candidate_score=candidate.functional_score,
        ):
            return candidate
    return None


@transaction.atomic
def warranty_claim(
    *,
    actor: User,
    order: BuyTechOrder,
    position: int,
    description: str,
    remedy: str,
    http_request: HttpRequest | None = None,
) -> WarrantyClaim:
    """A defect after the 14-day window and within 12 months: replacement if in stock (reserved now), or refund."""
    order = lock(order)
    (line,) = lines_of(order, [position])
    if line.status != LineStatus.ACTIVE:
        raise Conflict(_("This item is cancelled or returned."), code="lines_unavailable")
    if not description.strip():
        raise DomainError(_("Describe the defect."), code="description_required")
    if remedy not in ClaimRemedy.values:
        raise DomainError(_("Choose a replacement or a refund."), code="invalid_remedy")
    delivered = line.shipment.delivered_on if line.shipment else None
    now_day = clock.today()
    if delivered is not None and rules.may_cancel(now_day, delivered):
        raise Conflict(
            _("Within 14 days of delivery, cancel the item instead: you are refunded."), code="use_cancellation"
        )
    if not rules.may_claim_warranty(now_day, delivered):
        raise Conflict(_("The warranty covers 12 months from delivery."), code="warranty_expired")
    if order.claims.filter(line=line, status=ClaimStatus.OPEN).exists():
        raise Conflict(_("This item already has an open claim."), code="claim_open")
    replacement = None
    if remedy == ClaimRemedy.REPLACEMENT:
        replacement = replacement_for(line, lock=True)
        if replacement is None:
            raise Conflict(
                _("No device of at least the same functionality is in stock: choose a refund."),
                code="no_replacement_in_stock",
            )
        replacement.stock -= 1
        replacement.save(update_fields=["stock"])
    count = order.claims.count() + 1
    claim = WarrantyClaim.objects.create(
        organisation=order.organisation,
        order=order,
        number=f"{order.number}-W{count}",
        line=line,
        description=description.strip(),
        remedy=remedy,
        replacement=replacement,
        claimed_by=actor,
    )
    audit.record(
        "buytech.warranty_claimed",
        actor=actor,
        organisation=order.organisation,
        target=claim.number,
        data={"remedy": remedy, "replacement": replacement.sku if replacement else None},
        request=http_request,
    )
    tell(
        order,
        "buytech_warranty_claimed",
        claim_number=claim.number,
        item=line.description,
        remedy=remedy,
        replacement=replacement.name if replacement else "",
    )
    return claim


@transaction.atomic
def claim_resolve(*, actor: User, claim: WarrantyClaim, http_request: HttpRequest | None = None) -> WarrantyClaim:
    """The replacement has been sent, or the refund is issued."""
    claim = WarrantyClaim.objects.select_for_update().select_related("order", "line").get(pk=claim.pk)
    if claim.status != ClaimStatus.OPEN:
        raise Conflict(_("This claim is already resolved."), code="already_resolved")
    claim.status = ClaimStatus.RESOLVED
    claim.resolved_at = timezone.now()
    claim.save(update_fields=["status", "resolved_at"])
    if claim.remedy == ClaimRemedy.REFUND:
        OrderLine.objects.filter(pk=claim.line_id).update(status=LineStatus.RETURNED)
        _refund(claim.order, RefundReason.WARRANTY, claim.line.total)
    audit.record(
        "buytech.claim_resolved",
        actor=actor,
        organisation=claim.organisation,
        target=claim.number,
        request=http_request,
    )
    tell(claim.order, "buytech_claim_resolved", claim_number=claim.number, remedy=claim.remedy)
    return claim
