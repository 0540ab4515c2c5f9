"""Issue 13 §5, the agents' worklists (billing, contracts, inventory, Buy Tech consoles): sorted by
their columns and exported as CSV, several lists on one page; and the support request form's
reference fields suggesting only the organisation's own numbers."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import BadRequest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from guichet.accounts.models import User
from guichet.billing import services as billing_services
from guichet.core import listing
from guichet.core.calendar import today_for_staff
from guichet.core.tenancy import tenant_scope
from tests.billing.conftest import LINES
from tests.contracts.conftest import make_contract
from tests.inventory.conftest import make_machine

pytestmark = pytest.mark.django_db

SPEC = listing.ListSpec(
    "test_rows",
    (
        listing.Column("name", "Name", value=lambda row: row["name"]),
        listing.Column("due", "Due", value=lambda row: row["due"]),
    ),
    default="due",
    param="rows_sort",
)
ROWS = [
    {"name": "beta", "due": date(2026, 3, 2)},
    {"name": "Alpha", "due": None},
    {"name": "=1+1", "due": date(2026, 3, 1)},
]


def url(name: str, **kwargs: Any) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def csv_of(response: Any) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_built_rows_sort_by_their_own_parameter_blanks_last() -> None:
    get = RequestFactory().get
    names = [r["name"] for r in listing.worklist(get("/", {"rows_sort": "name"}), SPEC, ROWS).rows]
    assert names == ["=1+1", "Alpha", "beta"]  # text without case
    by_due = [r["name"] for r in listing.worklist(get("/", {"rows_sort": "-due"}), SPEC, ROWS).rows]
    assert by_due == ["beta", "=1+1", "Alpha"]  # a row without a date comes last, either way
    # ?sort= belongs to another list of the page; an unknown column is the default order.
    for params in ({"sort": "name"}, {"rows_sort": "secret"}):
        assert [r["name"] for r in listing.worklist(get("/", params), SPEC, ROWS).rows] == ["=1+1", "beta", "Alpha"]
    built = listing.worklist(get("/", {"rows_sort": "name", "other_sort": "x"}), SPEC, ROWS)
    assert (
        built.context["sort"]["name"]["aria"] == "ascending"
        and "rows_sort=-name" in built.context["sort"]["name"]["href"]
    )
    assert (
        "list=test_rows" in built.context["list_tools"]["exports"][0][1] and not built.context["list_tools"]["filtered"]
    )


def test_an_export_names_its_list() -> None:
    get = RequestFactory().get
    assert listing.export_of(get("/", {"export": "csv", "list": "test_rows"}), SPEC) == "csv"
    assert listing.export_of(get("/", {"export": "csv", "list": "another"}), SPEC) == ""
    with pytest.raises(BadRequest):
        listing.export_of(get("/", {"export": "xlsx", "list": "test_rows"}), SPEC)
    rows = csv_of(listing.rows_csv("rows.csv", SPEC, ROWS))
    assert rows == [["Name", "Due"], ["beta", "2026-03-02"], ["Alpha", ""], ["'=1+1", "2026-03-01"]]


def test_billing_console_sorts_and_exports_payments(client: Client, org_a: Any, org_b: Any, agent_be: User) -> None:
    for organisation, reference, amount in ((org_a, "P-B", "50"), (org_a, "=P-A", "70"), (org_b, "P-RO", "90")):
        with tenant_scope(organisation):
            billing_services.payment_record(
                actor=None,
                organisation=organisation,
                day=date(2026, 3, 1),
                amount=Decimal(amount),
                currency="EUR",
                method="bank_transfer",
                reference=reference,
                allocations=[],
            )
    client.force_login(agent_be)
    page = client.get(url("billing_console:home"), {"payments_sort": "-amount"}).content.decode()
    assert page.index("=P-A") < page.index("P-B") and "P-RO" not in page  # another country's: not served
    assert 'aria-sort="descending"' in page and "list=billing_console_payments" in page
    rows = csv_of(
        client.get(
            url("billing_console:home"),
            {"payments_sort": "amount", "export": "csv", "list": "billing_console_payments"},
        )
    )
    assert rows[0][:4] == ["Reference", "Customer", "Date", "Amount"]
    assert [row[0] for row in rows[1:]] == ["P-B", "'=P-A"]  # formula-safe
    disputes = csv_of(client.get(url("billing_console:home"), {"export": "csv", "list": "billing_console_disputes"}))
    assert disputes == [
        ["Invoice", "Customer", "Organisation", "Opened on", "Disputed amount", "Open amount", "Currency"]
    ]
    assert client.get(url("billing_console:home"), {"export": "doc"}).status_code == 400


def test_contracts_console_renewals_sort_and_export(client: Client, org_a: Any, agent_be: User) -> None:
    today = today_for_staff(agent_be)
    make_contract(org_a, number="BE-HW-2026-0001", renewal_date=today + timedelta(days=40))
    make_contract(org_a, number="BE-HW-2026-0002", renewal_date=today + timedelta(days=10))
    client.force_login(agent_be)
    page = client.get(url("contracts_console:home")).content.decode()
    assert page.index("BE-HW-2026-0002") < page.index("BE-HW-2026-0001")  # the default: soonest first
    page = client.get(url("contracts_console:home"), {"renewals_sort": "-renewal"}).content.decode()
    assert page.index("BE-HW-2026-0001") < page.index("BE-HW-2026-0002")
    rows = csv_of(
        client.get(
            url("contracts_console:home"),
            {"renewals_sort": "contract", "export": "csv", "list": "contracts_console_renewals"},
        )
    )
    assert rows[1:] == [
        ["BE-HW-2026-0001", org_a.name, (today + timedelta(days=40)).isoformat()],
        ["BE-HW-2026-0002", org_a.name, (today + timedelta(days=10)).isoformat()],
    ]
    terminations = csv_of(
        client.get(url("contracts_console:home"), {"export": "csv", "list": "contracts_console_terminations"})
    )
    assert terminations == [["Contract", "Customer", "Type", "Machines", "Effective on", "Status"]]


@pytest.mark.parametrize(
    ("spec", "header"),
    [
        ("inventory_console_repairs", ["Number", "Customer", "Machine", "Handling", "Dispatch by"]),
        ("inventory_console_transfers", ["Number", "Customer", "Machine", "Last charged day", "Confirm by"]),
        ("inventory_console_relocations", ["Number", "Customer", "Move", "Status", "Evaluate by"]),
    ],
)
def test_inventory_console_exports_each_list(client: Client, agent_be: User, spec: str, header: list[str]) -> None:
    client.force_login(agent_be)
    assert csv_of(client.get(url("inventory_console:home"), {"export": "csv", "list": spec})) == [header]
    assert client.get(url("inventory_console:home"), {"repairs_sort": "'; drop"}).status_code == 200


def test_buytech_board_exports_the_orders_to_confirm(client: Client, agent_be: User) -> None:
    client.force_login(agent_be)
    rows = csv_of(client.get(url("buytech_console:home"), {"export": "csv", "list": "buytech_console_to_confirm"}))
    assert rows == [["Number", "Organisation", "Reserved on", "Confirm by"]]
    rows = csv_of(client.get(url("buytech_console:home"), {"export": "csv", "list": "buytech_console_past_target"}))
    assert rows == [["Number", "Organisation", "Processing target", "Status"]]


def test_request_form_suggests_only_the_organisations_own_numbers(
    client: Client, org_a: Any, org_b: Any, customer_a: User
) -> None:
    make_contract(org_a, number="BE-HW-2026-0101")
    make_contract(org_b, number="RO-HW-2026-0999")
    for organisation, issue_date in ((org_a, date(2026, 3, 12)), (org_b, date(2026, 3, 13))):
        with tenant_scope(organisation):
            billing_services.invoice_issue(actor=None, organisation=organisation, lines=LINES, issue_date=issue_date)
    make_machine(org_a, serial="78OWN01")
    make_machine(org_b, serial="78FOREIGN")
    with tenant_scope(org_a):
        own_invoice = org_a.invoices.get().number
    with tenant_scope(org_b):
        foreign_invoice = org_b.invoices.get().number
    client.force_login(customer_a)
    new = url("support:request_new")
    cases = (
        ("contracts", "contract_number", "BE-HW-2026-0101", "RO-HW-2026-0999"),
        ("invoices", "invoice_number", own_invoice, foreign_invoice),
        ("inventory", "serial", "78OWN01", "78FOREIGN"),
    )
    for kind, field, own, foreign in cases:
        body = client.get(new, {"type": kind}).content.decode()
        assert f'list="suggest-{field}"' in body and f'<datalist id="suggest-{field}">' in body, kind
        assert f'<option value="{own}">' in body and foreign not in body, kind
    # Typed text is still accepted and validated as before.
    invalid = client.post(new, {"type": "contracts", "contract_number": "no spaces allowed"})
    assert invalid.status_code == 400 and "letters, digits and dashes" in invalid.content.decode()


def test_request_form_reads_the_suggestions_only_to_show_them(client: Client, org_a: Any, customer_a: User) -> None:
    make_contract(org_a, number="BE-HW-2026-0101")
    client.force_login(customer_a)
    new = url("support:request_new")
    # Shown again with its errors: the organisation's numbers are offered as on the first showing.
    invalid = client.post(new, {"type": "contracts", "contract_number": "no spaces allowed"}).content.decode()
    assert '<datalist id="suggest-contract_number">' in invalid and '<option value="BE-HW-2026-0101">' in invalid
    sent = {
        "type": "contracts",
        "subject": "Contrat",
        "description": "Une question sur le contrat.",
        "priority": "normal",
        "contact_name": "Alice",
        "contact_email": customer_a.email,
        "contract_number": "BE-HW-2026-0101",
    }
    with CaptureQueriesContext(connection) as captured:
        answer = client.post(new, sent)
    assert answer.status_code == 302
    # A request sent shows no form: the contract numbers (up to 500) are not read.
    assert not [query["sql"] for query in captured.captured_queries if '"contracts_contract"' in query["sql"]]


def test_billing_console_disputes_sort_by_links_and_export(
    client: Client, org_a: Any, customer_a: User, agent_be: User
) -> None:
    numbers = []
    for issue_date, amount in ((date(2026, 3, 12), "50"), (date(2026, 3, 13), "30")):
        with tenant_scope(org_a):
            invoice = billing_services.invoice_issue(actor=None, organisation=org_a, lines=LINES, issue_date=issue_date)
            billing_services.dispute_open(actor=customer_a, invoice=invoice, amount=Decimal(amount), reason="Erreur")
        numbers.append(invoice.number)
    client.force_login(agent_be)
    page = client.get(url("billing_console:home"), {"disputes_sort": "amount"}).content.decode()
    assert 'data-testid="worklist-sort"' in page and 'aria-current="true"' in page
    assert page.index(f'data-invoice="{numbers[1]}"') < page.index(f'data-invoice="{numbers[0]}"')  # 30 before 50
    rows = csv_of(
        client.get(
            url("billing_console:home"),
            {"disputes_sort": "-amount", "export": "csv", "list": "billing_console_disputes"},
        )
    )
    assert [(row[0], row[4]) for row in rows[1:]] == [(numbers[0], "50.00"), (numbers[1], "30.00")]
