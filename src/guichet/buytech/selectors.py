"""Reads of the Buy Tech program: the catalogue, an organisation's orders, the agents' work lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from guichet.accounts import jurisdiction
from guichet.accounts.models import Organisation, User
from guichet.core.tenancy import across_organisations

from . import rules, services
from .models import (
    BuyTechOrder,
    BuyTechShipment,
    ClaimStatus,
    LineStatus,
    OrderLine,
    OrderStatus,
    Product,
    ReturnRequest,
    ReturnStatus,
    WarrantyClaim,
)

# --- catalogue -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueFilters:
    kind: str = ""
    condition: str = ""
    brand: str = ""
    query: str = ""
    in_stock: bool = False


def products(filters: CatalogueFilters | None = None) -> QuerySet[Product]:
    filters = filters or CatalogueFilters()
    found = Product.objects.filter(active=True)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.condition:
        found = found.filter(condition=filters.condition)
    if filters.brand:
        found = found.filter(brand__iexact=filters.brand)
    for word in filters.query.split()[:8]:
        found = found.filter(Q(brand__icontains=word) | Q(model__icontains=word) | Q(sku__icontains=word))
    if filters.in_stock:
        found = found.filter(stock__gt=0)
    return found.order_by("kind", "brand", "model", "sku")


# --- customers -------------------------------------------------------------------------------------------


def orders_of(organisation: Organisation) -> QuerySet[BuyTechOrder]:
    return BuyTechOrder.objects.filter(organisation=organisation).order_by("-reserved_at")


def orders_with_totals(organisation: Organisation) -> QuerySet[BuyTechOrder]:
    """Orders with `active_total`: price and fee of the items still ordered, summed in the database."""
    active = Q(lines__status=LineStatus.ACTIVE)
    return orders_of(organisation).annotate(active_total=Sum(F("lines__price") + F("lines__admin_fee"), filter=active))


def get_order_for(organisation: Organisation, number: str) -> BuyTechOrder:
    order = (
        BuyTechOrder.objects.filter(organisation=organisation, number=number)
        .select_related("organisation", "ordered_by", "relationship_agreement", "devices_agreement")
        .first()
    )
    if order is None:
        raise Http404
    return order


@dataclass(frozen=True)
class LineView:
    line: OrderLine
    delivered_on: date | None
    may_cancel: bool
    cancel_until: date | None
    may_return: bool
    return_until: date | None
    may_claim: bool
    warranty_until: date | None


@dataclass(frozen=True)
class OrderView:
    order: BuyTechOrder
    lines: list[LineView]
    shipments: list[BuyTechShipment]
    returns: list[ReturnRequest]
    claims: list[WarrantyClaim]
    total: Decimal
    admin_fees: Decimal
    price: Decimal
    agreements_signed: bool
    confirmation_state: str
    processing_state: str
    today: date


def view_of(order: BuyTechOrder, today: date | None = None) -> OrderView:
    today = today or services.clock.today()
    lines = list(order.lines.select_related("product", "shipment").order_by("position"))
    views = []
    for line in lines:
        delivered = line.shipment.delivered_on if line.shipment else None
        active = line.status == LineStatus.ACTIVE and not order.is_cancelled
        views.append(
            LineView(
                line=line,
                delivered_on=delivered,
                may_cancel=active and rules.may_cancel(today, delivered),
                cancel_until=rules.cancellation_deadline(delivered) if delivered else None,
                may_return=active and rules.may_return(today, delivered),
                return_until=rules.return_deadline(delivered) if delivered else None,
                may_claim=active and rules.may_claim_warranty(today, delivered),
                warranty_until=rules.warranty_end(delivered) if delivered else None,
            )
        )
    active_lines = [line for line in lines if line.status == LineStatus.ACTIVE]
    if order.status == OrderStatus.FORWARDED and order.confirmation_due is not None:
        confirmation = rules.confirmation_state(today, order.confirmation_due)
    elif order.status == OrderStatus.RESERVED:
        confirmation = "waiting_fee"  # the vendor's 2 business days start when the fee is received
    else:
        confirmation = "done"
    if order.status in (OrderStatus.DELIVERED, OrderStatus.CANCELLED, OrderStatus.CANCELLED_BY_VENDOR):
        processing = "done"
    else:
        processing = "late" if today > order.processing_due else "ok"
    return OrderView(
        order=order,
        lines=views,
        shipments=list(order.shipments.order_by("number")),
        returns=list(order.returns.prefetch_related("lines").order_by("created_at")),
        claims=list(order.claims.select_related("line", "replacement").order_by("created_at")),
        total=services.order_total(order, active_lines),
        admin_fees=services.order_fees(order, active_lines),
        price=services.order_price(order, active_lines),
        agreements_signed=services.agreements_signed(order),
        confirmation_state=confirmation,
        processing_state=processing,
        today=today,
    )


# --- agents -----------------------------------------------------------------------------------------------
# Buy Tech is a Belgian program: Belgian agents and administrators run it.


def may_run_program(staff: User) -> bool:
    return jurisdiction.serves_country(staff, rules.PROGRAM_COUNTRY)


def get_order_for_staff(staff: User, number: str) -> BuyTechOrder:
    if not may_run_program(staff):
        raise Http404
    with across_organisations():
        order = (
            BuyTechOrder.objects.filter(number=number)
            .select_related("organisation", "ordered_by", "relationship_agreement", "devices_agreement")
            .first()
        )
    if order is None:
        raise Http404
    return order


@dataclass(frozen=True)
class ConsoleBoard:
    awaiting_fee: list[BuyTechOrder]
    to_confirm: list[tuple[BuyTechOrder, str]]
    awaiting_signature: list[BuyTechOrder]
    awaiting_payment: list[BuyTechOrder]
    to_ship: list[BuyTechOrder]
    in_transit: list[BuyTechShipment]
    substitutions: list[OrderLine]
    returns: list[ReturnRequest]
    claims: list[WarrantyClaim]
    past_target: list[BuyTechOrder]


def board(today: date | None = None) -> ConsoleBoard:
    today = today or services.clock.today()
    with across_organisations():
        forwarded = list(
            BuyTechOrder.objects.filter(status=OrderStatus.FORWARDED)
            .select_related("organisation")
            .order_by("confirmation_due", "reserved_at")
        )
        confirmed = list(
            BuyTechOrder.objects.filter(status__in=[OrderStatus.CONFIRMED, OrderStatus.PAID])
            .select_related("organisation", "relationship_agreement", "devices_agreement")
            .order_by("reserved_at")
        )
        unsigned = [order for order in confirmed if not services.agreements_signed(order)]
        return ConsoleBoard(
            awaiting_fee=list(
                BuyTechOrder.objects.filter(status=OrderStatus.RESERVED)
                .select_related("organisation")
                .order_by("reserved_at")
            ),
            to_confirm=[
                (order, rules.confirmation_state(today, order.confirmation_due))
                for order in forwarded
                if order.confirmation_due is not None
            ],
            awaiting_signature=unsigned,
            awaiting_payment=[order for order in confirmed if order.status == OrderStatus.CONFIRMED],
            to_ship=list(
                BuyTechOrder.objects.filter(status__in=[OrderStatus.PAID, OrderStatus.SHIPPED])
                .filter(Exists(OrderLine.objects.filter(order=OuterRef("pk"), status=LineStatus.ACTIVE, shipment=None)))
                .select_related("organisation")
                .order_by("reserved_at")
            ),
            in_transit=list(
                BuyTechShipment.objects.filter(delivered_on__isnull=True).select_related("order", "organisation")
            ),
            substitutions=list(
                OrderLine.objects.exclude(substituted_from="").select_related("order", "organisation")[:50]
            ),
            returns=list(
                ReturnRequest.objects.filter(status__in=[ReturnStatus.REQUESTED, ReturnStatus.ACCEPTED]).select_related(
                    "order", "organisation"
                )
            ),
            claims=list(
                WarrantyClaim.objects.filter(status=ClaimStatus.OPEN).select_related(
                    "order", "organisation", "line", "replacement"
                )
            ),
            past_target=list(
                BuyTechOrder.objects.filter(processing_due__lt=today)
                .exclude(status__in=[OrderStatus.DELIVERED, OrderStatus.CANCELLED, OrderStatus.CANCELLED_BY_VENDOR])
                .select_related("organisation")
                .order_by("processing_due")[:100]
            ),
        )
