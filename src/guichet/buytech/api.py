"""Buy Tech API: the same services and selectors as the pages.

Every endpoint resolves the caller's organisation and the `buytech` grant
first. Ordering also needs the organisation to be eligible: otherwise a 403
`not_eligible` whose `details.missing` lists what is missing, as the page
does. Orders are addressed by number; another organisation's is a 404.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from guichet.accounts.api_access import AUTH, require_application
from guichet.accounts.models import Organisation, User
from guichet.core.api import ErrorOut, Page, PageOut, PageSize, form_limit, paginate
from guichet.core.errors import DomainError
from guichet.core.money import round_money
from guichet.core.tenancy import tenant_scope

from . import rules, selectors, services
from .errors import Code
from .forms import ClaimForm, ReturnForm
from .models import BuyTechOrder, ClaimRemedy, Product

router = Router(tags=["buytech"], auth=AUTH)

APPLICATION = "buytech"
ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


# --- output -----------------------------------------------------------------------------------------------


class ProductOut(Schema):
    sku: str
    kind: str
    condition: str
    brand: str
    model: str
    specifications: dict[str, Any]
    functional_score: int
    cosmetic_grade: str
    cosmetic_notes: str
    price: Decimal
    admin_fee: Decimal
    currency: str
    stock: int
    warranty_terms: str
    manufacturer_extended_care: bool
    image_url: str


class ProductPageOut(PageOut):
    items: list[ProductOut]


class MissingOut(Schema):
    code: str
    message: str


class EligibilityOut(Schema):
    eligible: bool
    missing: list[MissingOut]
    attestation_version: str


class BuyTechLineOut(Schema):
    position: int
    sku: str
    description: str
    price: Decimal
    admin_fee: Decimal
    status: str
    shipment: str | None
    delivered_on: date | None
    cancel_until: date | None
    return_until: date | None
    warranty_until: date | None
    substituted_from: str
    substitution_note: str


class BuyTechShipmentOut(Schema):
    number: str
    carrier: str
    tracking_number: str
    tracking_url: str
    dispatched_on: date
    delivered_on: date | None


class AgreementOut(Schema):
    number: str
    title: str
    status: str


class ReturnOut(Schema):
    number: str
    status: str
    reason: str
    positions: list[int]
    instructions: str
    created_at: datetime


class ClaimOut(Schema):
    number: str
    position: int
    remedy: str
    replacement_sku: str | None
    status: str
    created_at: datetime


class RefundOut(Schema):
    reason: str
    amount: Decimal
    request_number: str
    created_at: datetime


class BuyTechOrderSummaryOut(Schema):
    number: str
    status: str
    reserved_on: date
    total: Decimal
    currency: str


class BuyTechOrderOut(BuyTechOrderSummaryOut):
    partner_id: str
    admin_fees: Decimal = Field(description="The administrative fees, paid first, to the partner.")
    fee_reference: str = Field(description="The structured communication to quote with the fee.")
    fee_paid_at: datetime | None
    forwarded_on: date | None = Field(description="When the partner forwarded the order to the vendor.")
    price: Decimal = Field(description="The price of the devices, paid to the vendor after its confirmation.")
    payment_reference: str = Field(description="The structured communication to quote with the price.")
    confirmation_due: date | None = Field(description="2 Belgian business days after the order is forwarded.")
    confirmation_state: str
    processing_due: date
    processing_state: str
    agreements_signed: bool
    agreements: list[AgreementOut]
    paid_at: datetime | None
    delivered_on: date | None
    lines: list[BuyTechLineOut]
    shipments: list[BuyTechShipmentOut]
    returns: list[ReturnOut]
    warranty_claims: list[ClaimOut]
    refunds: list[RefundOut]


def _product(product: Product) -> dict[str, Any]:
    from django.templatetags.static import static

    return {
        **{f: getattr(product, f) for f in ProductOut.model_fields if f != "image_url"},
        "image_url": static(product.image),
    }


def _order(order: BuyTechOrder) -> dict[str, Any]:
    view = selectors.view_of(order)
    return {
        "number": order.number,
        "status": order.status,
        "reserved_on": order.reserved_on,
        "total": view.total,
        "currency": order.currency,
        "partner_id": order.partner_id,
        "admin_fees": view.admin_fees,
        "fee_reference": order.fee_reference,
        "fee_paid_at": order.fee_paid_at,
        "forwarded_on": order.forwarded_on,
        "price": view.price,
        "payment_reference": order.payment_reference,
        "confirmation_due": order.confirmation_due,
        "confirmation_state": view.confirmation_state,
        "processing_due": order.processing_due,
        "processing_state": view.processing_state,
        "agreements_signed": view.agreements_signed,
        "agreements": [
            {"number": a.number, "title": a.title, "status": a.status}
            for a in (order.relationship_agreement, order.devices_agreement)
            if a is not None
        ],
        "paid_at": order.paid_at,
        "delivered_on": order.delivered_on,
        "lines": [
            {
                "position": lv.line.position,
                "sku": lv.line.product.sku,
                "description": lv.line.description,
                "price": lv.line.price,
                "admin_fee": lv.line.admin_fee,
                "status": lv.line.status,
                "shipment": lv.line.shipment.number if lv.line.shipment else None,
                "delivered_on": lv.delivered_on,
                "cancel_until": lv.cancel_until,
                "return_until": lv.return_until,
                "warranty_until": lv.warranty_until,
                "substituted_from": lv.line.substituted_from,
                "substitution_note": lv.line.substitution_note,
            }
            for lv in view.lines
        ],
        "shipments": [
            {
                "number": s.number,
                "carrier": s.carrier,
                "tracking_number": s.tracking_number,
                "tracking_url": s.tracking_url,
                "dispatched_on": s.dispatched_on,
                "delivered_on": s.delivered_on,
            }
            for s in view.shipments
        ],
        "returns": [
            {
                "number": r.number,
                "status": r.status,
                "reason": r.reason,
                "positions": sorted(line.position for line in r.lines.all()),
                "instructions": r.instructions,
                "created_at": r.created_at,
            }
            for r in view.returns
        ],
        "warranty_claims": [
            {
                "number": c.number,
                "position": c.line.position,
                "remedy": c.remedy,
                "replacement_sku": c.replacement.sku if c.replacement else None,
                "status": c.status,
                "created_at": c.created_at,
            }
            for c in view.claims
        ],
        "refunds": [
            {"reason": r.reason, "amount": r.amount, "request_number": r.request_number, "created_at": r.created_at}
            for r in order.refunds.all()
        ],
    }


# --- endpoints --------------------------------------------------------------------------------------------


@router.get("buytech/eligibility", response={200: EligibilityOut, **ERRORS})
def buytech_eligibility(request: HttpRequest) -> dict[str, Any]:
    """Whether the organisation may order, and what is missing if not."""
    organisation: Organisation = require_application(request, APPLICATION)
    gaps = services.gaps_of(organisation)
    return {
        "eligible": not gaps,
        "missing": services.gap_messages(gaps),
        "attestation_version": rules.ATTESTATION_VERSION,
    }


class AttestationIn(Schema):
    confirm: bool = False


class AttestationOut(Schema):
    wording_version: str
    signer: str
    signed_at: datetime


@router.post("buytech/attestation", response={201: AttestationOut, **ERRORS})
def buytech_sign_attestation(request: HttpRequest, payload: AttestationIn) -> Status[dict[str, Any]]:
    """Sign the non-discrimination attestation (current wording) for the organisation."""
    organisation: Organisation = require_application(request, APPLICATION)
    if not payload.confirm:
        raise DomainError(_('Confirm the attestation with "confirm": true.'), code=Code.CONFIRMATION_REQUIRED)
    with tenant_scope(organisation):
        attestation = services.attestation_sign(
            actor=request.user,  # type: ignore[arg-type]
            organisation=organisation,
            http_request=request,
        )
        return Status(
            201,
            {
                "wording_version": attestation.wording_version,
                "signer": attestation.signer_name,
                "signed_at": attestation.signed_at,
            },
        )


@router.get("buytech/products", response={200: ProductPageOut, **ERRORS})
def buytech_products(
    request: HttpRequest,
    kind: str = "",
    condition: str = "",
    brand: str = "",
    q: str = "",
    in_stock: bool = False,
    page: Page = 1,
    page_size: PageSize = 25,
) -> dict[str, Any]:
    """The catalogue, for eligible organisations."""
    organisation: Organisation = require_application(request, APPLICATION)
    services.require_eligible(organisation)
    filters = selectors.CatalogueFilters(kind=kind, condition=condition, brand=brand, query=q[:100], in_stock=in_stock)
    items, count = paginate(selectors.products(filters), page, page_size)
    return {"items": [_product(p) for p in items], "count": count}


class OrderItemIn(Schema):
    sku: str
    quantity: int


class OrderIn(Schema):
    items: list[OrderItemIn]


@router.post("buytech/orders", response={201: BuyTechOrderOut, **ERRORS})
def buytech_create_order(request: HttpRequest, payload: OrderIn) -> Status[dict[str, Any]]:
    """Reserve devices: the order number comes back; the payment instructions go by e-mail."""
    organisation: Organisation = require_application(request, APPLICATION)
    items: dict[str, int] = {}
    for item in payload.items:
        if item.quantity < 1:
            raise DomainError(_("Quantities must be at least 1."), code=Code.INVALID_QUANTITY)
        items[item.sku] = items.get(item.sku, 0) + item.quantity
    with tenant_scope(organisation):
        order = services.order_reserve(
            actor=request.user,  # type: ignore[arg-type]
            organisation=organisation,
            items=items,
            http_request=request,
        )
        return Status(201, _order(order))


class BuyTechOrderPageOut(PageOut):
    items: list[BuyTechOrderSummaryOut]


@router.get("buytech/orders", response={200: BuyTechOrderPageOut, **ERRORS})
def buytech_orders(request: HttpRequest, page: Page = 1, page_size: PageSize = 25) -> dict[str, Any]:
    """The organisation's Buy Tech orders, newest first (readable even if it is no longer eligible)."""
    organisation: Organisation = require_application(request, APPLICATION)
    with tenant_scope(organisation):
        orders, count = paginate(selectors.orders_with_totals(organisation), page, page_size)
        return {
            "items": [
                {
                    "number": o.number,
                    "status": o.status,
                    "reserved_on": o.reserved_on,
                    "total": round_money(o.active_total or 0, "EUR"),
                    "currency": o.currency,
                }
                for o in orders
            ],
            "count": count,
        }


