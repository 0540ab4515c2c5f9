"""Access matrix, Buy Tech: eligibility, catalogue, cart, orders, the program's console.

org_a is an eligible nonprofit with one reserved order; org_b (in Romania) is not eligible. Its
console is for Belgian agents: closed to agents of other countries before any lookup (403 for
foreign and missing orders alike).
"""

from __future__ import annotations

from typing import Any

from guichet.accounts.models import Organisation
from guichet.buytech import demo as buytech_demo
from guichet.buytech import services as buytech_services
from guichet.buytech.models import BuyTechOrder
from guichet.core.tenancy import across_organisations, tenant_scope
from tests.security.matrix import (
    ADMIN_REFUSES,
    CONFLICT,
    CREATED,
    FORBIDDEN,
    INVALID,
    LOGIN,
    NF,
    OK,
    UNAUTHORISED,
    Expect,
    F,
    Matrix,
    Probe,
    World,
    admin_pages,
    missing_number,
    row,
)

BT_SKU = "BT-PH-A54-N"


def _build(world: World) -> None:
    organisation, signer = world.org_a, world.users["customer_a"]
    buytech_demo._products()
    Organisation.objects.filter(pk=organisation.pk).update(is_nonprofit=True, partner_id="SW-BE-MATRIX")
    organisation.refresh_from_db()
    buytech_services.eligibility_set(actor=None, organisation=organisation, status="eligible", source="partner_import")
    with tenant_scope(organisation):
        buytech_services.attestation_sign(actor=signer, organisation=organisation)
        buytech_services.order_reserve(actor=signer, organisation=organisation, items={BT_SKU: 2})


def bt_order(w: World) -> dict[str, Any]:
    with across_organisations():
        return {"number": BuyTechOrder.objects.filter(organisation=w.org_a).values_list("number", flat=True)[0]}


BT_STAFF = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)  # Belgian agents and administrators
TO_BT_ORDER = Expect(303, "buytech:order", same_kwargs=True)
TO_BT_CONSOLE_ORDER = Expect(303, "buytech_console:order", same_kwargs=True)
TO_BT_ELIGIBILITY = Expect(303, "buytech_console:eligibility")
BT_CONSOLE_ACTIONS = {  # name -> (form data, what agent_be gets on org_a's reserved order)
    "fee": ({"amount": "1.00"}, TO_BT_CONSOLE_ORDER),
    "confirm": ({}, TO_BT_CONSOLE_ORDER),
    "payment": ({"amount": "1.00"}, TO_BT_CONSOLE_ORDER),
    "ship": ({}, INVALID),
    "delivered": ({"shipment": "none", "delivered_on": "2026-03-02"}, TO_BT_CONSOLE_ORDER),
    "substitute": ({}, INVALID),
    "cancel": ({"reason": "Matrix."}, TO_BT_CONSOLE_ORDER),
    "return_decide": ({"return": "none", "decision": "accept", "text": "Matrix."}, TO_BT_CONSOLE_ORDER),
    "return_received": ({"return": "none"}, TO_BT_CONSOLE_ORDER),
    "claim_resolve": ({"claim": "none"}, TO_BT_CONSOLE_ORDER),
}

