"""Demo catalogue and eligibility (idempotent): Atelier Solidaire is eligible, Brasserie Delvaux is not."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from guichet.accounts.models import Organisation, User
from guichet.core.tenancy import across_organisations, tenant_scope

from . import rules, services
from .models import Attestation, BuyTechOrder, EligibilitySource, Product

NEW_WARRANTY = "12 months from delivery; manufacturer's warranty included"
USED_WARRANTY = "12 months from delivery (program warranty); no factory warranty"

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
        "Light marks on the lid",
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
        "Scratch under 7 mm near the touchpad",
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
        "Small mark on the back",
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
        "Light marks on the frame",
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
    # One order waiting for the vendor's confirmation, so the console has something to show.
    if signer is not None and agent is not None:
        with tenant_scope(eligible):
            if not BuyTechOrder.objects.filter(organisation=eligible).exists():
                services.order_reserve(actor=signer, organisation=eligible, items={"BT-LT-L14-U": 2, "BT-PH-A54-N": 1})
                created += 1
    return created
