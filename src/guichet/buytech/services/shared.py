"""What every stage of an order uses: its number's link, its e-mails, its totals and references, its lock."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from guichet.core.errors import DomainError
from guichet.core.notifications.outbox import enqueue
from guichet.core.structured_communication import structured_communication

from ..models import (
    BuyTechOrder,
    LineStatus,
    OrderLine,
)


def order_url(order: BuyTechOrder, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("buytech:order", kwargs={"number": order.number})


def tell(order: BuyTechOrder, template: str, **extra: Any) -> None:
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


def active_lines(order: BuyTechOrder, lines: Iterable[OrderLine] | None) -> Iterable[OrderLine]:
    return lines if lines is not None else order.lines.filter(status=LineStatus.ACTIVE)


def order_total(order: BuyTechOrder, lines: Iterable[OrderLine] | None = None) -> Decimal:
    return sum((line.total for line in active_lines(order, lines)), Decimal("0"))


def order_fees(order: BuyTechOrder, lines: Iterable[OrderLine] | None = None) -> Decimal:
    """The administrative fees, paid to the partner."""
    return sum((line.admin_fee for line in active_lines(order, lines)), Decimal("0"))


def order_price(order: BuyTechOrder, lines: Iterable[OrderLine] | None = None) -> Decimal:
    """The price of the devices, paid to the vendor."""
    return sum((line.price for line in active_lines(order, lines)), Decimal("0"))


def fee_reference(sequence: int) -> str:
    """The communication quoted with the fee: the order's sequence (`2026000001`)."""
    return structured_communication(sequence)


def price_reference(sequence: int) -> str:
    """The communication quoted with the price, never equal to any fee's: the year's last two digits, the
    per-year value on seven digits, then 1 (a fee's begins with the four-digit year, so its third digit is
    the century's, never the 0 that a per-year value under a million puts there)."""
    year, value = divmod(sequence, 1_000_000)
    return structured_communication(int(f"{year % 100:02d}{value:07d}1"))


def contract_url(number: str) -> str:
    """The contracts context's page for an agreement, if it is installed yet."""
    try:
        return reverse("contracts:detail", kwargs={"number": number})
    except NoReverseMatch:
        return ""


def lock(order: BuyTechOrder) -> BuyTechOrder:
    return BuyTechOrder.objects.select_for_update().select_related("organisation", "ordered_by").get(pk=order.pk)


def lines_of(order: BuyTechOrder, positions: Iterable[int]) -> list[OrderLine]:
    positions = sorted(set(positions))
    lines = list(order.lines.select_related("product", "shipment").filter(position__in=positions))
    if not positions or len(lines) != len(positions):
        raise DomainError(_("Choose items of this order."), code="invalid_lines")
    return lines
