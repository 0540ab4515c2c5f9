"""Access matrix, My orders: orders and parcels, the console, the carriers' webhook."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from guichet.core.tenancy import tenant_scope
from guichet.orders import services as order_services
from tests.security.matrix import (
    APPLICATION_PAGE,
    LOGIN,
    NF,
    OK,
    STAFF_PAGE,
    UNAUTHORISED,
    Expect,
    F,
    Matrix,
    Probe,
    World,
    admin_pages,
    admin_read_only,
    missing_number,
    row,
)

MATRIX_ORDER = "BE-ORD-2026-0042"
MATRIX_PARCEL = "CD123456785BE"


def _build(world: World) -> None:
    """One order of org_a with one parcel, and a carrier's report on it."""
    with tenant_scope(world.org_a):
        order = order_services.order_create(
            actor=None,
            organisation=world.org_a,
            number=MATRIX_ORDER,
            lines=[order_services.LineIn("P-1", "Part", 3)],
        )
        parcel = order_services.shipment_add(
            actor=None,
            order=order,
            carrier="bpost",
            tracking_number=MATRIX_PARCEL,
            quantities={order.lines.get().pk: 1},
        )
        # A report that changes nothing (the parcel is being prepared already): a TrackingEvent row.
        order_services.shipment_record_event(
            actor=None, shipment=parcel, event_id="matrix:1", status="label_created", occurred_at=timezone.now()
        )
        world.order_line = order.lines.get()


def order_number(w: World) -> dict[str, Any]:
    return {"number": MATRIX_ORDER}


def new_parcel(w: World) -> dict[str, Any]:
    return {"carrier": "dhl_express", "tracking_number": "1234567890", f"line_{w.order_line.pk}": "1"}


PARCEL_STATUS = {"shipment": MATRIX_PARCEL, "status": "in_transit"}
TO_ORDER_CONSOLE = Expect(303, "orders_console:detail", same_kwargs=True)

# fmt: off
ENTRIES = {
    # orders: customers with the "orders" application; agents of org_a's country
    #                              anonymous  cust_a     cust_b     no_grant   agent_ro   agent_be   administrator
    "orders:list":             row(*APPLICATION_PAGE),
    "orders:detail":           row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=order_number),
    "orders_console:find":     row(*STAFF_PAGE),
    "orders_console:detail":   row(LOGIN,     F,         F,         F,         NF,        OK,        OK,
                                   kwargs=order_number),
    "orders_console:add_shipment": row(LOGIN, F,         F,         F,         NF,        TO_ORDER_CONSOLE,
                                   TO_ORDER_CONSOLE, kwargs=order_number, method="post", data=new_parcel),
    "orders_console:status":   row(LOGIN,     F,         F,         F,         NF,        TO_ORDER_CONSOLE,
                                   TO_ORDER_CONSOLE, kwargs=order_number, method="post", data=PARCEL_STATUS),
    "api-1:list_orders":       row(UNAUTHORISED, OK,     OK,        F,         F,         F,         F,  api=True),
    "api-1:get_order":         row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True,
                                   kwargs=order_number),
    # the carriers' webhook: an HMAC signature, not a user; none here, so none gets in
    "api-1:shipment_event":    row(*(UNAUTHORISED,) * 7, api=True, method="post",
                                   data={"event_id": "e", "carrier": "bpost", "tracking_number": MATRIX_PARCEL,
                                         "status": "delivered", "occurred_at": "2026-03-02T10:00:00Z"}),
    # Orders change through the console and the carriers' webhook; the admin only looks.
    **admin_read_only("orders", "order", "trackingevent"),
}
# fmt: on

PROBES = (
    Probe("orders:detail", order_number, missing_number, {"customer_b": 404}, ("customer_a", OK)),
    Probe("orders_console:detail", order_number, missing_number, {"agent_ro": 404}, ("agent_be", OK)),
    Probe(
        "orders_console:add_shipment",
        order_number,
        missing_number,
        {"agent_ro": 404},
        ("agent_be", TO_ORDER_CONSOLE),
        method="post",
        data=new_parcel,
    ),
    Probe(
        "orders_console:status",
        order_number,
        missing_number,
        {"agent_ro": 404},
        ("agent_be", TO_ORDER_CONSOLE),
        method="post",
        data=PARCEL_STATUS,
    ),
    Probe("api-1:get_order", order_number, missing_number, {"customer_b": 404}, ("customer_a", OK), api=True),
)

MATRIX = Matrix(
    ENTRIES,
    groups=admin_pages("orders"),
    probes=PROBES,
    post_only=("orders_console:add_shipment", "orders_console:status", "api-1:shipment_event"),
    build=_build,
    object_urls=(order_number,),
)
# This module's tests: test_access, test_actions_refuse_get, test_foreign_objects_answer_like_missing_ones.
globals().update(MATRIX.tests())
