"""Demo invoices, credit notes and payments for each demo organisation, with aging spread (idempotent)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from guichet.accounts.models import Organisation, User
from guichet.core.calendar import today_in
from guichet.core.money import currency_for_country
from guichet.core.tenancy import tenant_scope

from . import rules, services
from .models import Invoice, Kind

D = Decimal

LINES = {
    "fr": [
        ("Maintenance matérielle 8286-42A (trimestre)", "1", "1250.00"),
        ("Cartouches de toner", "4", "78.19"),
        ("Intervention sur site", "2.5", "95.00"),
    ],
    "ro": [
        ("Mentenanță hardware 8286-42A (trimestru)", "1", "5800.00"),
        ("Cartușe toner", "4", "390.50"),
        ("Intervenție la sediu", "2.5", "450.00"),
    ],
    "en": [
        ("Hardware maintenance 8286-42A (quarter)", "1", "1250.00"),
        ("Toner cartridges", "4", "78.19"),
        ("On-site intervention", "2.5", "95.00"),
    ],
}

# (number or "", days before today it was issued (or a fixed date), what happens to it)
PLAN: dict[str, list[tuple[str, int | date, str]]] = {
    "BE-100001": [
        ("BE-INV-2026-0312", date(2026, 3, 12), "partial"),
        ("", 140, "paid"),
        ("", 75, "partial"),
        ("", 45, "credited"),
        ("", 10, "open"),
    ],
    "BE-100002": [("", 120, "paid"), ("", 100, "open"), ("", 50, "partial"), ("", 12, "open")],
    "CA-200001": [("", 130, "paid"), ("", 95, "open"), ("", 40, "credited"), ("", 5, "open")],
    "RO-300001": [
        ("RO-INV-2026-0101", date(2026, 11, 20), "open"),
        ("", 150, "paid"),
        ("", 70, "partial"),
        ("", 35, "credited"),
    ],
}


def _lines(language: str, scale: int) -> list[rules.LineIn]:
    return [
        rules.LineIn(description, D(quantity), D(price) * (1 + D(scale) / 10))
        for description, quantity, price in LINES.get(language, LINES["en"])
    ]


def seed() -> int:
    created = 0
    today = today_in("BE")
    for customer_number, plan in PLAN.items():
        organisation = Organisation.objects.filter(customer_number=customer_number).first()
        if organisation is None:
            continue
        with tenant_scope(organisation):
            if Invoice.objects.filter(organisation=organisation).exists():
                continue
            currency = currency_for_country(organisation.country)
            for i, (number, when, fate) in enumerate(plan):
                issued = when if isinstance(when, date) else today - timedelta(days=when)
                if number and issued > today:
                    issued = today
                invoice = services.invoice_issue(
                    actor=None,
                    organisation=organisation,
                    lines=_lines(organisation.language, i),
                    issue_date=issued,
                    number=number,
                    po_reference=f"PO-{issued.year}-{100 + i}",
                )
                created += 1
                reference = f"DEMO-{invoice.number}"
                if fate == "paid":
                    services.payment_record(
                        actor=None,
                        organisation=organisation,
                        day=issued + timedelta(days=20),
                        amount=invoice.total,
                        currency=currency,
                        method=rules.PAYMENT_METHODS[organisation.country][0],
                        reference=reference,
                        allocations=[(invoice, invoice.total)],
                    )
                elif fate == "partial":
                    part = (invoice.total / 2).quantize(D("0.01"))
                    services.payment_record(
                        actor=None,
                        organisation=organisation,
                        day=min(issued + timedelta(days=25), today),
                        amount=part,
                        currency=currency,
                        method=rules.PAYMENT_METHODS[organisation.country][0],
                        reference=reference,
                        allocations=[(invoice, part)],
                    )
                elif fate == "credited":
                    note = services.invoice_issue(
                        actor=None,
                        organisation=organisation,
                        kind=Kind.CREDIT_NOTE,
                        credited_invoice=invoice,
                        lines=[
                            rules.LineIn(
                                _lines(organisation.language, i)[1].description,
                                D(1),
                                _lines(organisation.language, i)[1].unit_price,
                            )
                        ],
                        issue_date=min(issued + timedelta(days=7), today),
                    )
                    services._allocate(invoice, note.total, credit_note=note)
                    created += 1
            # Money on account (a payment not matched to an invoice yet) for the statement's "unapplied" line.
            services.payment_record(
                actor=None,
                organisation=organisation,
                day=today - timedelta(days=3),
                amount=D("150.00"),
                currency=currency,
                method=rules.PAYMENT_METHODS[organisation.country][0],
                reference=f"DEMO-{customer_number}-ACCOUNT",
            )
            if customer_number == "RO-300001":
                # The disputed invoice of the demo request: an open dispute waiting in the agents' console.
                disputed = Invoice.objects.get(number="RO-INV-2026-0101")
                customer = User.objects.filter(
                    memberships__organisation=organisation, memberships__role="admin"
                ).first()
                if customer is not None:
                    services.dispute_open(
                        actor=customer,
                        invoice=disputed,
                        amount=D("1210.00"),
                        positions=[2],
                        reason="Cartușele de toner au fost facturate de două ori.",
                    )
            if customer_number == "BE-100002":
                services.options_update(
                    actor=None,
                    organisation=organisation,
                    email_delivery=True,
                    delivery_email="comptabilite@brasserie-delvaux.example",
                    po_required=True,
                )
    return created
