"""Writes of the Buy Tech program: one transaction each, with an audit event and the e-mails it owes."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Membership, Organisation, User
from guichet.contracts import selectors as contract_selectors
from guichet.contracts import services as contract_services
from guichet.core import audit, numbering
from guichet.core.calendar import BusinessCalendar, calendar_for
from guichet.core.errors import Conflict, DomainError, PermissionDenied
from guichet.core.notifications.outbox import enqueue
from guichet.core.structured_communication import structured_communication
from guichet.core.tenancy import across_organisations
from guichet.orders.carriers import check_tracking_number, get_carrier
from guichet.support.services import request_submit

from . import rules
from .models import (
    Attestation,
    BuyTechOrder,
    BuyTechShipment,
    ClaimRemedy,
    ClaimStatus,
    Eligibility,
    EligibilitySource,
    EligibilityStatus,
    LineStatus,
    OrderLine,
    OrderStatus,
    PartnerImport,
    Product,
    Refund,
    RefundReason,
    ReturnRequest,
    ReturnStatus,
    WarrantyClaim,
)

# The partner's account for payments (demo values; an operator sets the real one in settings).
PAYMENT_IBAN = getattr(settings, "BUYTECH_PAYMENT_IBAN", "BE71 0961 2345 6769")
PAYMENT_BENEFICIARY = getattr(settings, "BUYTECH_PAYMENT_BENEFICIARY", "SOCIALware ASBL")


def calendar() -> BusinessCalendar:
    return calendar_for(rules.PROGRAM_COUNTRY, None)


def today() -> date:
    return calendar().today()


class NotEligible(PermissionDenied):
    code = "not_eligible"


# --- eligibility -----------------------------------------------------------------------------------


def gaps_of(organisation: Organisation) -> list[str]:
    with across_organisations():
        eligibility = Eligibility.objects.filter(organisation=organisation).first()
        attestation = (
            Attestation.objects.filter(organisation=organisation, wording_version=rules.ATTESTATION_VERSION)
            .values_list("wording_version", flat=True)
            .first()
        )
    return rules.eligibility_gaps(
        country=organisation.country,
        is_nonprofit=organisation.is_nonprofit,
        verified=organisation.verified,
        partner_id=organisation.partner_id,
        partner_status=eligibility.status if eligibility else None,
        attestation_version=attestation,
    )


GAP_MESSAGES = {
    rules.NOT_BELGIAN: _("Buy Tech is open to organisations established in Belgium."),
    rules.NOT_NONPROFIT: _("Buy Tech is for nonprofit organisations; yours is not registered as one."),
    rules.NOT_VERIFIED: _("Your organisation's registration has not been verified yet."),
    rules.NO_PARTNER_ID: _(
        "Register your organisation with our partner SOCIALware and give us its partner identifier."
    ),
    rules.PARTNER_PENDING: _("Our partner has not yet confirmed that your organisation is eligible."),
    rules.PARTNER_REFUSED: _("Our partner found your organisation not eligible."),
    rules.NO_ATTESTATION: _("Sign the non-discrimination attestation."),
}


def gap_messages(gaps: Iterable[str]) -> list[dict[str, str]]:
    return [{"code": gap, "message": str(GAP_MESSAGES[gap])} for gap in gaps]


def require_eligible(organisation: Organisation) -> None:
    gaps = gaps_of(organisation)
    if gaps:
        raise NotEligible(
            _("Your organisation cannot order from Buy Tech yet."),
            details={"missing": gap_messages(gaps)},
        )


def may_sign_attestation(user: User, organisation: Organisation) -> bool:
    return (
        Membership.objects.filter(user=user, organisation=organisation).filter(role=Membership.Role.ADMIN).exists()
        or Membership.objects.filter(user=user, organisation=organisation, is_signatory=True).exists()
    )


@transaction.atomic
def attestation_sign(
    *, actor: User, organisation: Organisation, http_request: HttpRequest | None = None
) -> Attestation:
    if not may_sign_attestation(actor, organisation):
        raise PermissionDenied(
            _("Only a customer admin or a signatory of the organisation may sign the attestation."),
            code="not_signatory",
        )
    existing = Attestation.objects.filter(organisation=organisation, wording_version=rules.ATTESTATION_VERSION).first()
    if existing is not None:
        return existing
    attestation = Attestation.objects.create(
        organisation=organisation,
        wording_version=rules.ATTESTATION_VERSION,
        language=translation.get_language() or actor.language,
        signer=actor,
        signer_name=actor.get_full_name(),
        ip=audit.client_ip(http_request),
    )
    audit.record(
        "buytech.attestation_signed",
        actor=actor,
        organisation=organisation,
        target=rules.ATTESTATION_VERSION,
        request=http_request,
    )
    return attestation


@transaction.atomic
def eligibility_set(
    *,
    actor: User | None,
    organisation: Organisation,
    status: str,
    source: str = EligibilitySource.AGENT,
    note: str = "",
    http_request: HttpRequest | None = None,
) -> Eligibility:
    if status not in EligibilityStatus.values:
        raise DomainError(_("Unknown eligibility status."), code="invalid_status")
    with across_organisations():
        eligibility, _created = Eligibility.objects.update_or_create(
            organisation=organisation,
            defaults={
                "status": status,
                "source": source,
                "confirmed_by": actor if source == EligibilitySource.AGENT else None,
                "confirmed_at": timezone.now(),
                "note": note[:300],
            },
        )
    audit.record(
        "buytech.eligibility_set",
        actor=actor,
        organisation=organisation,
        target=status,
        data={"source": source},
        request=http_request,
        actor_label="" if actor else "partner import",
    )
    return eligibility


@dataclass(frozen=True)
class ImportRowError:
    line: int
    message: str


class ImportRejected(DomainError):
    code = "import_rejected"


PARTNER_CSV_COLUMNS = ("customer_number", "partner_id", "status")


def partner_import(
    *,
    actor: User | None,
    file_name: str,
    content: str,
    progress: Callable[[int, int], None] | None = None,
) -> PartnerImport:
    """Apply the partner's CSV (customer_number, partner_id, status): every row valid, or nothing changes."""
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    if reader.fieldnames is None or not set(PARTNER_CSV_COLUMNS) <= {f.strip() for f in reader.fieldnames}:
        raise ImportRejected(
            _("The file must have the columns %(columns)s.") % {"columns": ", ".join(PARTNER_CSV_COLUMNS)},
            details={"errors": []},
        )
    rows = [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]
    errors: list[ImportRowError] = []
    plan: list[tuple[Organisation, str, str]] = []
    organisations = {
        o.customer_number: o
        for o in Organisation.objects.filter(customer_number__in=[r["customer_number"] for r in rows])
    }
    for index, row in enumerate(rows, start=2):
        organisation = organisations.get(row["customer_number"])
        status = row["status"].lower()
        if organisation is None:
            errors.append(ImportRowError(index, gettext("unknown customer number %s") % row["customer_number"]))
            continue
        if organisation.country != rules.PROGRAM_COUNTRY:
            errors.append(ImportRowError(index, gettext("%s is not a Belgian organisation") % row["customer_number"]))
            continue
        if not row["partner_id"]:
            errors.append(ImportRowError(index, gettext("the partner identifier is missing")))
            continue
        if organisation.partner_id and organisation.partner_id != row["partner_id"]:
            errors.append(ImportRowError(index, gettext("the partner identifier does not match the organisation's")))
            continue
        if status not in (rules.ELIGIBLE, rules.REFUSED, rules.PENDING):
            errors.append(ImportRowError(index, gettext("status must be eligible, refused or pending")))
            continue
        plan.append((organisation, row["partner_id"], status))
    if errors:
        raise ImportRejected(
            _("The file was not imported: %(n)s rows have errors.") % {"n": len(errors)},
            details={"errors": [{"line": e.line, "message": e.message} for e in errors]},
        )
    with transaction.atomic():
        record = PartnerImport.objects.create(file_name=file_name[:200], rows=len(plan), imported_by=actor)
        for done, (organisation, partner_id, status) in enumerate(plan, start=1):
            if not organisation.partner_id:
                organisation.partner_id = partner_id
                organisation.save(update_fields=["partner_id"])
            eligibility_set(
                actor=None, organisation=organisation, status=status, source=EligibilitySource.PARTNER_IMPORT
            )
            record.eligible += status == rules.ELIGIBLE
            record.refused += status == rules.REFUSED
            if progress is not None:
                progress(done, len(plan))
        record.save(update_fields=["eligible", "refused"])
        audit.record("buytech.partner_import", actor=actor, target=file_name, data={"rows": len(plan)})
    return record


