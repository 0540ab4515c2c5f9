"""Demo orders for each demo organisation, each with parcels of that country's carriers (idempotent)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from guichet.accounts.models import Organisation, User
from guichet.core.calendar import today_for
from guichet.core.tenancy import tenant_scope

from . import services
from .models import Order, OrderEvent, OrderLine

# (number, purchase order, days ago, lines, parcels); a parcel: (carrier, tracking number,
# {line position: quantity}, [(status, days ago, location)]).
Parcel = tuple[str, str, dict[int, int], list[tuple[str, float, str]]]
DEMO: dict[str, list[tuple[str, str, int, list[tuple[str, str, int, str]], list[Parcel]]]] = {
    "BE-100001": [
        (
            "BE-ORD-2026-0017",
            "ASBL-2026-031",
            12,
            [
                ("20N8S00C00", "Portable ThinkPad L14 reconditionné", 4, "389.00"),
                ("4X40Q26383", "Sacoche 15,6 pouces", 4, "24.50"),
            ],
            [
                (
                    "bpost",
                    "323299900000000000170001",
                    {1: 2, 2: 4},
                    [
                        ("in_transit", 9, "Bruxelles X"),
                        ("out_for_delivery", 8.2, "Charleroi"),
                        ("delivered", 8, "Charleroi"),
                    ],
                ),
                (
                    "dhl_express",
                    "4817203391",
                    {1: 2},
                    [("in_transit", 2, "Diegem"), ("in_transit", 0.3, "Charleroi")],
                ),
            ],
        ),
        ("BE-ORD-2026-0051", "ASBL-2026-044", 2, [("40AY0090EU", "Station d'accueil USB-C", 2, "189.00")], []),
    ],
    "BE-100002": [
        (
            "BE-ORD-2026-0042",
            "BD-PO-7781",
            10,
            [
                ("7063-R04", "Serveur rack 2U", 1, "6450.00"),
                ("00YK384", "Disque SSD 960 Go", 6, "412.00"),
                ("00AR394", "Câbles d'alimentation", 4, "18.90"),
            ],
            [
                (
                    "bpost",
                    "323299900000000000420001",
                    {2: 6, 3: 4},
                    [("in_transit", 7, "Bruxelles X"), ("delivered", 6, "Anderlecht")],
                ),
                (
                    "ups",
                    "1Z999AA10123456784",
                    {1: 1},
                    [
                        ("in_transit", 1.5, "Köln"),
                        ("exception", 1, "Liège: adresse incomplète"),
                        ("in_transit", 0.5, "Liège"),
                    ],
                ),
            ],
        ),
        (
            "BE-ORD-2026-0008",
            "BD-PO-7702",
            60,
            [("4XB0F28703", "Écran 24 pouces", 3, "219.00")],
            [("fedex", "794612345678", {1: 3}, [("in_transit", 58, "Paris CDG"), ("delivered", 56, "Anderlecht")])],
        ),
    ],
    "CA-200001": [
        (
            "CA-ORD-2026-0023",
            "IL-BC-2026-118",
            9,
            [
                ("8286-42A-MEM", "Mémoire 64 Go pour 8286-42A", 4, "1290.00"),
                ("01AF557", "Bloc d'alimentation", 2, "845.00"),
            ],
            [
                (
                    "purolator",
                    "335200231234",
                    {1: 4},
                    [
                        ("in_transit", 7, "Montréal"),
                        ("out_for_delivery", 6.3, "Sherbrooke"),
                        ("delivered", 6, "Sherbrooke"),
                    ],
                ),
                ("canada_post", "7023210020231234", {2: 2}, [("in_transit", 1, "Mississauga")]),
            ],
        ),
    ],
    "RO-300001": [
        (
            "RO-ORD-2026-0031",
            "TC-2026-0457",
            8,
            [("20VE00FUN", "Laptop ThinkPad E14", 3, "4150.00"), ("GX30M39704", "Mouse wireless", 5, "79.00")],
            [
                (
                    "fan_courier",
                    "2150003100001",
                    {1: 2, 2: 5},
                    [("in_transit", 6, "București"), ("delivered", 5, "Cluj-Napoca")],
                ),
                (
                    "sameday",
                    "1ONBLN310000002",
                    {1: 1},
                    [("in_transit", 1, "București"), ("in_transit", 0.2, "Cluj-Napoca")],
                ),
            ],
        ),
        (
            "RO-ORD-2026-0035",
            "TC-2026-0470",
            3,
            [("4X20M26268", "Încărcător USB-C 65 W", 6, "159.00")],
            [("cargus", "1100350001", {1: 6}, [])],
        ),
    ],
}


def seed() -> int:
    created = 0
    now = timezone.now()
    for customer_number, orders in DEMO.items():
        organisation = Organisation.objects.filter(customer_number=customer_number).first()
        if organisation is None:
            continue
        customer = User.objects.filter(memberships__organisation=organisation, memberships__role="admin").first()
        agent = User.objects.filter(kind=User.Kind.AGENT, country=organisation.country).first()
        with tenant_scope(organisation):
            for number, purchase_order, days_ago, lines, parcels in orders:
                if Order.objects.filter(number=number).exists():
                    continue
                order = services.order_create(
                    actor=customer,
                    organisation=organisation,
                    number=number,
                    purchase_order=purchase_order,
                    ordered_on=today_for(organisation) - timedelta(days=days_ago),
                    lines=[services.LineIn(code, text, qty, Decimal(price)) for code, text, qty, price in lines],
                )
                created += 1
                order = services.order_accept(actor=agent, order=order)
                # The services stamp acceptance and parcels "now"; the story began when the order was
                # placed, so they are dated back to keep the timeline running forwards.
                placed = OrderEvent.objects.get(order=order, kind="placed").at
                accepted = placed + timedelta(hours=2)
                OrderEvent.objects.filter(order=order, kind="order_status").update(at=accepted)
                Order.objects.filter(pk=order.pk).update(accepted_at=accepted)
                positions = {line.position: line.pk for line in OrderLine.objects.filter(order=order)}
                for carrier, tracking, contents, events in parcels:
                    shipment = services.shipment_add(
                        actor=agent,
                        order=order,
                        carrier=carrier,
                        tracking_number=tracking,
                        quantities={positions[p]: q for p, q in contents.items()},
                    )
                    first = now - timedelta(days=events[0][1]) if events else now
                    OrderEvent.objects.filter(shipment=shipment, kind="shipment_added").update(
                        at=max(accepted, first - timedelta(hours=1))
                    )
                    for index, (status, ago, location) in enumerate(events):
                        services.shipment_record_event(
                            actor=None,
                            shipment=shipment,
                            event_id=f"demo:{tracking}:{index}",
                            status=status,
                            occurred_at=now - timedelta(days=ago),
                            location=location,
                            source="demo",
                        )
    return created
