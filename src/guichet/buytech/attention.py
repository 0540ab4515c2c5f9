"""Buy Tech's answer for the home (core/home.py): orders waiting for the organisation's fee, agreements or payment.

Buy Tech is offered in Belgium only; a grant elsewhere opens nothing (accounts.selectors.granted_applications),
so other countries' homes never ask this source for anything.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.accounts import jurisdiction
from guichet.accounts.models import User
from guichet.contracts.models import ContractStatus
from guichet.core.home import ITEMS_PER_KIND, AttentionItem, Day, Figure, Queue, Viewer
from guichet.core.tenancy import across_organisations

from . import selectors
from .models import BuyTechOrder, OrderStatus

APPLICATION = "buytech"
IN_PROGRESS = (
    OrderStatus.RESERVED,
    OrderStatus.FORWARDED,
    OrderStatus.CONFIRMED,
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
)


class BuyTechHome:
    """Buy Tech orders waiting for the fee, the agreements or the price."""

    reads = ("buytech", "contracts")  # the orders, and their agreements' status

    def attention(self, viewer: Viewer) -> list[AttentionItem]:
        if APPLICATION not in viewer.applications:
            return []
        # Waiting on the customer: the partner's fee (reserved), or, once the vendor confirmed, the two
        # agreements (a signatory's) and then the price. No rule gives the customer a deadline for either.
        rows = list(
            BuyTechOrder.objects.filter(
                organisation=viewer.organisation, status__in=(OrderStatus.RESERVED, OrderStatus.CONFIRMED)
            )
            .order_by("reserved_at", "pk")
            .values_list("number", "status", "relationship_agreement__status", "devices_agreement__status")[
                : ITEMS_PER_KIND * 3
            ]
        )
        items: list[AttentionItem] = []
        for number, status, relationship, devices in rows:
            url = reverse("buytech:order", args=[number])
            if status == OrderStatus.RESERVED:
                kind, label, title = "buytech_fee", _("Buy Tech fee to pay"), _("Administrative fee to the partner")
            elif relationship == ContractStatus.ACTIVE and devices == ContractStatus.ACTIVE:
                kind, label, title = (
                    "buytech_payment",
                    _("Buy Tech order to pay"),
                    _("Price of the devices to the vendor"),
                )
            elif viewer.is_signatory:
                kind, label, title = "buytech_agreements", _("Buy Tech agreements to sign"), _("Two agreements to sign")
            else:
                continue
            items.append(
                AttentionItem(
                    kind=kind, label=label, number=number, title=title, due=None, url=url, application=APPLICATION
                )
            )
        return items

    def figures(self, viewer: Viewer) -> dict[str, list[Figure]]:
        if APPLICATION not in viewer.applications:
            return {}
        count = BuyTechOrder.objects.filter(organisation=viewer.organisation, status__in=IN_PROGRESS).count()
        return {
            APPLICATION: [
                Figure(
                    label=ngettext("order in progress", "orders in progress", count),
                    value=str(count),
                    url=reverse("buytech:home"),
                )
            ]
        }


class BuyTechConsole:
    """Orders the vendor must confirm (the partner's fee received), in the agent's jurisdiction."""

    reads = ("buytech",)

    def figures(self, staff: User) -> list[Figure]:
        if not selectors.may_run_program(staff):  # the program is Belgian: others have no Buy Tech console
            return []
        with across_organisations():
            to_confirm = BuyTechOrder.objects.filter(
                jurisdiction.served_by(staff), status=OrderStatus.FORWARDED
            ).count()
        url = reverse("buytech_console:home")
        return [Figure(label=_("Buy Tech orders to confirm"), value=str(to_confirm), url=url)]

    def queues(self, staff: User) -> list[Queue]:
        return []

    def days(self, staff: User, today: date) -> list[Day]:
        return []
