"""Numbers never wrap in a billing PDF, and a French or Romanian one shows no English (issue 14).

Every value the template keeps whole (`|unbroken` spans and `.num` cells: amounts, IBAN, references,
dates) is found on one line of pdftotext's text; the long values below would wrap in the narrow vendor
block or table cells if they could.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from guichet.billing import rules, selectors
from guichet.billing.documents import invoice_pdf, statement_pdf
from guichet.core.tenancy import tenant_scope
from tests.accounts.factories import OrganisationFactory
from tests.tools import assert_no_english, broken_numbers, document_html, pdftotext, unbroken_values

pytestmark = pytest.mark.django_db
LONG = [
    rules.LineIn(
        "Maintenance 8286-42A et 9009-22A, sites de Bruxelles, Liège, Namur et Mons",
        Decimal("12"),
        Decimal("123456.78"),
    ),
    rules.LineIn("Toner", Decimal("1000"), Decimal("78.19")),
]


@pytest.mark.parametrize(
    ("country", "language", "currency"), [("BE", "fr", "EUR"), ("RO", "ro", "RON"), ("CA", "fr", "CAD")]
)
def test_invoice_numbers_stay_on_one_line_and_no_english(
    make_invoice, country: str, language: str, currency: str
) -> None:  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(
        country=country, language=language, province="QC" if country == "CA" else "", vat_number="0403356149"
    )
    invoice = make_invoice(organisation, lines=LONG, po_reference="PO-2026-000123456")
    with tenant_scope(organisation), document_html() as html:
        text = pdftotext(invoice_pdf(invoice, language))
    values = unbroken_values(html[-1])
    assert invoice.number in values and any(currency in v or "€" in v or "$" in v for v in values), values
    assert not broken_numbers(text, values), text
    assert_no_english(text)


def test_statement_numbers_stay_on_one_line_and_no_english(make_invoice) -> None:  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(country="RO", language="ro")
    make_invoice(organisation, lines=LONG, issue_date=date(2026, 3, 12))
    with tenant_scope(organisation):
        view = selectors.statement_for(organisation, date(2026, 1, 1), date(2026, 12, 31), today=date(2026, 12, 6))
        with document_html() as html:
            text = pdftotext(statement_pdf(organisation, view, "ro"))
    values = unbroken_values(html[-1])
    assert len(values) > 5, values
    assert not broken_numbers(text, values), text
    assert_no_english(text)
