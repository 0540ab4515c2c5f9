"""Customer and console pages of Contracts online: list and filters, detail, documents, terminations, ServicePac."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from guichet.contracts import services
from guichet.contracts.models import ContractKind, ContractStatus, Termination, TerminationStatus
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.support.models import Request
from tests.contracts.conftest import cover, make_code, make_contract, make_machine, url
from tests.tools import pdftotext

pytestmark = pytest.mark.django_db


def test_list_filters_by_type_status_and_search(client, org_a, org_b, customer_a) -> None:  # type: ignore[no-untyped-def]
    hardware = make_contract(org_a, number="BE-HW-1", title="Serveurs")
    licence = make_contract(org_a, kind=ContractKind.MONTHLY_LICENCE, number="BE-ML-1", title="Base de données")
    ended = make_contract(org_a, status=ContractStatus.TERMINATED, number="BE-HW-0")
    cover(hardware, date(2024, 1, 1), make_machine(org_a, serial="78ZZ999"))
    make_contract(org_b, number="RO-HW-1")
    client.force_login(customer_a)

    page = client.get(url("contracts:list"))
    assert page.status_code == 200
    numbers = [c.number for c in page.context["page"]]
    assert set(numbers) == {hardware.number, licence.number, ended.number}
    only_licences = client.get(url("contracts:list"), {"kind": "monthly_licence"}).context["page"]
    assert [c.number for c in only_licences] == [licence.number]
    only_terminated = client.get(url("contracts:list"), {"status": "terminated"}).context["page"]
    assert [c.number for c in only_terminated] == [ended.number]
    by_serial = client.get(url("contracts:list"), {"q": "78zz999"}).context["page"]
    assert [c.number for c in by_serial] == [hardware.number]
    nothing = client.get(url("contracts:list"), {"q": "RO-HW-1"}).content.decode()
    assert 'data-testid="empty-state"' in nothing


def test_detail_shows_machines_services_and_prefilled_requests(client, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a, number="BE-HW-2024-0001")
    coverage = cover(contract, date(2024, 2, 1))
    client.force_login(customer_a)
    html = client.get(url("contracts:detail", number=contract.number)).content.decode()
    assert coverage.machine.serial in html
    assert "type=contracts" in html and "contract_number=BE-HW-2024-0001" in html
    assert url("contracts:terminate", number=contract.number) in html
    assert url("contracts:copy", number=contract.number) in html


def test_awaiting_signature_shows_the_sign_link(client, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a, status=ContractStatus.AWAITING_SIGNATURE)
    client.force_login(customer_a)
    html = client.get(url("contracts:detail", number=contract.number)).content.decode()
    assert 'data-testid="awaiting-signature"' in html
    assert url("contracts:sign", number=contract.number) in html


@pytest.mark.parametrize(
    ("language", "word"), [("en", "January 1, 2024"), ("fr", "janvier 2024"), ("ro", "ianuarie 2024")]
)
def test_copy_is_a_pdf_in_the_readers_language_or_the_one_asked_for(  # type: ignore[no-untyped-def]
    client, org_a, customer_a, tmp_path, language, word
) -> None:
    customer_a.language = language
    customer_a.save()
    contract = make_contract(org_a, number="BE-HW-2024-0009")
    cover(contract, date(2024, 2, 1), make_machine(org_a, serial="78BE909"))
    client.force_login(customer_a)
    response = client.get(url("contracts:copy", number=contract.number))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="BE-HW-2024-0009.pdf"' in response["Content-Disposition"]
    text = pdftotext(response.content)
    assert "BE-HW-2024-0009" in text and "78BE909" in text and word in text
    # The organisation's language (French) on request, e.g. to file the copy.
    asked = pdftotext(client.get(url("contracts:copy", number=contract.number) + "?lang=fr").content)
    assert "janvier 2024" in asked


def test_covered_machines_as_csv_and_pdf(client, org_a, customer_a, tmp_path) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a, number="BE-HW-7")
    cover(contract, date(2024, 2, 1), make_machine(org_a, serial="78BE777"))
    client.force_login(customer_a)
    response = client.get(url("contracts:machines_csv", number=contract.number))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[1][:4] == ["BE-HW-7", "9009", "22A", "78BE777"] and rows[1][7] == "2024-02-01"
    pdf = client.get(url("contracts:machines_pdf", number=contract.number))
    assert "78BE777" in pdftotext(pdf.content)


def test_machine_lookup_by_type_and_serial(client, org_a, org_b, customer_a, tmp_path) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a, number="BE-HW-8")
    cover(contract, date(2024, 2, 1), make_machine(org_a, serial="78BE888"))
    make_machine(org_b, serial="78RO888")
    client.force_login(customer_a)
    assert client.get(url("contracts:machine_lookup")).status_code == 200
    as_csv = client.get(url("contracts:machine_lookup"), {"machine_type": "9009", "serial": "78be888", "format": "csv"})
    assert "BE-HW-8" in as_csv.content.decode("utf-8-sig")
    as_pdf = client.get(url("contracts:machine_lookup"), {"machine_type": "9009", "serial": "78BE888", "format": "pdf"})
    assert "BE-HW-8" in pdftotext(as_pdf.content)
    foreign = client.get(
        url("contracts:machine_lookup"), {"machine_type": "9009", "serial": "78RO888", "format": "pdf"}
    )
    assert foreign.status_code == 404 and "78RO888" in foreign.content.decode()
    bad = client.get(url("contracts:machine_lookup"), {"machine_type": "90", "serial": "x", "format": "pdf"})
    assert bad.status_code == 400


def test_termination_form_shows_eligibility_then_refuses_and_accepts(client, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    contract = make_contract(org_a, number="BE-HW-2024-0001")
    old = cover(contract, today - relativedelta(years=2), make_machine(org_a, serial="78BE101"))
    young = cover(contract, today - relativedelta(months=2), make_machine(org_a, serial="78BE102"))
    client.force_login(customer_a)
    form_url = url("contracts:terminate", number=contract.number)
    page = client.get(form_url)
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="eligibility"' in html
    rows = {r.coverage.pk: r for r in page.context["rows"]}
    assert rows[old.pk].decision.eligible and not rows[young.pk].decision.eligible
    assert rows[young.pk].decision.first_eligible == young.covered_from + relativedelta(months=6)

    post = {"contact_name": "Marie", "contact_email": "marie@example.com", "contact_phone": ""}
    refused = client.post(form_url, {**post, "coverages": [young.pk]})  # refused at once: no review
    assert refused.status_code == 400
    assert 'data-code="not_yet_eligible"' in refused.content.decode()
    with across_organisations():
        assert not Termination.objects.exists()

    review = client.post(form_url, {**post, "coverages": [old.pk]})
    reviewed = review.content.decode()
    assert review.status_code == 200 and 'data-testid="review-summary"' in reviewed and "78BE101" in reviewed
    assert 'name="confirmed"' in reviewed and f'name="coverages" value="{old.pk}"' in reviewed
    with across_organisations():
        assert not Termination.objects.exists()  # nothing sent before the review is confirmed
    change = client.post(form_url, {**post, "coverages": [old.pk], "edit": "1"})
    assert change.status_code == 200 and 'data-testid="termination-form"' in change.content.decode()
    accepted = client.post(form_url, {**post, "coverages": [old.pk], "confirmed": "1"})
    assert accepted.status_code == 303
    with tenant_scope(org_a):
        termination = Termination.objects.get()
        assert Request.objects.filter(number=termination.request_number).exists()
    assert termination.status == TerminationStatus.PENDING
    detail = client.get(accepted["Location"]).content.decode()
    assert termination.request_number in detail and 'data-testid="termination-list"' in detail
    notice = client.get(url("contracts:notice", number=contract.number, pk=termination.pk))
    assert notice.status_code == 200 and b"".join(notice.streaming_content).startswith(b"%PDF")


def test_licence_pages(client, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    prepaid = make_contract(org_a, kind=ContractKind.PREPAID_LICENCE)
    monthly = make_contract(org_a, kind=ContractKind.MONTHLY_LICENCE)
    client.force_login(customer_a)
    html = client.get(url("contracts:terminate", number=prepaid.number)).content.decode()
    assert 'data-testid="no-cancellation"' in html and "needs no cancellation" in html
    form_url = url("contracts:terminate", number=monthly.number)
    post = {"contact_name": "Marie", "contact_email": "marie@example.com"}
    form = client.get(form_url).content.decode()
    assert "copies_destroyed" not in form  # nothing to confirm before the cancellation (issue 14, item 6)
    done = client.post(form_url, {**post, "confirmed": "1"})
    assert done.status_code == 303
    with tenant_scope(org_a):
        termination = Termination.objects.get(contract=monthly)
    assert termination.effective_date == services.today_for(org_a) + timedelta(days=30)
    detail_url = url("contracts:detail", number=monthly.number)
    assert 'data-testid="confirm-destruction"' not in client.get(detail_url).content.decode()
    destruction_url = url("contracts:destruction", number=monthly.number, pk=str(termination.pk))
    too_early = client.post(destruction_url, {"confirm": "on"})
    assert too_early.status_code == 303
    with tenant_scope(org_a):
        Termination.objects.filter(pk=termination.pk).update(status=TerminationStatus.EFFECTIVE)
    detail = client.get(detail_url).content.decode()
    assert 'data-testid="confirm-destruction"' in detail and "Confirm the destruction" in detail
    assert client.post(destruction_url, {}).status_code == 303  # the box unticked: nothing recorded
    with tenant_scope(org_a):
        assert not Termination.objects.get(pk=termination.pk).copies_destroyed
    client.post(destruction_url, {"confirm": "on"})
    with tenant_scope(org_a):
        assert Termination.objects.get(pk=termination.pk).copies_destroyed
    assert 'data-testid="destruction-confirmed"' in client.get(detail_url).content.decode()


def test_subscription_ends_at_its_term_and_the_notice_can_be_withdrawn(client, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    term = services.today_for(org_a) + relativedelta(months=4)
    subscription = make_contract(
        org_a, kind=ContractKind.SOFTWARE_SUBSCRIPTION, end_date=term, renewal_date=term, number="BE-SW-P1"
    )
    servicepac = make_contract(org_a, kind=ContractKind.SERVICEPAC, number="BE-SP-P1")
    client.force_login(customer_a)
    detail_url = url("contracts:detail", "en", number=subscription.number)
    assert 'data-testid="terminate-link"' in client.get(detail_url).content.decode()
    form_url = url("contracts:terminate", "en", number=subscription.number)
    page = client.get(form_url)
    html = page.content.decode()
    assert page.status_code == 200 and "reinstatement fee" in html
    assert page.context["date_fixed"] and page.context["earliest"] == term
    assert 'name="effective_date"' not in html  # the term fixes the day: nothing to choose
    post = {"contact_name": "Marie", "contact_email": "marie@example.com"}
    unread = client.post(form_url, post)
    assert unread.status_code == 400 and 'data-code="lapse_not_acknowledged"' in unread.content.decode()
    done = client.post(form_url, {**post, "lapse_acknowledged": "on", "confirmed": "1"})
    assert done.status_code == 303
    with tenant_scope(org_a):
        termination = Termination.objects.get(contract=subscription)
    assert termination.effective_date == term

    page = client.get(detail_url).content.decode()
    assert 'data-testid="withdraw"' in page
    withdraw_url = url("contracts:withdraw", "en", number=subscription.number, pk=termination.pk)
    assert client.get(withdraw_url).status_code == 405
    withdrawn = client.post(withdraw_url)
    assert withdrawn.status_code == 303
    termination.refresh_from_db()
    assert termination.status == TerminationStatus.WITHDRAWN
    again = client.post(withdraw_url, follow=True)
    assert "can be withdrawn" in again.content.decode()

    nothing = client.get(url("contracts:terminate", "en", number=servicepac.number)).content.decode()
    assert 'data-testid="no-cancellation"' in nothing and "ServicePac is prepaid" in nothing


def test_servicepac_page(client, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    servicepac = make_contract(org_a, kind=ContractKind.SERVICEPAC, status=ContractStatus.DRAFT)
    code = make_code(servicepac, "HJKL2345")
    make_machine(org_a, serial="78BE321")
    client.force_login(customer_a)
    page_url = url("contracts:servicepac")
    assert client.get(page_url).status_code == 200
    wrong = client.post(page_url, {"code": "SP-HJKL-2345-2", "machine_type": "9009", "serial": "78BE321"})
    if code.code.endswith("-2"):
        wrong = client.post(page_url, {"code": "SP-HJKL-2345-3", "machine_type": "9009", "serial": "78BE321"})
    assert wrong.status_code == 400 and "not a valid ServicePac code" in wrong.content.decode()
    missing = client.post(page_url, {"code": code.code, "machine_type": "9009", "serial": "78BE000"})
    assert missing.status_code == 400 and "78BE000" in missing.content.decode()
    done = client.post(page_url, {"code": code.code, "machine_type": "9009", "serial": "78be321"})
    assert done.status_code == 303 and done["Location"] == url("contracts:detail", number=servicepac.number)


def test_console_lists_and_processes_terminations(client, org_a, customer_a, agent_be, agent_ro) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    contract = make_contract(org_a, number="BE-HW-C1", renewal_date=today + timedelta(days=30))
    waiting = make_contract(org_a, status=ContractStatus.AWAITING_SIGNATURE, number="BE-HW-C2")
    coverage = cover(contract, today - relativedelta(years=2))
    with tenant_scope(org_a):
        termination = services.hardware_termination_request(
            actor=customer_a,
            contract=contract,
            coverage_ids=[coverage.pk],
            contact={"name": "Marie", "email": customer_a.email},
        )
    client.force_login(agent_be)
    home = client.get(url("contracts_console:home"))
    assert [c.number for c in home.context["awaiting_signature"]] == [waiting.number]
    assert [t.pk for t in home.context["terminations"]] == [termination.pk]
    assert [c.number for c in home.context["renewals"]] == [contract.number]
    client.force_login(agent_ro)
    assert client.get(url("contracts_console:home")).context["terminations"] == []
    assert client.get(url("contracts_console:detail", number=contract.number)).status_code == 404

    client.force_login(agent_be)
    detail = client.get(url("contracts_console:detail", number=contract.number))
    assert detail.status_code == 200
    decided = client.post(
        url("contracts_console:decide", number=contract.number, pk=termination.pk), {"decision": "accept"}
    )
    assert decided.status_code == 303
    termination.refresh_from_db()
    assert termination.status == TerminationStatus.ACCEPTED


def test_console_offers_the_countersignature_once_the_customer_signed(client, org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.base import ContentFile

    from guichet.contracts.models import Signature

    contract = make_contract(org_a, number="BE-HW-CS1")
    client.force_login(agent_be)
    assert (
        'data-testid="countersign-form"'
        not in client.get(url("contracts_console:detail", number="BE-HW-CS1")).content.decode()
    )
    with across_organisations():
        signature = Signature(
            contract=contract,
            party="customer",
            signer=customer_a,
            signer_name="Marie",
            signer_email=customer_a.email,
            organisation_name=org_a.name,
            signed_at=timezone.now(),
            document_sha256="0" * 64,
            content_sha256="0" * 64,
        )
        signature.document.save("cs1.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        signature.save()
    home = client.get(url("contracts_console:home"))
    assert [c.number for c in home.context["awaiting_countersignature"]] == ["BE-HW-CS1"]
    html = client.get(url("contracts_console:detail", number="BE-HW-CS1")).content.decode()
    assert 'data-testid="countersign-form"' in html and url("contracts_console:countersign", number="BE-HW-CS1") in html


def test_agent_gives_the_vendors_notice_from_the_console(client, org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    contract = make_contract(org_a, number="BE-HW-V1")
    old = cover(contract, date(2020, 1, 1))
    young = cover(contract, today - relativedelta(months=3))
    client.force_login(agent_be)
    detail_url = url("contracts_console:detail", number=contract.number)
    html = client.get(detail_url).content.decode()
    assert 'data-testid="vendor-termination"' in html
    refused = client.post(
        url("contracts_console:terminate", number=contract.number),
        {"coverages": [young.pk], "reason": "Fin de support"},
        follow=True,
    )
    assert "a year" in refused.content.decode()
    with tenant_scope(org_a):
        assert not Termination.objects.filter(contract=contract).exists()
    client.post(url("contracts_console:terminate", number=contract.number), {"coverages": [old.pk], "reason": "Fin"})
    with tenant_scope(org_a):
        termination = Termination.objects.get(contract=contract)
    assert termination.by_vendor and termination.status == TerminationStatus.ACCEPTED
    assert termination.effective_date >= today + relativedelta(months=3)


@pytest.mark.parametrize("language", ["en", "fr", "nl", "ro"])
def test_every_customer_page_renders_in_each_language(client, org_a, customer_a, language) -> None:  # type: ignore[no-untyped-def]
    hardware = make_contract(org_a, number="BE-HW-L1")
    cover(hardware, date(2024, 1, 1))
    monthly = make_contract(org_a, kind=ContractKind.MONTHLY_LICENCE, number="BE-ML-L1")
    prepaid = make_contract(org_a, kind=ContractKind.PREPAID_LICENCE, number="BE-PA-L1")
    subscription = make_contract(org_a, kind=ContractKind.SOFTWARE_SUBSCRIPTION, number="BE-SW-L1")
    agreement = make_contract(org_a, kind=ContractKind.PROGRAM_AGREEMENT, number="BE-PG-L1")
    client.force_login(customer_a)
    pages = [
        url("contracts:list", language),
        url("contracts:servicepac", language),
        url("contracts:machine_lookup", language),
        *(url("contracts:detail", language, number=c.number) for c in (hardware, monthly, prepaid)),
        *(
            url("contracts:terminate", language, number=c.number)
            for c in (hardware, monthly, prepaid, subscription, agreement)
        ),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert f'lang="{language}"' in response.content.decode(), page


def test_console_opens_a_contract_by_number(client, org_a, agent_be, agent_ro) -> None:  # type: ignore[no-untyped-def]
    make_contract(org_a, number="BE-HW-N1")
    client.force_login(agent_be)
    response = client.get(url("contracts_console:home"), {"number": " be-hw-n1 "})
    assert response.status_code == 302 and response["Location"] == url("contracts_console:detail", number="BE-HW-N1")
    client.force_login(agent_ro)
    assert client.get(url("contracts_console:home"), {"number": "BE-HW-N1"}, follow=True).status_code == 404
