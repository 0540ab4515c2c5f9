"""Customer and console pages: list, detail, PDF (checked with pdftotext), dispute, statement, options, import."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext

from guichet.billing import rules
from guichet.billing.models import BillingOptions, Dispute, Invoice, Payment
from guichet.core.tenancy import tenant_scope
from tests.accounts.factories import OrganisationFactory, grant_all, make_member
from tests.billing.conftest import url
from tests.tools import pdftotext

pytestmark = pytest.mark.django_db
D = Decimal


def test_invoice_list_and_detail(client, org_a, customer_a, make_invoice) -> None:  # type: ignore[no-untyped-def]
    invoice = make_invoice(org_a)
    client.force_login(customer_a)
    response = client.get(url("billing:invoices", "fr"))
    assert response.status_code == 200
    body = response.content.decode()
    assert invoice.number in body and "1\u202f493,83\xa0€" in body
    detail = client.get(url("billing:invoice", "fr", number=invoice.number))
    assert detail.status_code == 200
    assert rules.payment_reference("BE", is_credit_note=False, number=invoice.number) in detail.content.decode()
    assert client.get(url("billing:invoice", "fr", number="BE-INV-1999-9999")).status_code == 404


@pytest.mark.parametrize(
    ("country", "province", "language", "total", "due", "words", "english_total"),
    [
        ("BE", "", "fr", "1 493,83 €", "11 avril 2026", ["Invoice", "VAT", "+++002/0260/"], "€1,493.83"),
        ("BE", "", "nl", "1.493,83 €", "11 april 2026", ["Invoice", "VAT", "Structured communication"], "€1,493.83"),
        ("CA", "QC", "fr", "1 419,45 $", "11 avril 2026", ["GST", "QST", "1006187334 TQ0001"], "$1,419.45"),
        ("CA", "ON", "en", "$1,395.06", "April 11, 2026", ["Invoice", "HST", "10070 6426 RT0001"], "$1,395.06"),
        (
            "RO",
            "",
            "ro",
            "1.493,83 RON",
            "11 aprilie 2026",
            ["Invoice", "Tax ID (CUI)", "J40/1234/1991"],
            "RON1,493.83",
        ),
    ],
)
def test_invoice_pdf_in_the_readers_language_or_the_organisations_on_request(  # type: ignore[no-untyped-def]
    client, make_invoice, country, province, language, total, due, words, english_total
) -> None:
    organisation = OrganisationFactory(country=country, province=province, language=language)
    customer = make_member(organisation, role="admin", language="en")
    grant_all(customer, organisation)
    invoice = make_invoice(organisation)
    client.force_login(customer)

    def pdf_text(query: str = "") -> str:
        response = client.get(url("billing:invoice_pdf", number=invoice.number) + query)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        return " ".join(pdftotext(response.content).replace("\u202f", " ").replace("\xa0", " ").split())

    # The customer reads English: their copy is English, dates and amounts included.
    text = pdf_text()
    assert invoice.number in text and english_total in text and "April 11, 2026" in text, text
    assert "Invoice" in text
    # Asked for in the organisation's language (to file or forward it): that language throughout.
    text = pdf_text(f"?lang={language}")
    assert total in text, text
    assert due in text, text
    with translation.override(language):
        expected = [gettext(w) for w in words]
    missing = [w for w in expected if w not in text]
    assert not missing, text
    assert english_total in pdf_text("?lang=xx")  # an unknown code: the reader's language


def test_pdftotext_gives_plain_spaces_for_babels_no_break_spaces(client, org_a, customer_a, make_invoice) -> None:  # type: ignore[no-untyped-def]
    """babel writes `1\u202f493,83\xa0€` (fr_BE); the PDF shows it, and pdftotext hands back plain spaces."""
    invoice = make_invoice(org_a)
    client.force_login(customer_a)
    text = pdftotext(client.get(url("billing:invoice_pdf", number=invoice.number)).content)  # a French reader
    assert "1 493,83 €" in text
    assert "1,493.83" not in text and "1493.83" not in text


def test_reverse_charge_mention(client, org_a, customer_a, make_invoice) -> None:  # type: ignore[no-untyped-def]
    invoice = make_invoice(org_a, lines=[rules.LineIn("Service", D(1), D(100), rules.REVERSE_CHARGE)])
    client.force_login(customer_a)
    text = pdftotext(client.get(url("billing:invoice_pdf", number=invoice.number)).content)
    assert "autoliquidation" in text.lower()


def test_dispute_page_opens_a_request(client, org_a, customer_a, make_invoice) -> None:  # type: ignore[no-untyped-def]
    invoice = make_invoice(org_a, issue_date=date.today())
    client.force_login(customer_a)
    page = url("billing:dispute", number=invoice.number)
    assert client.get(page).status_code == 200
    bad = client.post(page, {"amount": "99999", "reason": "Trop"})
    assert bad.status_code == 400
    response = client.post(
        page,
        {
            "amount": "100",
            "reason": "Toner non livré",
            "positions": ["2"],
            "attachments": [SimpleUploadedFile("bon.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
        },
    )
    assert response.status_code == 303
    with tenant_scope(org_a):
        dispute = Dispute.objects.get(invoice=invoice)
        assert dispute.request is not None and dispute.request.attachments.count() == 1
        assert Invoice.objects.get(pk=invoice.pk).status == rules.DISPUTED


def test_statement_page_csv_and_pdf(client, org_a, customer_a, agent_be, make_invoice) -> None:  # type: ignore[no-untyped-def]
    from guichet.billing import services

    invoice = make_invoice(org_a, issue_date=date.today() - timedelta(days=50))
    with tenant_scope(org_a):
        services.payment_record(
            actor=agent_be,
            organisation=org_a,
            day=date.today(),
            amount=D("100"),
            currency="EUR",
            method="bank_transfer",
            reference="P-1",
            allocations=[(invoice, D("100"))],
        )
    client.force_login(customer_a)
    response = client.get(url("billing:statement", "fr"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and 'data-testid="aging-table"' in body and invoice.number in body
    csv = client.get(url("billing:statement_csv"))
    assert csv.status_code == 200
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("date,kind") and lines[-1].split(",")[5] == str(invoice.total - D("100"))
    pdf = client.get(url("billing:statement_pdf"))
    with translation.override("fr"):
        assert gettext("Statement of account") in pdftotext(pdf.content)
    wrong = client.get(url("billing:statement"), {"start": "2026-05-01", "end": "2026-01-01"})
    assert wrong.status_code == 400
    assert client.get(url("billing:statement_csv"), {"start": "nonsense"}).status_code == 400


def test_options_only_for_the_organisations_admin(client, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    member = make_member(org_a, role="member", email="m@example.com")
    grant_all(member, org_a, ["invoices"])
    client.force_login(member)
    assert client.get(url("billing:options")).status_code == 200
    assert client.post(url("billing:options"), {"po_required": "on"}).status_code == 403
    client.force_login(customer_a)
    assert client.post(url("billing:options"), {"email_delivery": "on"}).status_code == 400
    assert client.post(url("billing:options"), {"po_required": "on"}).status_code == 303
    with tenant_scope(org_a):
        assert BillingOptions.objects.get(organisation=org_a).po_required


def test_console_resolves_a_dispute_with_a_credit_note(client, org_a, customer_a, agent_be, make_invoice) -> None:  # type: ignore[no-untyped-def]
    from guichet.billing import services

    invoice = make_invoice(org_a, issue_date=date.today())
    with tenant_scope(org_a):
        dispute = services.dispute_open(actor=customer_a, invoice=invoice, amount=D("50"), reason="Erreur")
    client.force_login(agent_be)
    home = client.get(url("billing_console:home"))
    assert home.status_code == 200 and invoice.number in home.content.decode()
    response = client.post(url("billing_console:resolve", pk=dispute.pk), {"decision": "credit", "amount": "50"})
    assert response.status_code == 303
    with tenant_scope(org_a):
        dispute.refresh_from_db()
        assert dispute.state == "credited" and dispute.credit_note is not None


def test_console_records_a_payment(client, org_a, agent_be, agent_ro, make_invoice) -> None:  # type: ignore[no-untyped-def]
    invoice = make_invoice(org_a)
    data = {
        "customer_number": org_a.customer_number,
        "date": "2026-04-01",
        "amount": "200.00",
        "method": "bank_transfer",
        "reference": "BNK-9",
        "invoice_number": invoice.number,
    }
    client.force_login(agent_ro)
    assert client.post(url("billing_console:payment_new"), data).status_code == 400  # not their country
    client.force_login(agent_be)
    assert client.post(url("billing_console:payment_new"), data).status_code == 303
    with tenant_scope(org_a):
        assert Invoice.objects.get(pk=invoice.pk).settled == D("200.00")


def test_console_import_all_or_nothing(client, org_a, agent_be, make_invoice) -> None:  # type: ignore[no-untyped-def]
    invoice = make_invoice(org_a)
    good = (
        "date,amount,currency,reference,customer_number,invoice_number\n"
        f"2026-04-02,100.00,EUR,IMP-1,{org_a.customer_number},{invoice.number}\n"
        f"2026-04-03,50.00,EUR,IMP-2,{org_a.customer_number},\n"
    )
    bad = good + f"2026-13-01,-3,USD,IMP-1,NOPE,{invoice.number}\n"
    client.force_login(agent_be)
    page = url("billing_console:payment_import")
    assert client.get(page).status_code == 200
    rejected = client.post(page, {"file": SimpleUploadedFile("bank.csv", bad.encode())})
    assert rejected.status_code == 422
    body = rejected.content.decode()
    assert "Not a date" in body and "Unknown currency" in body and "appears twice" in body
    with tenant_scope(org_a):
        assert not Payment.objects.exists()
    assert client.post(page, {"file": SimpleUploadedFile("bank.csv", good.encode())}).status_code == 303
    assert client.post(page, {"file": SimpleUploadedFile("bank.csv", good.encode())}).status_code == 303  # idempotent
    with tenant_scope(org_a):
        assert Payment.objects.count() == 2
        assert Invoice.objects.get(pk=invoice.pk).settled == D("100.00")


def test_console_allocates_a_recorded_payment(client, org_a, agent_be, agent_ro, make_invoice) -> None:  # type: ignore[no-untyped-def]
    from guichet.billing import services

    invoice = make_invoice(org_a)
    with tenant_scope(org_a):
        services.payment_record(
            actor=agent_be,
            organisation=org_a,
            day=date.today(),
            amount=D("300"),
            currency="EUR",
            method="bank_transfer",
            reference="ON/ACCOUNT-1",
        )
    client.force_login(agent_be)
    assert 'data-testid="allocate-form"' in client.get(url("billing_console:home")).content.decode()
    page = url("billing_console:allocate", reference="ON/ACCOUNT-1")
    assert client.post(page, {"invoice_number": invoice.number, "amount": "400"}).status_code == 303  # too much
    with tenant_scope(org_a):
        assert Invoice.objects.get(pk=invoice.pk).settled == 0
    assert client.post(page, {"invoice_number": invoice.number, "amount": "250"}).status_code == 303
    with tenant_scope(org_a):
        assert Invoice.objects.get(pk=invoice.pk).settled == D("250")
        assert Payment.objects.get(reference="ON/ACCOUNT-1").allocated == D("250")
    client.force_login(agent_ro)
    assert client.post(page, {"invoice_number": invoice.number, "amount": "1"}).status_code == 404


def test_statement_pages_long_periods(client, org_a, customer_a, agent_be, make_invoice, settings) -> None:  # type: ignore[no-untyped-def]
    from guichet.billing.views import portal

    for i in range(5):
        make_invoice(org_a, issue_date=date.today() - timedelta(days=10 + i))
    client.force_login(customer_a)
    original, portal.STATEMENT_PAGE_SIZE = portal.STATEMENT_PAGE_SIZE, 2
    try:
        first = client.get(url("billing:statement"))
        last = client.get(url("billing:statement"), {"page": "3"})
    finally:
        portal.STATEMENT_PAGE_SIZE = original
    assert first.status_code == last.status_code == 200
    assert len(first.context["rows"]) == 2 and len(last.context["rows"]) == 1
    assert 'data-testid="closing"' in last.content.decode()
    csv = client.get(url("billing:statement_csv")).content.decode().splitlines()
    assert len(csv) == 1 + 1 + 5 + 1  # header, opening, every operation, closing


def test_flemish_credit_note_and_statement_read_in_dutch(client, make_invoice, agent_be) -> None:  # type: ignore[no-untyped-def]
    """A Dutch-speaking organisation's credit note and statement: Dutch words, nl_BE dates and amounts."""
    from guichet.billing import services

    organisation = OrganisationFactory(country="BE", language="nl", name="Drukkerij Vlaanderen bv")
    customer = make_member(organisation, role="admin", language="nl")
    grant_all(customer, organisation)
    invoice = make_invoice(organisation, issue_date=date(2026, 12, 6))
    note = make_invoice(
        organisation,
        issue_date=date(2026, 12, 6),
        kind="credit_note",
        credited_invoice=invoice,
        lines=[rules.LineIn("Toner", D("1"), D("1234.57"))],
    )
    client.force_login(customer)
    text = " ".join(pdftotext(client.get(url("billing:invoice_pdf", number=note.number)).content).split())
    assert "Creditnota" in text and f"Deze creditnota vermindert factuur {invoice.number}." in text, text
    assert "1.493,83 €" in text and "6 december 2026" in text, text
    with tenant_scope(organisation):
        services.payment_record(
            actor=agent_be,
            organisation=organisation,
            day=date(2026, 12, 6),
            amount=D("100"),
            currency="EUR",
            method="bank_transfer",
            reference="P-NL-1",
            allocations=[],
        )
    statement = client.get(url("billing:statement_pdf"), {"start": "2026-12-01", "end": "2026-12-31"})
    text = " ".join(pdftotext(statement.content).split())
    assert "Rekeninguittreksel" in text and "Beginsaldo" in text and "Eindsaldo" in text, text
    assert "Van 1 december 2026 tot 31 december 2026" in text, text