# --- numbers and notifications ---------------------------------------------------------------------


def _next_sequence(year: int) -> int:
    """`2026000001`: the year, then a per-year value (`core.numbering`); number and payment reference derive from it."""
    return year * 1_000_000 + numbering.next_value(numbering.sequence_key("buytech", year))


def order_url(order: BuyTechOrder, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("buytech:order", kwargs={"number": order.number})


def _tell(order: BuyTechOrder, template: str, **extra: Any) -> None:
    customer = order.ordered_by
    language = customer.language or order.organisation.language
    enqueue(
        to=customer.email,
        language=language,
        template=template,
        context={
            "number": order.number,
            "first_name": customer.first_name,
            "organisation": order.organisation.name,
            "partner_id": order.partner_id,
            "url": order_url(order, language),
            **extra,
        },
        thread_key=order.number,
    )


def order_total(order: BuyTechOrder, lines: Iterable[OrderLine] | None = None) -> Decimal:
    chosen = lines if lines is not None else order.lines.filter(status=LineStatus.ACTIVE)
    return sum((line.total for line in chosen), Decimal("0"))


def contract_url(number: str) -> str:
    """The contracts context's page for an agreement, if it is installed yet."""
    try:
        return reverse("contracts:detail", kwargs={"number": number})
    except NoReverseMatch:
        return ""


# --- ordering -----------------------------------------------------------------------------------------


@transaction.atomic
def order_reserve(
    *,
    actor: User,
    organisation: Organisation,
    items: dict[str, int],
    http_request: HttpRequest | None = None,
) -> BuyTechOrder:
    """Reserve the devices (stock locked and taken), number the order, send the payment instructions."""
    require_eligible(organisation)
    wanted = {sku: qty for sku, qty in items.items() if qty}
    if not wanted:
        raise DomainError(_("Your cart is empty."), code="empty_cart")
    # No quota (the program's FAQ): what is in stock is the only limit, checked below under lock.
    if any(qty < 0 for qty in wanted.values()):
        raise DomainError(_("Quantities must be at least 1."), code="invalid_quantity")
    # Locked in one order (by id) so two reservations of the same devices queue instead of deadlocking.
    locked = Product.objects.select_for_update().filter(sku__in=wanted, active=True).order_by("pk")
    products = {p.sku: p for p in locked}
    unknown = sorted(set(wanted) - set(products))
    if unknown:
        raise DomainError(_("Some products are not on offer."), code="unknown_product", details={"products": unknown})
    short = [sku for sku, qty in wanted.items() if products[sku].stock < qty]
    if short:
        raise Conflict(
            _("Not enough stock for: %(names)s.") % {"names": ", ".join(products[s].name for s in short)},
            code="out_of_stock",
            details={"products": short},
        )
    now = timezone.now()
    reserved_on = today()
    sequence = _next_sequence(reserved_on.year)
    order = BuyTechOrder.objects.create(
        organisation=organisation,
        number=f"BT-{reserved_on.year}-{sequence % 1_000_000:06d}",
        sequence=sequence,
        ordered_by=actor,
        partner_id=organisation.partner_id,
        payment_reference=structured_communication(sequence),
        reserved_at=now,
        reserved_on=reserved_on,
        confirmation_due=rules.confirmation_due(reserved_on, calendar().add_business_days),
        processing_due=rules.processing_due(reserved_on),
    )
    position = 0
    for sku, qty in wanted.items():
        product = products[sku]
        product.stock -= qty
        product.save(update_fields=["stock"])
        for _unit in range(qty):
            position += 1
            OrderLine.objects.create(
                organisation=organisation,
                order=order,
                position=position,
                product=product,
                description=product.name,
                price=product.price,
                admin_fee=product.admin_fee,
            )
    audit.record(
        "buytech.order_reserved", actor=actor, organisation=organisation, target=order.number, request=http_request
    )
    _tell(
        order,
        "buytech_order_reserved",
        total=str(order_total(order)),
        currency=order.currency,
        iban=PAYMENT_IBAN,
        beneficiary=PAYMENT_BENEFICIARY,
        communication=order.payment_reference,
        confirmation_due=order.confirmation_due.isoformat(),
    )
    return order


def _lock(order: BuyTechOrder) -> BuyTechOrder:
    return BuyTechOrder.objects.select_for_update().select_related("organisation", "ordered_by").get(pk=order.pk)


def _agreement(order: BuyTechOrder, index: int, title: str) -> Any:
    # Titled in the organisation's language, like every document of theirs (a Flemish vzw's reads in Dutch).
    with translation.override(order.organisation.language):
        localised_title = gettext(title)
    return contract_services.program_agreement_issue(
        organisation=order.organisation,
        number=f"BT-AGR-{order.number[3:]}-{index}",
        title=localised_title,
        currency=order.currency,
        start_date=today(),
    )


RELATIONSHIP_AGREEMENT_TITLE = gettext_noop("Customer relationship agreement")
DEVICES_AGREEMENT_TITLE = gettext_noop("Agreement for the sale of non-vendor devices")


@transaction.atomic
def order_confirm(*, actor: User, order: BuyTechOrder, http_request: HttpRequest | None = None) -> BuyTechOrder:
    """The vendor confirms; the two agreements are issued for signature."""
    order = _lock(order)
    if order.status != OrderStatus.RESERVED:
        raise Conflict(_("Only a reserved order can be confirmed."), code="not_reserved")
    order.status = OrderStatus.CONFIRMED
    order.confirmed_at = timezone.now()
    order.confirmed_by = actor
    order.relationship_agreement = _agreement(order, 1, RELATIONSHIP_AGREEMENT_TITLE)
    order.devices_agreement = _agreement(order, 2, DEVICES_AGREEMENT_TITLE)
    order.save()
    audit.record(
        "buytech.order_confirmed",
        actor=actor,
        organisation=order.organisation,
        target=order.number,
        data={"late": today() > order.confirmation_due},
        request=http_request,
    )
    _tell(
        order,
        "buytech_order_confirmed",
        agreements=[order.relationship_agreement.number, order.devices_agreement.number],
    )
    return order


def agreements_signed(order: BuyTechOrder) -> bool:
    return all(contract_selectors.is_signed(a) for a in (order.relationship_agreement, order.devices_agreement))


@transaction.atomic
def order_record_payment(
    *, actor: User, order: BuyTechOrder, amount: Decimal, http_request: HttpRequest | None = None
) -> BuyTechOrder:
    order = _lock(order)
    if order.status != OrderStatus.CONFIRMED:
        raise Conflict(_("Payment is recorded on a confirmed order that is not paid yet."), code="not_payable")
    due = order_total(order)
    if amount < due:
        raise DomainError(
            _("The order is shipped after full payment: %(due)s is due.") % {"due": due}, code="partial_payment"
        )
    order.status = OrderStatus.PAID
    order.paid_at = timezone.now()
    order.paid_amount = amount
    order.save(update_fields=["status", "paid_at", "paid_amount"])
    audit.record(
        "buytech.payment_recorded",
        actor=actor,
        organisation=order.organisation,
        target=order.number,
        data={"amount": str(amount)},
        request=http_request,
    )
    _tell(order, "buytech_payment_received", amount=str(amount), currency=order.currency)
    return order


def _lines(order: BuyTechOrder, positions: Iterable[int]) -> list[OrderLine]:
    positions = sorted(set(positions))
    lines = list(order.lines.select_related("product", "shipment").filter(position__in=positions))
    if not positions or len(lines) != len(positions):
        raise DomainError(_("Choose items of this order."), code="invalid_lines")
    return lines


@transaction.atomic
def shipment_create(
    *,
    actor: User,
    order: BuyTechOrder,
    positions: Iterable[int],
    carrier: str,
    tracking_number: str,
    dispatched_on: date | None = None,
    http_request: HttpRequest | None = None,
) -> BuyTechShipment:
    order = _lock(order)
    if order.status not in (OrderStatus.PAID, OrderStatus.SHIPPED):
        raise Conflict(_("An order ships after confirmation and full payment."), code="not_paid")
    if not agreements_signed(order):
        raise Conflict(_("Both agreements must be signed before the order ships."), code="agreements_unsigned")
    lines = _lines(order, positions)
    if any(line.status != LineStatus.ACTIVE or line.shipment_id for line in lines):
        raise Conflict(_("Some items are already shipped or cancelled."), code="lines_unavailable")
    found = get_carrier(carrier)
    tracking = check_tracking_number(found, tracking_number)
    count = order.shipments.count() + 1
    shipment = BuyTechShipment.objects.create(
        organisation=order.organisation,
        order=order,
        number=f"{order.number}-S{count}",
        carrier=found.code,
        tracking_number=tracking,
        tracking_url=found.tracking_url(tracking),
        dispatched_on=dispatched_on or today(),
    )
    OrderLine.objects.filter(pk__in=[line.pk for line in lines]).update(shipment=shipment)
    order.status = OrderStatus.SHIPPED
    order.save(update_fields=["status"])
    audit.record(
        "buytech.shipment_dispatched",
        actor=actor,
        organisation=order.organisation,
        target=shipment.number,
        request=http_request,
    )
    low, high = rules.DELIVERY_ESTIMATE_BUSINESS_DAYS
    _tell(
        order,
        "buytech_shipment_dispatched",
        shipment=shipment.number,
        carrier=found.name,
        tracking_number=tracking,
        tracking_url=shipment.tracking_url,
        items=[line.description for line in lines],
        expected_from=calendar().add_business_days(shipment.dispatched_on, low).isoformat(),
        expected_to=calendar().add_business_days(shipment.dispatched_on, high).isoformat(),
    )
    return shipment


def _settle_delivery(order: BuyTechOrder) -> None:
    """Delivered once every item still ordered has arrived; the day is the last arrival's."""
    active = order.lines.filter(status=LineStatus.ACTIVE)
    if (
        order.status != OrderStatus.SHIPPED
        or active.filter(Q(shipment__isnull=True) | Q(shipment__delivered_on__isnull=True)).exists()
    ):
        return
    order.status = OrderStatus.DELIVERED
    order.delivered_on = active.aggregate(last=Max("shipment__delivered_on"))["last"]
    order.save(update_fields=["status", "delivered_on"])


@transaction.atomic
def shipment_deliver(
    *,
    actor: User,
    shipment: BuyTechShipment,
    delivered_on: date | None = None,
    http_request: HttpRequest | None = None,
) -> BuyTechShipment:
    order = _lock(shipment.order)
    shipment = BuyTechShipment.objects.select_for_update().get(pk=shipment.pk)
    if shipment.delivered_on is not None:
        raise Conflict(_("This shipment is already delivered."), code="already_delivered")
    day = delivered_on or today()
    if day < shipment.dispatched_on:
        raise DomainError(_("A shipment cannot arrive before it left."), code="invalid_date")
    if day > today():
        raise DomainError(_("A delivery is recorded once it has happened."), code="invalid_date")
    shipment.delivered_on = day
    shipment.save(update_fields=["delivered_on"])
    _settle_delivery(order)
    audit.record(
        "buytech.shipment_delivered",
        actor=actor,
        organisation=order.organisation,
        target=shipment.number,
        request=http_request,
    )
    _tell(
        order,
        "buytech_shipment_delivered",
        shipment=shipment.number,
        delivered_on=day.isoformat(),
        cancel_until=rules.cancellation_deadline(day).isoformat(),
        return_until=rules.return_deadline(day).isoformat(),
        warranty_until=rules.warranty_end(day).isoformat(),
    )
    return shipment


@transaction.atomic
def line_substitute(
    *,
    actor: User,
    order: BuyTechOrder,
    position: int,
    sku: str,
    note: str,
    http_request: HttpRequest | None = None,
) -> OrderLine:
    """The vendor replaces an item by a functionally equivalent device; the customer is told why."""
    order = _lock(order)
    if order.is_cancelled or order.status == OrderStatus.DELIVERED:
        raise Conflict(_("This order can no longer change."), code="order_closed")
    (line,) = _lines(order, [position])
    if line.status != LineStatus.ACTIVE or line.shipment_id:
        raise Conflict(_("Only an item not yet shipped can be substituted."), code="line_shipped")
    if not note.strip():
        raise DomainError(_("Say why the item is substituted."), code="note_required")
    product = Product.objects.select_for_update().filter(sku=sku, active=True).first()
    if product is None or product.pk == line.product_id:
        raise DomainError(_("Choose another product on offer."), code="unknown_product")
    original = line.product
    if not rules.is_functional_equivalent(
        original_kind=original.kind,
        original_score=original.functional_score,
        candidate_kind=product.kind,
        candidate_score=product.functional_score,
    ):
        raise DomainError(_("The substitute must be a functionally equivalent device."), code="not_equivalent")
    if product.stock < 1:
        raise Conflict(_("The substitute is out of stock."), code="out_of_stock")
    product.stock -= 1
    product.save(update_fields=["stock"])
    Product.objects.filter(pk=original.pk).update(stock=F("stock") + 1)
    line.substituted_from = line.description
    line.substitution_note = note.strip()[:500]
    line.product = product
    line.description = product.name
    line.save(update_fields=["substituted_from", "substitution_note", "product", "description"])
    audit.record(
        "buytech.line_substituted",
        actor=actor,
        organisation=order.organisation,
        target=order.number,
        data={"position": position, "from": original.sku, "to": product.sku},
        request=http_request,
    )
    _tell(
        order,
        "buytech_substitution",
        original=line.substituted_from,
        substitute=product.name,
        note=line.substitution_note,
    )
    return line


# --- cancellation, returns, warranty -------------------------------------------------------------------


def _refund(order: BuyTechOrder, reason: str, amount: Decimal, request_number: str = "") -> Refund | None:
    if order.paid_at is None or amount <= 0:
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
    order = _lock(order)
    if order.is_cancelled:
        raise Conflict(_("This order is already cancelled."), code="already_cancelled")
    chosen = list(positions or [])
    active = list(order.lines.select_related("shipment", "product").filter(status=LineStatus.ACTIVE))
    lines = _lines(order, chosen) if chosen else active
    if any(line.status != LineStatus.ACTIVE for line in lines):
        raise Conflict(_("Some items are already cancelled or returned."), code="lines_unavailable")
    now_day = today()
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
    refund = _refund(order, RefundReason.CUSTOMER_CANCELLATION, order_total(order, lines))
    if not order.lines.filter(status=LineStatus.ACTIVE).exists():
        order.status = OrderStatus.CANCELLED
        order.cancelled_at = now
        order.save(update_fields=["status", "cancelled_at"])
        _withdraw_agreements(order)
    else:
        _settle_delivery(order)  # the one item still awaited may be the one just cancelled
    audit.record(
        "buytech.order_cancelled",
        actor=actor,
        organisation=order.organisation,
        target=order.number,
        data={"positions": [line.position for line in lines]},
        request=http_request,
    )
    _tell(
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
    order = _lock(order)
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
    if order.paid_at is not None:
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
    _refund(order, RefundReason.VENDOR_CANCELLATION, order_total(order, lines), request_number)
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
    _tell(order, "buytech_vendor_cancelled", reason=order.cancel_reason, request_number=request_number)
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
    order = _lock(order)
    lines = _lines(order, positions)
    if not reason.strip():
        raise DomainError(_("Give the reason for the return."), code="reason_required")
    if any(line.status != LineStatus.ACTIVE for line in lines):
        raise Conflict(_("Some items are already cancelled or returned."), code="lines_unavailable")
    now_day = today()
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
    _tell(order, "buytech_return_requested", return_number=item.number)
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
    _tell(item.order, "buytech_return_decided", return_number=item.number, accepted=accept, text=text.strip())
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
    _tell(
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
    order = _lock(order)
    (line,) = _lines(order, [position])
    if line.status != LineStatus.ACTIVE:
        raise Conflict(_("This item is cancelled or returned."), code="lines_unavailable")
    if not description.strip():
        raise DomainError(_("Describe the defect."), code="description_required")
    if remedy not in ClaimRemedy.values:
        raise DomainError(_("Choose a replacement or a refund."), code="invalid_remedy")
    delivered = line.shipment.delivered_on if line.shipment else None
    now_day = today()
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
    _tell(
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
    _tell(claim.order, "buytech_claim_resolved", claim_number=claim.number, remedy=claim.remedy)
    return claim
