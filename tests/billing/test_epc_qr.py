"""Belgian invoices carry an EPC (SEPA) QR code: beneficiary, IBAN, amount due, structured communication."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from guichet.billing import documents, rules
from guichet.billing.epc_qr import epc_payload, epc_qr_svg
from guichet.core.tenancy import tenant_scope
from tests.accounts.factories import OrganisationFactory, grant_all, make_member
from tests.tools import pdftotext

pytestmark = pytest.mark.django_db


def test_the_payload_follows_epc069_12() -> None:
    payload = epc_payload(
        beneficiary="Guichet Services Belgium SRL",
        iban="BE71 0961 2345 6769",
        bic="GKCCBEBB",
        amount=Decimal("1493.8"),
        communication="+++002/0260/31250+++",
    )
    assert payload.split("\n") == [
        "BCD",
        "002",
        "1",  # UTF-8
        "SCT",
        "GKCCBEBB",
        "Guichet Services Belgium SRL",
        "BE71096123456769",
        "EUR1493.80",
        "",  # no purpose code
        "002026031250",  # the structured communication's twelve digits, as the structured remittance
    ]
    assert epc_qr_svg(beneficiary="x", iban="BE71096123456769", bic="", amount=Decimal("0"), communication="") == ""


def test_a_belgian_invoice_pdf_carries_the_qr_code_with_what_is_due(client, make_invoice) -> None:  # type: ignore[no-untyped-def]
    belgian = OrganisationFactory(country="BE", language="en")
    invoice = make_invoice(belgian)
    with tenant_scope(belgian):
        context = documents.invoice_context(invoice, "en")
    assert context["epc_qr"].startswith("<svg") and "<path" in context["epc_qr"]
    assert context["structured_communication"] == rules.payment_reference(
        "BE", is_credit_note=False, number=invoice.number
    )
    customer = make_member(belgian, role="admin", language="en")
    grant_all(customer, belgian)
    client.force_login(customer)
    with translation.override("en"):
        path = reverse("billing:invoice_pdf", kwargs={"number": invoice.number})
    text = pdftotext(client.get(path).content)
    assert "Scan with your banking app to pay" in text


@pytest.mark.parametrize("country", ["CA", "RO"])
def test_only_belgian_invoices_carry_it(make_invoice, country: str) -> None:  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(country=country, province="ON" if country == "CA" else "")
    invoice = make_invoice(organisation)
    with tenant_scope(organisation):
        assert documents.invoice_context(invoice, "en")["epc_qr"] == ""
