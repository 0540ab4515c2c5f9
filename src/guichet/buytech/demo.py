"""Demo catalogue, eligibility and orders (idempotent): Atelier Solidaire is eligible, Brasserie Delvaux is not.

Atelier Solidaire has one order waiting for the vendor's confirmation and one delivered a few days ago.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_noop

from guichet.accounts.models import Organisation, User
from guichet.contracts.signing import API_CONFIRMED_ATTRIBUTE, contract_countersign, contract_sign, may_sign
from guichet.core.tenancy import across_organisations, tenant_scope

from . import rules, services
from .models import Attestation, BuyTechOrder, BuyTechShipment, EligibilitySource, Product

# The catalogue's own wording is marked for the message catalogue (`gettext_noop`): the product
# pages translate it for the reader (`{% translate product.warranty_terms %}`). Text typed in the
# admin that the catalogue does not know is shown as typed; brand and model names are never translated.
NEW_WARRANTY = gettext_noop("12 months from delivery; manufacturer's warranty included")
USED_WARRANTY = gettext_noop("12 months from delivery (program warranty); no factory warranty")

# sku, kind, condition, brand, model, specifications, score, grade, notes, price, fee, stock, extended care
PRODUCTS = [
    (
        "BT-LT-T14-N",
        "laptop",
        "new",
        "Lenovo",
        "ThinkPad T14 Gen 5",
        {"CPU": "Intel Core Ultra 5", "RAM": "16 GB", "SSD": "512 GB", "screen": "14 in"},
        80,
        "",
        "",
        "449.00",
        "25.00",
        40,
        True,
    ),
    (
        "BT-LT-X1-N",
        "laptop",
        "new",
        "Lenovo",
        "ThinkPad X1 Carbon",
        {"CPU": "Intel Core Ultra 7", "RAM": "32 GB", "SSD": "1 TB", "screen": "14 in"},
        95,
        "",
        "",
        "799.00",
        "35.00",
        10,
        True,
    ),
    (
        "BT-LT-L14-U",
        "laptop",
        "certified_used",
        "Lenovo",
        "ThinkPad L14 Gen 3",
        {"CPU": "Intel Core i5", "RAM": "16 GB", "SSD": "256 GB", "screen": "14 in"},
        70,
        "B",
        gettext_noop("Light marks on the lid"),
        "229.00",
        "15.00",
        25,
        False,
    ),
    (
        "BT-LT-T480-U",
        "laptop",
        "certified_used",
        "Lenovo",
        "ThinkPad T480",
        {"CPU": "Intel Core i5", "RAM": "8 GB", "SSD": "256 GB", "screen": "14 in"},
        60,
        "C",
        gettext_noop("Scratch under 7 mm near the touchpad"),
        "149.00",
        "15.00",
        30,
        False,
    ),
    (
        "BT-LT-EB-U",
        "laptop",
        "certified_used",
        "HP",
        "EliteBook 840 G8",
        {"CPU": "Intel Core i5", "RAM": "16 GB", "SSD": "512 GB", "screen": "14 in"},
        82,
        "A",
        "",
        "279.00",
        "15.00",
        15,
        False,
    ),
    (
        "BT-DT-M70-N",
        "desktop",
        "new",
        "Lenovo",
        "ThinkCentre M70q",
        {"CPU": "Intel Core i5", "RAM": "16 GB", "SSD": "512 GB"},
        70,
        "",
        "",
        "399.00",
        "25.00",
        20,
        True,
    ),
    (
        "BT-TB-IPAD-N",
        "tablet",
        "new",
        "Apple",
        "iPad 10.9 in",
        {"storage": "64 GB", "screen": "10.9 in"},
        70,
        "",
        "",
        "329.00",
        "20.00",
        30,
        True,
    ),
    (
        "BT-TB-TAB-U",
        "tablet",
        "certified_used",
        "Samsung",
        "Galaxy Tab S7",
        {"storage": "128 GB", "screen": "11 in"},
        65,
        "B",
        gettext_noop("Small mark on the back"),
        "189.00",
        "12.00",
        12,
        False,
    ),
    (
        "BT-PH-A54-N",
        "phone",
        "new",
        "Samsung",
        "Galaxy A54",
        {"storage": "128 GB", "screen": "6.4 in", "5G": "yes"},
        60,
        "",
        "",
        "249.00",
        "12.00",
        50,
        True,
    ),
    (
        "BT-PH-IP13-U",
        "phone",
        "certified_used",
        "Apple",
        "iPhone 13",
        {"storage": "128 GB", "screen": "6.1 in", "5G": "yes"},
        70,
        "A",
        "",
        "349.00",
        "12.00",
        20,
        False,
    ),
    (
        "BT-PH-IP12-U",
        "phone",
        "certified_used",
        "Apple",
        "iPhone 12",
        {"storage": "64 GB", "screen": "6.1 in", "5G": "yes"},
        58,
        "B",
        gettext_noop("Light marks on the frame"),
        "229.00",
        "12.00",
        18,
        False,
    ),
    (
        "BT-MN-P24-N",
        "monitor",
        "new",
        "Dell",
        "P2425H",
        {"screen": "24 in", "resolution": "1920x1080"},
        50,
        "",
        "",
        "159.00",
        "10.00",
        25,
        True,
    ),
]


def _products() -> int:
    created = 0
    for sku, kind, condition, brand, model, specs, score, grade, notes, price, fee, stock, care in PRODUCTS:
        _product, made = Product.objects.get_or_create(
            sku=sku,
            defaults={
                "kind": kind,
                "condition": condition,
                "brand": brand,
                "model": model,
                "specifications": specs,
                "functional_score": score,
                "cosmetic_grade": grade,
                "cosmetic_notes": notes,
                "price": Decimal(price),
                "admin_fee": Decimal(fee),
                "stock": stock,
                "warranty_terms": NEW_WARRANTY if condition == "new" else USED_WARRANTY,
                "manufacturer_extended_care": care,
            },
        )
        created += made
    return created


@transaction.atomic
def seed() -> int:
    created = _products()
    eligible = Organisation.objects.filter(customer_number="BE-100001").first()
    if eligible is None:
        return created
    with across_organisations():
        signer = User.objects.filter(memberships__organisation=eligible, memberships__role="admin").first()
        agent = User.objects.filter(kind=User.Kind.AGENT, country=rules.PROGRAM_COUNTRY).first()
        services.eligibility_set(
            actor=None, organisation=eligible, status=rules.ELIGIBLE, source=EligibilitySource.PARTNER_IMPORT
        )
        if signer is not None and not Attestation.objects.filter(organisation=eligible).exists():
            services.attestation_sign(actor=signer, organisation=eligible)
            created += 1
    # One order delivered days ago (numbered first, as it was placed first), and one whose fee the partner
    # has received, waiting for the vendor's confirmation, so the console has something to show.
    if signer is not None and agent is not None:
        with tenant_scope(eligible):
            if may_sign(signer, eligible) and not _has_delivered_order(eligible):
                _delivered_order(eligible, signer, agent)
                created += 1
            others = BuyTechOrder.objects.filter(organisation=eligible).exclude(
                shipments__tracking_number=DELIVERED_TRACKING[0]
            )
            if not others.exists():
                order = services.order_reserve(
                    actor=signer, organisation=eligible, items={"BT-LT-L14-U": 2, "BT-PH-A54-N": 1}
                )
                services.order_record_fee(actor=agent, order=order, amount=services.order_fees(order))
                created += 1
    return created


# The delivered demo order: its parcels' tracking numbers mark it (they survive cancellations and returns).
DELIVERED_ITEMS = {"BT-LT-T14-N": 2, "BT-PH-A54-N": 1}
DELIVERED_TRACKING = ("323212345678901234567890", "323212345678901234567891")
# Days before the seeding: reserved, fee received (forwarded to the vendor), confirmed, price paid, parcels
# dispatched, parcels delivered. The last delivery is inside the 14-day cancellation window, so cancelling,
# returning and (once the window has passed) a warranty claim can all be tried on the demo.
RESERVED_DAYS_AGO, FEE_DAYS_AGO, CONFIRMED_DAYS_AGO, PAID_DAYS_AGO = 14, 13, 12, 10
PARCELS = ((DELIVERED_TRACKING[0], [1, 2], 9, 6), (DELIVERED_TRACKING[1], [3], 8, 5))  # tracking, items, sent, arrived


def _has_delivered_order(organisation: Organisation) -> bool:
    return BuyTechShipment.objects.filter(organisation=organisation, tracking_number=DELIVERED_TRACKING[0]).exists()


def _delivered_order(organisation: Organisation, signer: User, agent: User) -> BuyTechOrder:
    """The whole journey through the services: reserve, confirm, sign both agreements, pay, ship twice, deliver."""
    order = services.order_reserve(actor=signer, organisation=organisation, items=DELIVERED_ITEMS)
    order = services.order_record_fee(actor=agent, order=order, amount=services.order_fees(order))
    order = services.order_confirm(actor=agent, order=order)
    # The seeding operator stands in for the signatory's identity check, as the API's confirmation does.
    http_request = HttpRequest()  # no browser: the audit page records no address and no user agent
    setattr(http_request, API_CONFIRMED_ATTRIBUTE, 1.0)
    for agreement in filter(None, (order.relationship_agreement, order.devices_agreement)):  # confirm issued both
        contract_sign(
            actor=signer, organisation=organisation, contract=agreement, http_request=http_request, terms_accepted=True
        )
        contract_countersign(actor=agent, contract=agreement, http_request=http_request)
    order.refresh_from_db()
    order = services.order_record_payment(actor=agent, order=order, amount=services.order_price(order))
    today = services.clock.today()
    for tracking, positions, sent, arrived in PARCELS:
        shipment = services.shipment_create(
            actor=agent,
            order=order,
            positions=positions,
            carrier="bpost",
            tracking_number=tracking,
            dispatched_on=today - timedelta(days=sent),
        )
        services.shipment_deliver(actor=agent, shipment=shipment, delivered_on=today - timedelta(days=arrived))
    _backdate(order, today)
    order.refresh_from_db()
    return order


def _backdate(order: BuyTechOrder, today: date) -> None:
    """The services stamp reservation, fee, confirmation and payment "now"; the story began before the parcels
    left."""
    now = timezone.now()
    reserved_on = today - timedelta(days=RESERVED_DAYS_AGO)
    forwarded_on = today - timedelta(days=FEE_DAYS_AGO)
    BuyTechOrder.objects.filter(pk=order.pk).update(
        reserved_at=now - timedelta(days=RESERVED_DAYS_AGO),
        reserved_on=reserved_on,
        fee_paid_at=now - timedelta(days=FEE_DAYS_AGO),
        forwarded_on=forwarded_on,
        confirmation_due=rules.confirmation_due(forwarded_on, services.clock.calendar().add_business_days),
        processing_due=rules.processing_due(reserved_on),
        confirmed_at=now - timedelta(days=CONFIRMED_DAYS_AGO),
        paid_at=now - timedelta(days=PAID_DAYS_AGO),
    )
