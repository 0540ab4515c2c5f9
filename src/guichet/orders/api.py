"""Orders API: the organisation's orders with their parcels, and the carriers' status webhook.

`GET /orders` and `GET /orders/{number}` resolve the caller's organisation and the
`orders` grant first and work in its tenant scope; another organisation's order is
a 404 like a missing one. `POST /shipments/events` is for carriers and integrations:
no user, an HMAC signature instead (see `webhook.py`), idempotent by event id.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pydantic
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from guichet.accounts.api_access import AUTH, require_application
from guichet.accounts.models import Organisation
from guichet.core.api import ErrorOut, InvalidInput, Page, PageOut, PageSize, paginate
from guichet.core.errors import DomainError, NotFound
from guichet.core.tenancy import tenant_scope

from . import rules, selectors, services, webhook
from .carriers import CARRIERS
from .errors import Code
from .models import Order, OrderStatus, ShipmentStatus

router = Router(tags=["orders"], auth=AUTH)

APPLICATION = "orders"
DEFAULT_PAGE_SIZE = 25
ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class OrderSummaryOut(Schema):
    number: str
    ordered_on: date
    status: str
    status_label: str
    currency: str
    purchase_order: str
    line_count: int
    shipment_count: int
    updated_at: datetime


class OrderPageOut(PageOut):
    items: list[OrderSummaryOut]


class OrderLineOut(Schema):
    position: int
    product_code: str
    description: str
    quantity: int
    unit_price: Decimal
    amount: Decimal
    status: str
    shipped: int
    delivered: int


class ShipmentLineOut(Schema):
    position: int
    product_code: str
    quantity: int


class ShipmentOut(Schema):
    carrier: str
    carrier_name: str
    tracking_number: str
    tracking_url: str
    status: str
    status_label: str
    dispatched_at: datetime | None
    delivered_at: datetime | None
    location: str
    lines: list[ShipmentLineOut]


class TimelineOut(Schema):
    at: datetime
    kind: str
    status: str
    tracking_number: str | None
    location: str


class OrderOut(OrderSummaryOut):
    total: Decimal
    lines: list[OrderLineOut]
    shipments: list[ShipmentOut]
    timeline: list[TimelineOut]


def _summary(order: Order) -> dict[str, Any]:
    return {
        "number": order.number,
        "ordered_on": order.ordered_on,
        "status": order.status,
        "status_label": str(OrderStatus(order.status).label),
        "currency": order.currency,
        "purchase_order": order.purchase_order,
        "line_count": order.line_count if hasattr(order, "line_count") else len(order.lines.all()),
        "shipment_count": order.shipment_count if hasattr(order, "shipment_count") else len(order.shipments.all()),
        "updated_at": order.updated_at,
    }


def _detail(order: Order) -> dict[str, Any]:
    lines = list(order.lines.all())
    shipments = list(order.shipments.all())
    return {
        **_summary(order),
        "total": sum((line.amount for line in lines), Decimal("0")),
        "lines": [
            {
                "position": line.position,
                "product_code": line.product_code,
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "amount": line.amount,
                "status": line.status,
                "shipped": line.shipped,  # type: ignore[attr-defined]
                "delivered": line.delivered,  # type: ignore[attr-defined]
            }
            for line in lines
        ],
        "shipments": [
            {
                "carrier": shipment.carrier,
                "carrier_name": shipment.carrier_name,
                "tracking_number": shipment.tracking_number,
                "tracking_url": shipment.tracking_url,
                "status": shipment.status,
                "status_label": str(ShipmentStatus(shipment.status).label),
                "dispatched_at": shipment.dispatched_at,
                "delivered_at": shipment.delivered_at,
                "location": shipment.location,
                "lines": [
                    {
                        "position": item.order_line.position,
                        "product_code": item.order_line.product_code,
                        "quantity": item.quantity,
                    }
                    for item in shipment.lines.all()
                ],
            }
            for shipment in shipments
        ],
        "timeline": [
            {
                "at": event.at,
                "kind": event.kind,
                "status": event.status,
                "tracking_number": event.shipment.tracking_number if event.shipment else None,
                "location": event.location,
            }
            for event in selectors.timeline_of(order)
        ],
    }


@router.get("orders", response={200: OrderPageOut, **ERRORS})
def list_orders(
    request: HttpRequest,
    status: str = "",
    q: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    page: Page = 1,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
) -> dict[str, Any]:
    """The organisation's orders, newest first. `status`: a status, `open`, or empty for all;
    `q`: order number, purchase-order reference or tracking number."""
    organisation: Organisation = require_application(request, APPLICATION)
    if status and status != "open" and status not in OrderStatus.values:
        raise DomainError(
            _("Unknown order status."), code=Code.INVALID_STATUS, details={"allowed": ["open", *OrderStatus.values]}
        )
    filters = selectors.OrderFilters(status=status, date_from=date_from, date_to=date_to, query=q)
    with tenant_scope(organisation):
        items, count = paginate(selectors.orders_of(organisation, filters), page, page_size)
        return {"items": [_summary(order) for order in items], "count": count}


@router.get("orders/{number}", response={200: OrderOut, **ERRORS})
def get_order(request: HttpRequest, number: str) -> dict[str, Any]:
    """One order: lines with shipped and delivered quantities, parcels with their tracking links, timeline."""
    organisation: Organisation = require_application(request, APPLICATION)
    with tenant_scope(organisation):
        return _detail(selectors.get_order_for(organisation, number))


# --- the carriers' webhook ----------------------------------------------------------------------


class ShipmentEventIn(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="ignore")

    event_id: str = pydantic.Field(min_length=1, max_length=100)
    carrier: str = pydantic.Field(min_length=1, max_length=24)
    tracking_number: str = pydantic.Field(min_length=1, max_length=60)
    status: str
    occurred_at: pydantic.AwareDatetime
    location: str = pydantic.Field(default="", max_length=120)


class ShipmentEventOut(Schema):
    duplicate: bool
    applied: bool
    order: str
    tracking_number: str
    shipment_status: str
    order_status: str


@router.post(
    "shipments/events",
    auth=None,
    response={200: ShipmentEventOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ShipmentEventIn.model_json_schema()}},
        },
        "parameters": [
            {"in": "header", "name": webhook.SIGNATURE_HEADER, "required": True, "schema": {"type": "string"}},
            {"in": "header", "name": webhook.TIMESTAMP_HEADER, "required": True, "schema": {"type": "string"}},
        ],
    },
)
def shipment_event(request: HttpRequest) -> dict[str, Any]:
    """A carrier's status for a parcel. Signed: `X-Guichet-Signature: sha256=HMAC(secret, "<timestamp>." + body)`
    with `X-Guichet-Timestamp` (Unix seconds, within 5 minutes). The same `event_id` twice answers
    `duplicate: true` and changes nothing. A secret reports only for its own carriers (403 otherwise);
    an `occurred_at` more than 5 minutes ahead of our clock is refused (422)."""
    body = request.body
    integration = webhook.verify(
        body,
        request.headers.get(webhook.SIGNATURE_HEADER, ""),
        request.headers.get(webhook.TIMESTAMP_HEADER, ""),
    )
    try:
        event = ShipmentEventIn.model_validate_json(body)
    except pydantic.ValidationError as error:
        errors = [
            {"type": e["type"], "loc": ["body", *map(str, e["loc"])], "msg": e["msg"]}
            for e in error.errors(include_url=False, include_input=False)
        ]
        raise InvalidInput(_("Some fields are missing or invalid."), details={"errors": errors}) from None
    if event.status not in ShipmentStatus.values:
        raise InvalidInput(
            _("Unknown shipment status."), code=Code.UNKNOWN_STATUS, details={"allowed": ShipmentStatus.values}
        )
    if not rules.occurred_plausibly(event.occurred_at, timezone.now()):
        raise InvalidInput(_("occurred_at is more than 5 minutes in the future."), code=Code.OCCURRED_IN_FUTURE)
    if event.carrier not in CARRIERS:
        raise NotFound(_("No such parcel."), code=Code.UNKNOWN_SHIPMENT)
    integration.ensure_may_report(event.carrier)
    source = integration.name
    shipment = selectors.find_shipment(event.carrier, event.tracking_number)
    if shipment is None:
        raise NotFound(_("No such parcel."), code=Code.UNKNOWN_SHIPMENT)
    organisation = shipment.order.organisation
    with tenant_scope(organisation):
        outcome = services.shipment_record_event(
            actor=None,
            shipment=shipment,
            event_id=f"{source}:{event.event_id}",
            status=event.status,
            occurred_at=event.occurred_at,
            location=event.location,
            source=f"webhook:{source}",
            raw=event.model_dump(mode="json"),
            http_request=request,
        )
    return {
        "duplicate": outcome.duplicate,
        "applied": outcome.applied,
        "order": outcome.order.number,
        "tracking_number": outcome.shipment.tracking_number,
        "shipment_status": outcome.shipment.status,
        "order_status": outcome.order.status,
    }
