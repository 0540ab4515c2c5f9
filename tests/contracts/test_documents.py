"""Written termination notices: addressed to the country's written-notice address, signed (PAdES), checked
with pdftotext, pdfsig and pyHanko's validator; a tampered copy is detected."""

from __future__ import annotations

from datetime import date

import pytest

from guichet.contracts import services
from guichet.contracts.models import ContractKind
from guichet.core import signing
from guichet.core.tenancy import tenant_scope
from tests.contracts.conftest import cover, make_contract, make_machine
from tests.tools import pdfsig, pdftotext

pytestmark = pytest.mark.django_db

VALID = "Signature Validation: Signature is Valid."


def test_customer_notice_names_contract_contact_and_the_belgian_address_and_is_signed(  # type: ignore[no-untyped-def]
    org_a, customer_a, tmp_path
) -> None:
    contract = make_contract(org_a, number="BE-HW-2024-0001")
    coverage = cover(contract, date(2024, 3, 1), make_machine(org_a, serial="78BE101"))
    with tenant_scope(org_a):
        termination = services.hardware_termination_request(
            actor=customer_a,
            contract=contract,
            coverage_ids=[coverage.pk],
            contact={"name": "Marie Dubois", "email": "marie@example.com", "phone": "+32 2 555 12 34"},
            today=date(2026, 1, 31),
        )
    data = termination.notice_document.read()
    text = pdftotext(data)
    for expected in (
        "BE-HW-2024-0001",
        "78BE101",
        "Marie Dubois",
        "marie@example.com",
        "Customer Support Online Team",
        "Avenue du Bourget 42",
        "IBM Belgium",  # the vendor's company name heads the addressee (issue 14, item 7)
        "1130 Bruxelles",
        termination.request_number,
        "28 février 2026",  # one month after 31 January, in the organisation's language (fr)
    ):
        assert expected in text, expected

    [report] = signing.verify_pdf(data)
    assert (report.intact, report.valid, report.trusted, report.ok) == (True, True, True, True)
    assert report.signer_name == customer_a.get_full_name()
    assert VALID in pdfsig(data)

    index = data.index(b"WeasyPrint")
    broken = data[:index] + b"WeasyPrinT" + data[index + len(b"WeasyPrint") :]
    [report] = signing.verify_pdf(broken)
    assert not report.intact and not report.ok
    assert VALID not in pdfsig(broken)


def test_romanian_licence_notice_goes_to_bucharest_in_romanian(org_b, customer_b, tmp_path) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_b, kind=ContractKind.MONTHLY_LICENCE, number="RO-ML-2025-0001", currency="RON")
    with tenant_scope(org_b):
        termination = services.licence_termination_request(
            actor=customer_b,
            contract=contract,
            contact={"name": "Ana Popescu", "email": "ana@example.com"},
            today=date(2024, 2, 1),
        )
    text = pdftotext(termination.notice_document.read())
    # The seed's addressee, verbatim: company, address and country (issue 14, item 7).
    assert "RO-ML-2025-0001" in text and "IBM Romania SRL" in text and "Bucharest Business Park" in text
    assert "013681" in text and "Bucharest 1" in text
    assert any(line.strip() == "Romania" for line in text.splitlines())  # the country, on its own line
    assert "2 martie 2024" in text  # 30 days after 1 February of a leap year
    assert "Ana Popescu" in text


def test_vendor_notice_is_addressed_to_the_customer(org_a, agent_be, tmp_path) -> None:  # type: ignore[no-untyped-def]
    org_a.address_line, org_a.postal_code, org_a.city = "Rue de l'Atelier 5", "1000", "Bruxelles"
    org_a.save()
    contract = make_contract(org_a, number="BE-HW-2023-0007")
    coverage = cover(contract, date(2023, 1, 1), make_machine(org_a, serial="78BE707"))
    termination = services.vendor_termination(
        actor=agent_be, contract=contract, coverage_ids=[coverage.pk], reason="Fin de support", today=date(2026, 3, 1)
    )
    text = pdftotext(termination.notice_document.read())
    assert org_a.name in text and "Rue de l'Atelier 5" in text and "1000 Bruxelles" in text
    assert "78BE707" in text and "1 juin 2026" in text and "Fin de support" in text


def test_the_contract_pdf_names_its_type_once_and_translates_the_portals_titles(org_a) -> None:  # type: ignore[no-untyped-def]
    from guichet.contracts.documents import contract_pdf

    doubled = make_contract(org_a, title="Maintenance matérielle")
    agreement = make_contract(org_a, kind=ContractKind.PROGRAM_AGREEMENT, title="Customer relationship agreement")
    with tenant_scope(org_a):
        text = " ".join(pdftotext(contract_pdf(doubled, "fr")).split())
        agreement_text = " ".join(pdftotext(contract_pdf(agreement, "fr")).split())
    assert "Maintenance matérielle" in text and "Maintenance matérielle — Maintenance matérielle" not in text
    assert "Contrat de relation client" in agreement_text and "Customer relationship agreement" not in agreement_text


def test_flemish_notice_goes_to_the_vendor_in_dutch_whatever_the_signer_reads(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The written notice is in the organisation's language (nl), even from a member who reads French."""
    from tests.accounts.factories import OrganisationFactory, grant_all, make_member

    organisation = OrganisationFactory(country="BE", name="Drukkerij Noord bv", language="nl")
    signer = make_member(organisation, role="admin", language="fr")
    grant_all(signer, organisation)
    contract = make_contract(organisation, number="BE-HW-2024-0031")
    coverage = cover(contract, date(2024, 3, 1), make_machine(organisation, serial="78BE131"))
    with tenant_scope(organisation):
        termination = services.hardware_termination_request(
            actor=signer,
            contract=contract,
            coverage_ids=[coverage.pk],
            contact={"name": "Jan Peeters", "email": "jan@example.com"},
            today=date(2026, 11, 6),
        )
    text = " ".join(pdftotext(termination.notice_document.read()).split())
    for expected in ("Opzeggingsbrief", "Contractnummer: BE-HW-2024-0031", "78BE131", "6 december 2026"):
        assert expected in text, (expected, text)
    assert "Avenue du Bourget 42" in text  # the vendor's address stays as the seed writes it


def test_contract_copy_in_dutch(client, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    """A copy asked for in Dutch (`lang=nl`): Dutch headings and nl_BE dates."""
    make_contract(org_a, number="BE-HW-NL1")
    client.force_login(customer_a)
    response = client.get("/api/v1/contracts/BE-HW-NL1/pdf?lang=nl")
    assert response.status_code == 200
    text = " ".join(pdftotext(response.content).split())
    assert "Hardwareonderhoud" in text and "BE-HW-NL1" in text, text
    assert "1 januari 2024" in text and "1.200,00 €" in text, text