@router.get("buytech/orders/{number}", response={200: BuyTechOrderOut, **ERRORS})
def buytech_order(request: HttpRequest, number: str) -> dict[str, Any]:
    organisation: Organisation = require_application(request, APPLICATION)
    with tenant_scope(organisation):
        return _order(selectors.get_order_for(organisation, number))


class CancelIn(Schema):
    positions: list[int] = []


@router.post("buytech/orders/{number}/cancel", response={200: BuyTechOrderOut, **ERRORS})
def buytech_cancel(request: HttpRequest, number: str, payload: CancelIn) -> dict[str, Any]:
    """Cancel the whole order (no positions) or some items, until 14 days after their delivery."""
    organisation: Organisation = require_application(request, APPLICATION)
    user: User = request.user  # type: ignore[assignment]
    with tenant_scope(organisation):
        order = selectors.get_order_for(organisation, number)
        services.order_cancel(actor=user, order=order, positions=payload.positions or None, http_request=request)
        return _order(selectors.get_order_for(organisation, number))


class ReturnIn(Schema):
    positions: list[int]
    reason: str = form_limit(ReturnForm, "reason")
    organisation_name: str = form_limit(ReturnForm, "organisation_name", "")


@router.post("buytech/orders/{number}/returns", response={201: ReturnOut, **ERRORS})
def buytech_return(request: HttpRequest, number: str, payload: ReturnIn) -> Status[dict[str, Any]]:
    """Ask for a return (within 60 days after delivery); the vendor evaluates it."""
    organisation: Organisation = require_application(request, APPLICATION)
    with tenant_scope(organisation):
        order = selectors.get_order_for(organisation, number)
        item = services.return_request(
            actor=request.user,  # type: ignore[arg-type]
            order=order,
            positions=payload.positions,
            reason=payload.reason,
            organisation_name=payload.organisation_name,
            http_request=request,
        )
        return Status(
            201,
            {
                "number": item.number,
                "status": item.status,
                "reason": item.reason,
                "positions": sorted(line.position for line in item.lines.all()),
                "instructions": item.instructions,
                "created_at": item.created_at,
            },
        )


class ClaimIn(Schema):
    position: int
    description: str = form_limit(ClaimForm, "description")
    remedy: str = ClaimRemedy.REPLACEMENT


@router.post("buytech/orders/{number}/warranty-claims", response={201: ClaimOut, **ERRORS})
def buytech_warranty_claim(request: HttpRequest, number: str, payload: ClaimIn) -> Status[dict[str, Any]]:
    """A defect after the 14-day window, within 12 months: `replacement` (if in stock) or `refund`."""
    organisation: Organisation = require_application(request, APPLICATION)
    with tenant_scope(organisation):
        order = selectors.get_order_for(organisation, number)
        claim = services.warranty_claim(
            actor=request.user,  # type: ignore[arg-type]
            order=order,
            position=payload.position,
            description=payload.description,
            remedy=payload.remedy,
            http_request=request,
        )
        return Status(
            201,
            {
                "number": claim.number,
                "position": claim.line.position,
                "remedy": claim.remedy,
                "replacement_sku": claim.replacement.sku if claim.replacement else None,
                "status": claim.status,
                "created_at": claim.created_at,
            },
        )
