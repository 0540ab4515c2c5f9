"""Numbers never wrap in a contract or a notice PDF; French and Romanian ones show no English; a
Canadian address is written city, province, postal code (issue 14)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from guichet.contracts import services
from guichet.contracts.documents import contract_pdf
from guichet.contracts.models import ContractKind
from guichet.core.tenancy import tenant_scope
from tests.accounts.factories import OrganisationFactory, grant_all, make_member
from tests.contracts.conftest import cover, make_contract, make_machine
from tests.tools import assert_no_english, broken_numbers, document_html, pdftotext, unbroken_values

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("country", "language", "currency"), [("BE", "fr", "EUR"), ("RO", "ro", "RON")])
def test_contract_numbers_stay_on_one_line_and_no_english(country: str, language: str, currency: str) -> None:
    organisation = OrganisationFactory(
        country=country, language=language, address_line="Rue 1", postal_code="1000", city="X"
    )
    contract = make_contract(
        organisation, number=f"{country}-HW-2024-000123", currency=currency, amount=Decimal("1234567.89"), title=""
    )
    for serial in ("78BE101", "78BE102", "78BE103"):
        cover(contract, date(2024, 3, 1), make_machine(organisation, serial=serial))
    with tenant_scope(organisation), document_html() as html:
        text = pdftotext(contract_pdf(contract, language))
    values = unbroken_values(html[-1])
    assert contract.number in values and "78BE102" in values, values
    assert not broken_numbers(text, values), text
    assert_no_english(text)


def test_a_quebec_notice_keeps_numbers_whole_and_writes_the_address_in_canadas_order() -> None:
    organisation = OrganisationFactory(
        country="CA",
        province="QC",
        language="fr",
        name="Centre Laval",
        address_line="1250 boulevard René-Lévesque Ouest",
        postal_code="H3B 4W8",
        city="Montréal",
    )
    signer = make_member(organisation, role="admin", language="fr")
    grant_all(signer, organisation)
    contract = make_contract(organisation, number="CA-HW-2024-000777", currency="CAD")
    coverage = cover(contract, date(2024, 3, 1), make_machine(organisation, serial="78CA777"))
    with tenant_scope(organisation), document_html() as html:
        termination = services.hardware_termination_request(
            actor=signer,
            contract=contract,
            coverage_ids=[coverage.pk],
            contact={"name": "Luc Tremblay", "email": "luc@example.com", "phone": "+1 514 555 0100"},
            today=date(2026, 11, 6),
        )
    text = pdftotext(termination.notice_document.read())
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "1250 boulevard René-Lévesque Ouest" in lines and "Montréal QC H3B 4W8" in lines, text
    values = unbroken_values(html[-1])
    assert "78CA777" in values and "+1 514 555 0100" in values, values
    assert not broken_numbers(text, values), text
    assert_no_english(text)


def test_a_romanian_licence_notice_shows_no_english() -> None:
    organisation = OrganisationFactory(country="RO", language="ro")
    signer = make_member(organisation, role="admin", language="ro")
    grant_all(signer, organisation)
    contract = make_contract(
        organisation, kind=ContractKind.MONTHLY_LICENCE, number="RO-ML-2025-000991", currency="RON"
    )
    with tenant_scope(organisation):
        termination = services.licence_termination_request(
            actor=signer,
            contract=contract,
            contact={"name": "Ana Popescu", "email": "ana@example.com"},
            today=date(2026, 2, 1),
        )
    assert_no_english(pdftotext(termination.notice_document.read()))
