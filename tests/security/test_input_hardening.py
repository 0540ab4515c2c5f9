"""Issue 16, inputs and uploads: each finding of the probe that gave a 500, an HTML API error, an
unbounded upload, a formula in a CSV, a stuck import or a far-future date, as it answers now.

NUL bytes crash only PostgreSQL: on SQLite those tests still check the 400 the middleware gives.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from guichet.accounts.models import ApiToken, Organisation, User
from guichet.billing import services as billing_services
from guichet.buytech import services as buytech_services
from guichet.core import uploads
from guichet.core.api import MAX_PAGE
from guichet.core.calendar import today_for
from guichet.core.csvfiles import SafeWriter
from guichet.core.errors import DomainError
from guichet.core.forms import MultipleFileField
from guichet.core.models import OutboxMessage
from guichet.core.tenancy import tenant_scope
from guichet.inventory import importer
from guichet.inventory.models import ImportJob
from guichet.support import services as support_services
from guichet.support.models import Attachment, Comment, Request

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
HUGE_PAGE = "4611686018427387904"
SRC = Path(__file__).resolve().parents[2] / "src" / "guichet"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {ApiToken.issue(user)}"}


def url(name: str, **kwargs: Any) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def assert_api_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["message"]
    if code:
        assert body["code"] == code, body
    return body


def submit(organisation: Organisation, user: User, **overrides: Any) -> Request:
    data: dict[str, Any] = {
        "type": "general",
        "subject": "Question",
        "description": "Une question.",
        "details": {},
        "contact": {"name": "A", "email": user.email},
    }
    data.update(overrides)
    with tenant_scope(organisation):
        return support_services.request_submit(actor=user, organisation=organisation, **data)


# --- 6. inputs that gave a 500 -----------------------------------------------------------------

API_LISTS = ("/api/v1/invoices", "/api/v1/orders", "/api/v1/contracts", "/api/v1/machines", "/api/v1/requests")


@pytest.mark.parametrize("path", API_LISTS)
def test_a_huge_page_is_a_422_and_a_page_past_the_end_empty_on_every_api_list(
    client: Client, customer_a: User, path: str
) -> None:
    # The schema bounds `page` (core.api.Page): beyond it, the standard validation error.
    assert_api_error(client.get(path, {"page": HUGE_PAGE}, headers=bearer(customer_a)), 422, "validation_error")
    response = client.get(path, {"page": MAX_PAGE}, headers=bearer(customer_a))
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert body["items"] == [] and body["count"] >= 0


def test_a_huge_page_on_the_html_lists_shows_the_last_page(client: Client, customer_a: User) -> None:
    client.force_login(customer_a)
    for name in ("support:list", "orders:list", "contracts:list", "billing:invoices", "inventory:list"):
        assert client.get(url(name), {"page": HUGE_PAGE}).status_code == 200, name


def test_a_dispute_of_1e30_is_a_422_not_an_overflow(client: Client, customer_a: User, org_a: Organisation) -> None:
    from datetime import date

    from guichet.billing import rules as billing_rules

    with tenant_scope(org_a):
        billing_services.invoice_issue(
            actor=None, organisation=org_a, number="BE-INV-2026-0777", issue_date=date(2026, 3, 1),
            lines=[billing_rules.LineIn("X", Decimal(1), Decimal("100.00"))],
        )  # fmt: skip
    response = client.post(
        "/api/v1/invoices/BE-INV-2026-0777/disputes",
        {"amount": "1e30", "reason": "Trop cher."},
        content_type="application/json",
        headers=bearer(customer_a),
    )
    body = assert_api_error(response, 422, "validation_error")
    assert any(error["loc"][-1] == "amount" for error in body["details"]["errors"])


def test_a_nul_byte_in_the_login_email_is_a_translated_400(client: Client) -> None:
    response = client.post("/fr/accounts/login/", {"login": "a\x00@example.com", "password": "x"})
    assert response.status_code == 400
    assert "Nous n\u2019avons pas pu comprendre cette requête" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/en/help/search/?q=imprimante%00",
        "/api/v1/help/search?q=a%00b",
        "/en/orders/?q=PO%00",
        "/en/buytech/catalogue/?q=%00",
        "/en/orders/BE-ORD-2026-0001%00/",
        "/en/requests/BE-2026-000001%00/",
        "/api/v1/orders/BE-ORD%002026/",
        "/api/v1/contracts/%00",
    ],
)
def test_a_nul_byte_anywhere_in_a_url_is_a_400(client: Client, customer_a: User, path: str) -> None:
    client.force_login(customer_a)
    response = client.get(path)
    if path.startswith("/api/"):  # the API names where it was (core/nul_bytes.py), as any invalid field
        assert_api_error(response, 422, "validation_error")
    else:
        assert response.status_code == 400


def test_a_nul_byte_in_a_json_reason_is_a_422(client: Client, customer_a: User) -> None:
    response = client.post(
        "/api/v1/invoices/BE-INV-2026-0001/disputes",
        '{"amount": "1.00", "reason": "a\\u0000b"}',
        content_type="application/json",
        headers=bearer(customer_a),
    )
    assert_api_error(response, 422, "validation_error")


def test_a_nul_byte_in_a_form_field_is_a_400(client: Client, customer_a: User) -> None:
    client.force_login(customer_a)
    response = client.post(url("support:request_new"), {"type": "general", "subject": "a\x00", "description": "x"})
    assert response.status_code == 400


def test_api_errors_are_json_even_outside_the_api_views(client: Client) -> None:
    assert_api_error(client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_an_unexpected_api_error_is_a_json_500(client: Client, customer_a: User, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from guichet.orders import selectors

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "orders_of", broken)
    client.raise_request_exception = False
    assert_api_error(client.get("/api/v1/orders", headers=bearer(customer_a)), 500, "server_error")


def test_a_payment_import_with_a_nul_byte_is_rejected_with_its_reason(agent_be: User) -> None:
    data = b"date,amount,currency,reference,customer_number\n2026-03-01,10.00,EUR,REF\x001,BE-000001\n"
    with pytest.raises(DomainError) as raised:
        billing_services.payments_import(actor=agent_be, data=data)
    assert "NUL" in str(raised.value.details) or "NUL" in str(raised.value.message)


def test_a_partner_id_over_32_characters_is_a_row_error(org_a: Organisation) -> None:
    content = f"customer_number,partner_id,status\n{org_a.customer_number},{'P' * 33},eligible\n"
    with pytest.raises(DomainError) as raised:
        buytech_services.partner_import(actor=None, file_name="p.csv", content=content)
    assert "32" in raised.value.details["errors"][0]["message"]


# --- 14. far-future dates, API length limits, JSON only --------------------------------------


def test_a_transfer_on_9999_12_31_is_refused_clearly(client: Client, customer_a: User, org_a: Organisation) -> None:
    from tests.inventory.conftest import make_machine

    machine = make_machine(org_a)
    response = client.post(
        f"/api/v1/machines/{machine.serial}/transfers",
        {"kind": "lease_return", "leaves_on": "9999-12-31", "reason": "Fin du leasing."},
        content_type="application/json",
        headers=bearer(customer_a),
    )
    body = assert_api_error(response, 422)
    assert "Choose a date before" in str(body["details"])


def test_the_api_applies_the_forms_length_limits(client: Client, customer_a: User) -> None:
    response = client.post(
        "/api/v1/invoices/BE-INV-2026-0001/disputes",
        {"amount": "1.00", "reason": "x" * 200_000},
        content_type="application/json",
        headers=bearer(customer_a),
    )
    body = assert_api_error(response, 422, "validation_error")
    assert any(error["loc"][-1] == "reason" for error in body["details"]["errors"])


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_that_is_not_declared_json_is_a_415(client: Client, customer_a: User, content_type: str) -> None:
    response = client.post(
        "/api/v1/invoices/BE-INV-2026-0001/disputes",
        '{"amount": "1.00", "reason": "x"}',
        content_type=content_type,
        headers=bearer(customer_a),
    )
    assert_api_error(response, 415, "unsupported_media_type")


def test_a_body_that_is_not_json_is_a_translated_400(client: Client, customer_a: User) -> None:
    response = client.post(
        "/api/v1/invoices/BE-INV-2026-0001/disputes", "{not json", content_type="application/json",
        headers={**bearer(customer_a), "Accept-Language": "fr"},
    )  # fmt: skip
    assert_api_error(response, 400, "invalid_json")


# --- 5. uploads --------------------------------------------------------------------------------


def test_upload_limits_are_set() -> None:
    assert settings.FILE_UPLOAD_HANDLERS[0] == "guichet.core.uploads.BoundedUploadHandler"
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 10
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440


class _NeverRead(SimpleUploadedFile):
    """An upload that says it is 60 MB and fails the test if anyone reads it."""

    def __init__(self, name: str) -> None:
        super().__init__(name, b"x", "application/pdf")
        self.size = 60 * 1024 * 1024

    def read(self, *args: Any) -> bytes:
        raise AssertionError("read before its size was checked")


def test_a_file_too_large_is_refused_before_it_is_read() -> None:
    with pytest.raises(Exception) as raised:
        MultipleFileField(required=False).clean([_NeverRead("big.pdf")])
    assert "larger than 10 MB" in str(raised.value)


def test_more_than_five_files_are_refused_before_any_is_read() -> None:
    with pytest.raises(Exception) as raised:
        MultipleFileField(required=False).clean([_NeverRead(f"{i}.pdf") for i in range(6)])
    assert "at most 5 files" in str(raised.value)


def test_a_reply_takes_five_files_at_most(client: Client, customer_a: User, org_a: Organisation) -> None:
    item = submit(org_a, customer_a)
    client.force_login(customer_a)
    files = [SimpleUploadedFile(f"scan{i}.pdf", PDF, "application/pdf") for i in range(6)]
    client.post(url("support:reply", number=item.number), {"body": "Voici.", "attachments": files})
    with tenant_scope(org_a):
        assert not Comment.objects.filter(request=item).exists()
        assert not Attachment.objects.filter(request=item).exists()
    with tenant_scope(org_a), pytest.raises(DomainError):
        support_services.customer_reply(actor=customer_a, request=item, body="x", files=[("a.pdf", PDF)] * 6)


def test_a_multipart_body_larger_than_any_form_accepts_is_refused_before_parsing(
    client: Client, customer_a: User, org_a: Organisation, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    item = submit(org_a, customer_a)
    client.force_login(customer_a)
    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 10)
    monkeypatch.setattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", 10)
    monkeypatch.setattr(uploads, "_FIELDS_MARGIN", 10)
    big = SimpleUploadedFile("scan.pdf", PDF * 50, "application/pdf")
    response = client.post(url("support:reply", number=item.number), {"body": "Voici.", "attachments": [big]})
    assert response.status_code == 400


def test_a_file_is_stored_under_a_generated_name_with_the_extension_of_its_real_type(
    org_a: Organisation, customer_a: User
) -> None:
    item = submit(org_a, customer_a, files=[("poly.html", PDF)])
    with tenant_scope(org_a):
        attachment = Attachment.objects.get(request=item)
    stored = Path(attachment.file.name).name
    assert stored.endswith(".pdf") and "poly" not in stored and ".html" not in stored
    assert attachment.original_name == "poly.html"  # what the customer sees and downloads


# --- 8. CSV exports ----------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_a_formula_cell_is_neutralised(cell: str) -> None:
    out = io.StringIO()
    SafeWriter(out).writerow([cell, Decimal("-12.50")])
    text = out.getvalue()
    assert text.startswith(("'", "\"'")), text
    assert "-12.50" in text and "'-12.50" not in text  # numbers stay numbers


def test_every_csv_export_goes_through_the_one_writer() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\(", path.read_text()) and path.name != "csvfiles.py"
    ]
    assert not offenders, f"CSV written without core.csvfiles.SafeWriter: {offenders}"


def test_the_statement_csv_neutralises_a_payment_reference(
    client: Client, customer_a: User, org_a: Organisation
) -> None:
    with tenant_scope(org_a):
        billing_services.payment_record(
            actor=None, organisation=org_a, day=today_for(org_a), amount=Decimal("10.00"), currency="EUR",
            method="bank_transfer", reference="=cmd|' /C calc'!A0",
        )  # fmt: skip
    client.force_login(customer_a)
    response = client.get(url("billing:statement_csv"))
    assert response.status_code == 200
    assert "'=cmd" in response.content.decode()


# --- 9. an inventory import whose task crashes --------------------------------------------------


@pytest.fixture
def crashing_import(monkeypatch) -> Iterator[None]:  # type: ignore[no-untyped-def]
    def crash(**kwargs: Any) -> Any:
        raise RuntimeError("database gone")

    monkeypatch.setattr(importer, "import_file", crash)
    yield


def test_a_crashed_import_is_marked_failed_and_the_agent_told(
    client: Client, org_a: Organisation, agent_be: User, crashing_import: None
) -> None:
    job = ImportJob(organisation=org_a, created_by=agent_be, original_name="parc.csv", rows_total=1)
    job.file.save("parc.csv", ContentFile(b"machine_type,model,serial,site_country\n"), save=False)
    job.save()
    assert importer.run_job(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
    message = OutboxMessage.objects.get(template="inventory_import_failed")
    assert message.to == agent_be.email and message.context["file"] == "parc.csv"
    client.force_login(agent_be)
    page = client.get(url("inventory_console:import_job", pk=job.pk)).content.decode()
    job_element = page[page.index('id="import-job"') :].split(">", 1)[0]
    assert 'data-testid="import-failed"' in page and "hx-get" not in job_element  # no more polling


# --- Also: the signed contract with a token ---------------------------------------------------


def test_the_signed_contract_downloads_with_a_token(client: Client) -> None:
    from tests.security.matrix import build_world
    from tests.security.test_matrix_contracts import _build, signed_contract

    world = build_world()
    _build(world)
    number = signed_contract(world)["number"]
    owner = world.users["customer_a"]
    response = client.get(f"/api/v1/contracts/{number}/signed.pdf", headers=bearer(owner))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and response["X-Content-SHA256"]
    other = client.get(f"/api/v1/contracts/{number}/signed.pdf", headers=bearer(world.users["customer_b"]))
    assert_api_error(other, 404, "not_found")
