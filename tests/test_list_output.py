"""My contracts, invoices, orders and inventory print byte for byte what they printed before their
filter forms, list tools and rows were kept once printed (issue 17, decision 0016).

`data/lists/<list>_<name>_<language>.html` is each page's content (from its heading to the end of
`<main>`) as the code before wrote it: a Belgian organisation with contracts of every kind and
status (a title with a percent sign and markup, an open-ended one), invoices open, overdue and a
credit note, orders with and without a purchase order, machines under contract, under warranty and
not covered; the default page and a filtered, sorted one, in en, fr, nl and ro. The clock is fixed;
invoice and order numbers, which sequences give, are replaced by their order of creation; the CSRF
token and the next page's cursor are made constant.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from guichet.billing import rules as billing_rules
from guichet.billing import services as billing
from guichet.contracts.models import ContractKind, ContractStatus
from guichet.core.tenancy import tenant_scope
from guichet.orders import services as orders
from guichet.orders.models import Order, OrderStatus
from tests.accounts.factories import OrganisationFactory, grant_all, make_member
from tests.contracts.conftest import make_contract
from tests.inventory.conftest import cover, make_machine

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "lists"
NOW = datetime(2026, 12, 2, 14, 17, 31, tzinfo=UTC)  # a Wednesday, 15:17 in Brussels
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
CURSOR = re.compile(r"cursor=[^\"&]+")  # signed with the time it was made
LANGUAGES = ("en", "fr", "nl", "ro")

PAGES = {
    "contracts": ("contracts:list", {"status": "active", "sort": "title"}),
    "invoices": ("billing:invoices", {"kind": "invoice", "sort": "-due"}),
    "orders": ("orders:list", {"date_from": "2026-01-01", "sort": "po"}),
    "machines": ("inventory:list", {"coverage": "contract", "sort": "-site"}),
}


@pytest.fixture(autouse=True)
def _pages_of_two(settings) -> None:  # type: ignore[no-untyped-def]
    """Two rows a page: the pages show their "Next" link and their count too."""
    settings.PAGE_SIZES = {**settings.PAGE_SIZES, "contracts": 2, "invoices": 2, "orders": 2, "machines": 2}


@pytest.fixture
def lists(monkeypatch) -> tuple[Any, list[str]]:  # type: ignore[no-untyped-def]
    """The organisation's customer, and the numbers its sequences gave (in order of creation)."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    organisation = OrganisationFactory(country="BE", name="Atelier Dupont & Fils", language="fr")
    customer = make_member(organisation, role="admin", email="lists@example.com")
    grant_all(customer, organisation)
    contracts = [
        (ContractKind.HARDWARE_MAINTENANCE, ContractStatus.ACTIVE, "Maintenance", date(2024, 1, 1), None, "1200.00"),
        (
            ContractKind.SOFTWARE_SUBSCRIPTION,
            ContractStatus.ACTIVE,
            "100% <b>uptime</b> & more",
            date(2025, 3, 4),
            date(2027, 3, 3),
            "98765.43",
        ),
        (
            ContractKind.HARDWARE_MAINTENANCE,
            ContractStatus.EXPIRED,
            "Hardware maintenance",
            date(2021, 6, 30),
            date(2024, 6, 29),
            "0.00",
        ),
    ]
    for index, (kind, status, title, start, end, amount) in enumerate(contracts):
        make_contract(
            organisation,
            kind=kind,
            status=status,
            number=f"BE-HW-2024-000{index + 1}",
            title=title,
            start_date=start,
            end_date=end,
            amount=Decimal(amount),
        )
    numbers: list[str] = []
    lines = [billing_rules.LineIn("Toner <noir>", Decimal("3"), Decimal("78.19"))]
    with tenant_scope(organisation):
        first = billing.invoice_issue(actor=None, organisation=organisation, lines=lines, issue_date=date(2026, 9, 1))
        numbers.append(first.number)
        for issued in (date(2026, 11, 20), date(2026, 12, 1)):
            numbers.append(
                billing.invoice_issue(
                    actor=None, organisation=organisation, lines=lines, issue_date=issued, po_reference="PO-7"
                ).number
            )
        numbers.append(
            billing.invoice_issue(
                actor=None,
                organisation=organisation,
                lines=lines,
                issue_date=date(2026, 12, 2),
                kind="credit_note",
                credited_invoice=first,
            ).number
        )
        line = orders.LineIn("7063-R04", "Serveur rack", 1, Decimal("6450.00"))
        for po, status in (
            ("PO-1", OrderStatus.PLACED),
            ("", OrderStatus.SHIPPED),
            ("Achat « 42 »", OrderStatus.CANCELLED),
        ):
            order = orders.order_create(actor=customer, organisation=organisation, lines=[line], purchase_order=po)
            Order.objects.filter(pk=order.pk).update(status=status)
            numbers.append(order.number)
    today = NOW.date()
    covered = make_machine(organisation, "78AB001", site_name="Siège <Nord>")
    cover(covered, number="BE-HW-2024-0001", covered_until=today + timedelta(days=200))
    make_machine(organisation, "78AB002", description="Stockage", warranty_end=today + timedelta(days=30))
    make_machine(organisation, "78AB003", site_name="", site_city="Gent", description="")
    return customer, numbers


def _content(html: str, numbers: list[str]) -> str:
    start = html.index('<h1 class="h2')
    part = CSRF.sub('name="csrfmiddlewaretoken" value="…"', html[start : html.index("</main>", start)])
    part = CURSOR.sub("cursor=…", part)
    for index, number in enumerate(numbers):
        part = part.replace(number, f"NUMBER-{index}")
    return part


def _url(name: str, language: str) -> str:
    with translation.override(language):
        return reverse(name)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("filtered", [False, True], ids=["default", "filtered"])
def test_each_list_prints_what_it_printed(client, lists, page: str, language: str, filtered: bool) -> None:  # type: ignore[no-untyped-def]
    customer, numbers = lists
    client.force_login(customer)
    name, query = PAGES[page]
    response = client.get(_url(name, language), query if filtered else {})  # bare: as bench/http asks
    assert response.status_code == 200
    part = _content(response.content.decode(), numbers)
    expected = DATA / f"{page}_{'filtered' if filtered else 'default'}_{language}.html"
    assert part == expected.read_text()  # written by the code before the change
