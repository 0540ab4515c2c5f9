"""Access matrix, My invoices and My statements: invoices, disputes, the statement, the console."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from guichet.billing import rules as billing_rules
from guichet.billing import services as billing_services
from guichet.billing.models import Dispute, Invoice
from guichet.core.tenancy import tenant_scope
from tests.security.matrix import (
    ADMIN_REFUSES,
    APPLICATION_PAGE,
    CREATED,
    LOGIN,
    MISSING_PK,
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
    row,
)

BILLING_INVOICE = "BE-INV-2026-0901"
BILLING_MISSING = "BE-INV-1999-9999"


def _build(world: World) -> None:
    """org_a's invoice and a payment."""
    organisation = world.org_a
    with tenant_scope(organisation):
        billing_services.invoice_issue(
            actor=None, organisation=organisation, number=BILLING_INVOICE, issue_date=date.today(),
            lines=[billing_rules.LineIn("Matrix", Decimal(1), Decimal("100.00"))],
        )  # fmt: skip
        billing_services.payment_record(
            actor=None, organisation=organisation, day=date.today(), amount=Decimal("10.00"), currency="EUR",
            method="bank_transfer", reference="MATRIX-1",
        )  # fmt: skip


def billing_invoice(w: World) -> dict[str, Any]:
    return {"number": BILLING_INVOICE}


def _billing_missing(w: World) -> dict[str, Any]:
    return {"number": BILLING_MISSING}


def billing_dispute(w: World) -> dict[str, Any]:
    with tenant_scope(w.org_a):
        dispute = Dispute.objects.filter(organisation=w.org_a, state="open").first()
        if dispute is None:
            invoice = Invoice.objects.get(number=BILLING_INVOICE)
            dispute = billing_services.dispute_open(actor=w.member, invoice=invoice, amount=Decimal("5"), reason="M")
    return {"pk": dispute.pk}


def billing_payment(w: World) -> dict[str, Any]:
    return {"reference": "MATRIX-1"}


TO_BILLING_CONSOLE = Expect(303, "billing_console:home")
BILLING_ALLOCATE = {"invoice_number": BILLING_INVOICE, "amount": "5.00"}
BILLING_DISPUTE = {"amount": "10.00", "reason": "Matrix."}

# fmt: off
ENTRIES = {
    # billing: "invoices" and "statements" grants, org_a's invoices only; the console for agents of the country
    #                              anonymous  cust_a     cust_b     no_grant   agent_ro   agent_be   administrator
    "billing:invoices":        row(*APPLICATION_PAGE),
    "billing:statement":       row(*APPLICATION_PAGE),
    "billing:statement_csv":   row(*APPLICATION_PAGE),
    "billing:statement_pdf":   row(*APPLICATION_PAGE),
    "billing:options":         row(*APPLICATION_PAGE),
    "billing:invoice":         row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=billing_invoice),
    "billing:invoice_pdf":     row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=billing_invoice),
    "billing:dispute":         row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=billing_invoice),
    "billing_console:home":    row(*STAFF_PAGE),
    "billing_console:payment_new": row(*STAFF_PAGE),
    "billing_console:payment_import": row(*STAFF_PAGE),
    "billing_console:resolve": row(LOGIN,     F,         F,         F,         NF,        TO_BILLING_CONSOLE,
                                   TO_BILLING_CONSOLE, method="post", kwargs=billing_dispute,
                                   data={"decision": "reject", "note": "Matrix."}),
    "billing_console:allocate": row(LOGIN,    F,         F,         F,         NF,        TO_BILLING_CONSOLE,
                                   TO_BILLING_CONSOLE, method="post", kwargs=billing_payment, data=BILLING_ALLOCATE),
    "api-1:list_invoices":     row(UNAUTHORISED, OK,     OK,        F,         F,         F,         F,  api=True),
    "api-1:get_statement":     row(UNAUTHORISED, OK,     OK,        F,         F,         F,         F,  api=True),
    "api-1:get_invoice":       row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True,
                                   kwargs=billing_invoice),
    "api-1:invoice_pdf":       row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True,
                                   kwargs=billing_invoice),
    "api-1:dispute_invoice":   row(UNAUTHORISED, CREATED, NF,       F,         F,         F,         F,  api=True,
                                   method="post", kwargs=billing_invoice, data=BILLING_DISPUTE),
    # billing documents change through services only
    "admin:billing_invoice_add": row(*ADMIN_REFUSES),
    "admin:billing_invoice_delete": row(*ADMIN_REFUSES),
    "admin:billing_payment_add": row(*ADMIN_REFUSES),
    "admin:billing_payment_delete": row(*ADMIN_REFUSES),
}
# fmt: on

PROBES = (
    Probe("billing:invoice", billing_invoice, _billing_missing, {"customer_b": 404}, ("customer_a", OK)),
    Probe("billing:invoice_pdf", billing_invoice, _billing_missing, {"customer_b": 404}, ("customer_a", OK)),
    Probe("billing:dispute", billing_invoice, _billing_missing, {"customer_b": 404}, ("customer_a", OK)),
    Probe(
        "billing_console:resolve",
        billing_dispute,
        lambda w: {"pk": MISSING_PK},
        {"agent_ro": 404},
        ("agent_be", TO_BILLING_CONSOLE),
        method="post",
        data={"decision": "reject", "note": "Matrix."},
    ),
    Probe(
        "billing_console:allocate",
        billing_payment,
        lambda w: {"reference": "MATRIX-MISSING"},
        {"agent_ro": 404},
        ("agent_be", TO_BILLING_CONSOLE),
        method="post",
        data=BILLING_ALLOCATE,
    ),
    Probe("api-1:get_invoice", billing_invoice, _billing_missing, {"customer_b": 404}, ("customer_a", OK), api=True),
    Probe("api-1:invoice_pdf", billing_invoice, _billing_missing, {"customer_b": 404}, ("customer_a", OK), api=True),
    Probe(
        "api-1:dispute_invoice",
        billing_invoice,
        _billing_missing,
        {"customer_b": 404},
        ("customer_a", CREATED),
        method="post",
        data=BILLING_DISPUTE,
        api=True,
    ),
)

MATRIX = Matrix(
    ENTRIES,
    groups=admin_pages("billing"),
    probes=PROBES,
    post_only=("billing_console:resolve", "billing_console:allocate", "api-1:dispute_invoice"),
    build=_build,
    object_urls=(billing_invoice,),
)
# This module's tests: test_access, test_actions_refuse_get, test_foreign_objects_answer_like_missing_ones.
globals().update(MATRIX.tests())