# fmt: off
ENTRIES = {
    # customers with the "buytech" grant; ordering only once eligible; orders are org_a's; the console
    # for Belgian agents. Issue 14 (item 2): Buy Tech is Belgian only, so org_b (Romania) gets a 404
    # everywhere, like a page that does not exist, even with a grant row.
    #                              anonymous  cust_a     cust_b     no_grant   agent_ro   agent_be   administrator
    "buytech:home":            row(LOGIN,     OK,        NF,        F,         F,         F,         F),
    "buytech:attest":          row(LOGIN,     Expect(303, "buytech:home"), NF,
                                   F,         F,         F,         F,  method="post", data={"confirm": "on"}),
    "buytech:catalogue":       row(LOGIN,     OK,        NF,        F,         F,         F,         F),
    "buytech:cart":            row(LOGIN,     OK,        NF,        F,         F,         F,         F),
    "buytech:checkout":        row(LOGIN,     Expect(303, "buytech:cart"), NF, F,  F,         F,         F,
                                   method="post"),
    "buytech:order":           row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=bt_order),
    "buytech:cancel":          row(LOGIN,     TO_BT_ORDER, NF,      F,         F,         F,         F,
                                   kwargs=bt_order, method="post", data={"positions": "1"}),
    "buytech:return":          row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=bt_order),
    "buytech:claim":           row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=bt_order),
    "buytech_console:home":    row(*BT_STAFF),
    "buytech_console:eligibility": row(*BT_STAFF),
    "buytech_console:import":  row(*BT_STAFF),
    "buytech_console:set_eligibility": row(LOGIN, F,     F,         F,         F,         TO_BT_ELIGIBILITY,
                                   TO_BT_ELIGIBILITY, method="post", data={"status": "eligible"},
                                   kwargs=lambda w: {"customer_number": w.org_a.customer_number}),
    "buytech_console:order":   row(*BT_STAFF, kwargs=bt_order),
    **{
        f"buytech_console:{name}": row(LOGIN, F, F, F, F, expected, expected, kwargs=bt_order, method="post",
                                       data=data)
        for name, (data, expected) in BT_CONSOLE_ACTIONS.items()
    },
    "api-1:buytech_eligibility": row(UNAUTHORISED, OK,   NF,        F,         F,         F,         F,  api=True),
    "api-1:buytech_sign_attestation": row(UNAUTHORISED, CREATED, NF, F,        F,         F,         F,  api=True,
                                   method="post", data={"confirm": True}),
    "api-1:buytech_products":  row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True),
    "api-1:buytech_create_order": row(UNAUTHORISED, CREATED, NF,    F,         F,         F,         F,  api=True,
                                   method="post", data={"items": [{"sku": BT_SKU, "quantity": 1}]}),
    "api-1:buytech_orders":    row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True),
    "api-1:buytech_order":     row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True,
                                   kwargs=bt_order),
    "api-1:buytech_cancel":    row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True,
                                   kwargs=bt_order, method="post", data={}),
    "api-1:buytech_return":    row(UNAUTHORISED, CONFLICT, NF,      F,         F,         F,         F,  api=True,
                                   kwargs=bt_order, method="post", data={"positions": [1], "reason": "Matrix."}),
    "api-1:buytech_warranty_claim": row(UNAUTHORISED, CONFLICT, NF, F,         F,         F,         F,  api=True,
                                   kwargs=bt_order, method="post", data={"position": 1, "description": "Matrix."}),
    # Buy Tech orders, eligibility and attestations change through services only (the attestation is evidence)
    **{f"admin:buytech_{model}_{action}": row(*ADMIN_REFUSES)
       for model in ("buytechorder", "eligibility", "attestation") for action in ("add", "delete")},
}
# fmt: on

PROBES = (
    Probe("buytech:order", bt_order, missing_number, {"customer_b": 404}, ("customer_a", OK)),
    Probe(
        "buytech:cancel",
        bt_order,
        missing_number,
        {"customer_b": 404},
        ("customer_a", TO_BT_ORDER),
        method="post",
        data={"positions": "1"},
    ),
    Probe("buytech:return", bt_order, missing_number, {"customer_b": 404}, ("customer_a", OK)),
    Probe("buytech:claim", bt_order, missing_number, {"customer_b": 404}, ("customer_a", OK)),
    Probe("api-1:buytech_order", bt_order, missing_number, {"customer_b": 404}, ("customer_a", OK), api=True),
    Probe(
        "api-1:buytech_cancel", bt_order, missing_number, {"customer_b": 404}, ("customer_a", OK), method="post",
        data={}, api=True,
    ),
    Probe(
        "api-1:buytech_return", bt_order, missing_number, {"customer_b": 404}, ("customer_a", CONFLICT),
        method="post", data={"positions": [1], "reason": "Matrix."}, api=True,
    ),
    Probe(
        "api-1:buytech_warranty_claim", bt_order, missing_number, {"customer_b": 404}, ("customer_a", CONFLICT),
        method="post", data={"position": 1, "description": "Matrix."}, api=True,
    ),
    Probe("buytech_console:order", bt_order, missing_number, {"agent_ro": 403, "customer_b": 403}, ("agent_be", OK)),
    *(
        Probe(
            f"buytech_console:{name}",
            bt_order,
            missing_number,
            {"agent_ro": 403, "customer_b": 403},
            ("agent_be", expected),
            method="post",
            data=data,
        )
        for name, (data, expected) in BT_CONSOLE_ACTIONS.items()
    ),
)  # fmt: skip

MATRIX = Matrix(
    ENTRIES,
    groups=admin_pages("buytech"),
    probes=PROBES,
    post_only=(
        "buytech:attest",
        "buytech:checkout",
        "buytech:cancel",
        "buytech_console:set_eligibility",
        *(f"buytech_console:{name}" for name in BT_CONSOLE_ACTIONS),
        "api-1:buytech_sign_attestation",
        "api-1:buytech_cancel",
        "api-1:buytech_return",
        "api-1:buytech_warranty_claim",
    ),
    build=_build,
    object_urls=(bt_order,),
)
# This module's tests: test_access, test_actions_refuse_get, test_foreign_objects_answer_like_missing_ones.
globals().update(MATRIX.tests())
