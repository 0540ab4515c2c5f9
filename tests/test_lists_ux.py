"""Issue 13 §5: lists people can work with (contracts, invoices, machines), the saved language,
the review step before revoking access, and the progress of signing."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from guichet.accounts.models import ApplicationGrant, User
from guichet.billing import services as billing_services
from guichet.core.models import SavedListFilters
from guichet.core.tenancy import across_organisations, tenant_scope
from tests.accounts.factories import make_member
from tests.billing.conftest import LINES
from tests.contracts.conftest import make_contract
from tests.inventory.conftest import make_machine
from tests.tools import pdftotext

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def csv_of(response: Any) -> list[list[str]]:
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_contracts_sort_remember_and_export(client: Client, org_a: Any, org_b: Any, customer_a: User) -> None:
    make_contract(org_a, number="BE-HW-2024-0002", title="=cmd|' /C calc'!A0")
    make_contract(org_a, number="BE-HW-2024-0001", title="Beta")
    make_contract(org_b, number="BE-HW-2024-0999", title="Foreign")
    client.force_login(customer_a)
    page = client.get(url("contracts:list"), {"sort": "number"}).content.decode()
    assert page.index("BE-HW-2024-0001") < page.index("BE-HW-2024-0002") and "BE-HW-2024-0999" not in page
    assert 'aria-sort="ascending"' in page
    assert client.get(url("contracts:list"))["Location"].endswith("?sort=number")
    rows = csv_of(client.get(url("contracts:list"), {"sort": "-number", "export": "csv"}))
    assert [row[0] for row in rows[1:]] == ["BE-HW-2024-0002", "BE-HW-2024-0001"]  # no other organisation's
    assert rows[1][1] == "'=cmd|' /C calc'!A0"  # formula-safe


def test_invoices_export_csv_and_pdf_of_what_is_filtered(client: Client, org_a: Any, customer_a: User) -> None:
    def make_invoice(organisation: Any, issue_date: date) -> Any:
        with tenant_scope(organisation):
            return billing_services.invoice_issue(
                actor=None, organisation=organisation, lines=LINES, issue_date=issue_date
            )

    first = make_invoice(org_a, issue_date=date(2026, 3, 12))
    second = make_invoice(org_a, issue_date=date(2026, 4, 12))
    client.force_login(customer_a)
    page = client.get(url("billing:invoices"), {"sort": "issued"}).content.decode()
    assert page.index(first.number) < page.index(second.number)
    assert 'data-testid="export-pdf"' in page and 'data-testid="export-csv"' in page
    rows = csv_of(client.get(url("billing:invoices"), {"q": second.number, "export": "csv"}))
    assert [row[0] for row in rows[1:]] == [second.number]
    pdf = client.get(url("billing:invoices"), {"sort": "-issued", "export": "pdf", "lang": "fr"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    text = pdftotext(pdf.content)
    assert second.number in text and first.number in text, text
    assert text.index(second.number) < text.index(first.number)


def test_machines_export_and_sort(client: Client, org_a: Any, customer_a: User) -> None:
    make_machine(org_a, serial="78AB002", description="Zeta")
    make_machine(org_a, serial="78AB001", description="@SUM(1)")
    client.force_login(customer_a)
    page = client.get(url("inventory:list"), {"sort": "-machine"}).content.decode()
    table = page[page.index('data-testid="machine-list"') :]  # after the look-up's suggestions
    assert table.index("78AB002") < table.index("78AB001")
    rows = csv_of(client.get(url("inventory:list"), {"sort": "machine", "export": "csv"}))
    assert [row[2] for row in rows[1:]] == ["78AB001", "78AB002"] and rows[1][3] == "'@SUM(1)"
    pdf = client.get(url("inventory:list"), {"export": "pdf"})
    assert "78AB001" in pdftotext(pdf.content)
    assert client.get(url("inventory:list"), {"export": "docx"}).status_code == 400


def test_remembered_filters_belong_to_one_person(client: Client, org_a: Any, customer_a: User) -> None:
    colleague = make_member(org_a, role="admin")
    with across_organisations():
        for grant in ApplicationGrant.objects.filter(user=customer_a):
            ApplicationGrant.objects.create(organisation=org_a, user=colleague, application=grant.application)
    client.force_login(customer_a)
    client.get(url("inventory:list"), {"q": "78AB"})
    assert SavedListFilters.objects.filter(user=customer_a, list_name="machines").exists()
    other = Client()
    other.force_login(colleague)
    assert other.get(url("inventory:list")).status_code == 200  # nothing of customer_a's


def test_the_language_switch_is_saved_on_the_profile(client: Client, customer_a: User) -> None:
    client.force_login(customer_a)
    response = client.post(reverse("set_language"), {"language": "ro", "next": url("contracts:list", "fr")})
    assert response.status_code == 302 and response["Location"].startswith("/ro/")
    customer_a.refresh_from_db()
    assert customer_a.language == "ro"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})  # not a language: nothing saved
    customer_a.refresh_from_db()
    assert customer_a.language == "ro"
    assert client.get("/", follow=True).redirect_chain[0][0].startswith("/ro/")  # pages follow it


def test_revoking_access_is_reviewed_first(client: Client, org_a: Any, customer_a: User) -> None:
    colleague = make_member(org_a, first_name="Luc", last_name="Colleague")
    with across_organisations():
        ApplicationGrant.objects.create(organisation=org_a, user=colleague, application="orders")
    client.force_login(customer_a)
    data = {"user": colleague.pk, "application": "orders", "action": "revoke"}
    review = client.post(url("portal:team"), data)
    body = review.content.decode()
    assert review.status_code == 200 and 'data-testid="review"' in body and "Luc Colleague" in body
    assert 'name="confirmed"' in body
    with across_organisations():
        assert ApplicationGrant.objects.filter(user=colleague, application="orders").exists()
    done = client.post(url("portal:team"), {**data, "confirmed": "1"})
    assert done.status_code == 302
    with across_organisations():
        assert not ApplicationGrant.objects.filter(user=colleague, application="orders").exists()


def test_signing_forms_show_progress_and_still_post_without_javascript() -> None:
    from django.template.loader import get_template

    source = get_template("contracts/sign/sign.html").template.source
    assert 'method="post"' in source and "data-busy=" in source and "partials/busy_status.html" in source
    status = get_template("partials/busy_status.html").template.source
    assert 'aria-live="polite"' in status and 'role="status"' in status
    console = get_template("contracts/console/detail.html").template.source
    assert 'data-testid="countersign-form" data-busy=' in console


def test_reference_fields_suggest_only_the_organisations_own_serials(
    client: Client, org_a: Any, org_b: Any, customer_a: User
) -> None:
    make_machine(org_a, serial="78OWN01")
    make_machine(org_b, serial="78FOREIGN")
    client.force_login(customer_a)
    for page in (
        url("inventory:list"),
        url("inventory:lookup"),
        url("contracts:machine_lookup"),
        url("contracts:servicepac"),
    ):
        body = client.get(page).content.decode()
        assert 'list="org-serials"' in body and '<datalist id="org-serials">' in body, page
        assert '<option value="78OWN01">' in body and "78FOREIGN" not in body, page
    # Still free text, still validated: a serial of another organisation is not found.
    foreign = client.get(url("inventory:lookup"), {"serial": "78FOREIGN"}).content.decode()
    assert "78FOREIGN" in foreign and '<option value="78FOREIGN">' not in foreign
