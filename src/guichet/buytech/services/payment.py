"""Two payments to two payees: the fee to the partner (then the order goes to the vendor), the vendor's
confirmation with the two agreements, the price to the vendor."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import User
from guichet.contracts import selectors as contract_selectors
from guichet.contracts import services as contract_services
from guichet.core import audit
from guichet.core.errors import Conflict, DomainError

from .. import rules
from ..models import (
    BuyTechOrder,
    OrderStatus,
)
from . import clock
from .shared import lock, order_fees, order_price, tell

# Two payees. The partner's account takes the administrative fee (demo values; an operator sets the real
# one in settings). The vendor's account takes the price: the seeds give none, so it is empty until an
# operator sets it, and the pages then say the vendor gives its details when it confirms.
PAYMENT_IBAN = getattr(settings, "BUYTECH_PAYMENT_IBAN", "BE71 0961 2345 6769")
PAYMENT_BENEFICIARY = getattr(settings, "BUYTECH_PAYMENT_BENEFICIARY", "SOCIALware ASBL")
VENDOR_IBAN = getattr(settings, "BUYTECH_VENDOR_IBAN", "")
VENDOR_BENEFICIARY = getattr(settings, "BUYTECH_VENDOR_BENEFICIARY", "")


def _agreement(order: BuyTechOrder, index: int, title: str) -> Any:
    # Titled in the organisation's language, like every document of theirs (a Flemish vzw's reads in Dutch).
    with translation.override(order.organisation.language):
        localised_title = gettext(title)
    return contract_services.program_agreement_issue(
        organisation=order.organisation,
        number=f"BT-AGR-{order.number[3:]}-{index}",
        title=localised_title,
        currency=order.currency,
        start_date=clock.today(),
    )


# Stored in English on the contract; every page and PDF shows them in the reader's language.
RELATIONSHIP_AGREEMENT_TITLE = gettext_noop("Customer relationship agreement")
DEVICES_AGREEMENT_TITLE = gettext_noop("Agreement for the sale of non-vendor devices")


@transaction.atomic
def order_record_fee(
    *, actor: User, order: BuyTechOrder, amount: Decimal, http_request: HttpRequest | None = None
) -> BuyTechOrder:
    """The partner has received the administrative fee: the order goes to the vendor, who confirms within
    2 Belgian business days of receiving it."""
    order = lock(order)
    if order.status != OrderStatus.RESERVED:
        raise Conflict(_("The administrative fee is recorded on a reserved order."), code="fee_not_due")
    due = order_fees(order)
    if amount < due:
        raise DomainError(
            _("The order goes to the vendor once the whole administrative fee is paid: %(due)s is due.") % {"due": due},
            code="partial_fee",
        )
    forwarded_on = clock.today()
    order.status = OrderStatus.FORWARDED
    order.fee_paid_at = timezone.now()
    order.fee_amount = amount
    order.forwarded_on = forwarded_on
    order.confirmation_due = rules.confirmation_due(forwarded_on, clock.calendar().add_business_days)
    order.save(update_fields=["status", "fee_paid_at", "fee_amount", "forwarded_on", "confirmation_due"])
    audit.record(
        "buytech.fee_recorded",
        actor=actor,
        organisation=order.organisation,
        target=order.number,
        data={"amount": str(amount)},
        request=http_request,
    )
    tell(
        order,
        "buytech_fee_received",
        amount=str(amount),
        currency=order.currency,
        confirmation_due=order.confirmation_due.isoformat(),
    )
    return order


@transaction.atomic
def order_confirm(*, actor: User, order: BuyTechOrder, http_request: HttpRequest | None = None) -> BuyTechOrder:
    """The vendor confirms; the two agreements are issued for signature and the price is now due to it."""
    order = lock(order)
    if order.status != OrderStatus.FORWARDED:
        raise Conflict(_("The vendor confirms an order once the administrative fee is received."), code="not_forwarded")
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
        data={"late": order.confirmation_due is not None and clock.today() > order.confirmation_due},
        request=http_request,
    )
    tell(
        order,
        "buytech_order_confirmed",
        agreements=[order.relationship_agreement.number, order.devices_agreement.number],
        price=str(order_price(order)),
        currency=order.currency,
        iban=VENDOR_IBAN,
        beneficiary=VENDOR_BENEFICIARY,
        communication=order.payment_reference,
    )
    return order


def agreements_signed(order: BuyTechOrder) -> bool:
    return all(contract_selectors.is_signed(a) for a in (order.relationship_agreement, order.devices_agreement))


@transaction.atomic
def order_record_payment(
    *, actor: User, order: BuyTechOrder, amount: Decimal, http_request: HttpRequest | None = None
) -> BuyTechOrder:
    """The vendor has received the price of the devices: the order may ship."""
    order = lock(order)
    if order.status != OrderStatus.CONFIRMED:
        raise Conflict(_("Payment is recorded on a confirmed order that is not paid yet."), code="not_payable")
    due = order_price(order)
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
    tell(order, "buytech_payment_received", amount=str(amount), currency=order.currency)
    return order
