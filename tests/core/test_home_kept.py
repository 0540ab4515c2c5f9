"""The homes' kept answers (core/home.py over core/data_versions.py): every kind of write shows at
once, whatever path it takes (a service, a queryset update, a bulk insert, raw SQL, another
application's table the figure reads), and a kept figure is never another organisation's."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import AccessRequest, Application, Membership
from guichet.billing import services as billing_services
from guichet.billing.models import Dispute, Invoice
from guichet.buytech.models import BuyTechOrder, OrderStatus
from guichet.contracts.models import ContractStatus
from guichet.core import data_versions
from guichet.core.calendar import today_for
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.inventory.models import Machine
from guichet.orders.models import Order
from guichet.support.models import Request, Status
from tests.accounts.factories import UserFactory
from tests.contracts.conftest import cover, make_contract
from tests.core.test_console_home import make_request as make_console_request
from tests.core.test_home import make_buytech_order, make_request, overdue_invoice

pytestmark = pytest.mark.django_db


def figures(client: Client) -> dict[str, str]:
    """{"<application>: <label>": value} of the home's tiles."""
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    return {
        f"{tile.application}: {figure.label}": figure.value
        for tile in response.context["home"].figures
        for figure in tile.figures
    }


def kinds(client: Client) -> list[str]:
    return [item.kind for item in client.get(reverse("portal:home")).context["home"].attention]


@pytest.fixture
def home(customer_a: Any) -> Client:
    client = Client()
    client.force_login(customer_a)
    return client


def machine(organisation: Any, serial: str) -> Machine:
    with across_organisations():
        return Machine.objects.create(
            organisation=organisation, machine_type="9009", model="22A", serial=serial, site_country="BE"
        )


def test_a_payment_changes_the_balance_at_once(home: Client, org_a: Any, administrator: Any) -> None:
    invoice = overdue_invoice(org_a)
    before = figures(home)["invoices: open balance"]
    assert kinds(home).count("invoices_overdue") == 1
    with tenant_scope(org_a):
        billing_services.payment_record(
            actor=administrator,
            organisation=org_a,
            day=today_for(org_a),
            amount=invoice.total,
            currency=invoice.currency,
            method="bank_transfer",
            reference="BANK-1",
            allocations=[(invoice, invoice.total)],
        )
    assert figures(home)["invoices: open balance"] != before
    assert "invoices_overdue" not in kinds(home)


def test_a_queryset_update_changes_the_balance_at_once(home: Client, org_a: Any) -> None:
    invoice = overdue_invoice(org_a)
    before = figures(home)["invoices: open balance"]
    with across_organisations():
        Invoice.objects.filter(pk=invoice.pk).update(settled=invoice.total)  # no save(), no signal
    assert figures(home)["invoices: open balance"] != before


def test_machines_and_their_coverage_change_at_once(home: Client, org_a: Any) -> None:
    first = machine(org_a, "S1")
    assert figures(home)["inventory: machine"] == "1"
    assert figures(home)["inventory: not covered"] == "1"
    # A contract line covering it: a write to contracts' tables changes inventory's figure.
    cover(make_contract(org_a), today_for(org_a) - timedelta(days=1), machine=first)
    assert figures(home)["inventory: not covered"] == "0"
    with across_organisations():
        Machine.objects.bulk_create(
            [Machine(organisation=org_a, machine_type="9009", model="22A", serial="S2", site_country="BE")]
        )
    assert figures(home)["inventory: machines"] == "2"
    with across_organisations():
        Machine.objects.filter(serial="S2").update(departed_on=today_for(org_a))
    assert figures(home)["inventory: machine"] == "1"


def test_contracts_requests_orders_and_buytech_change_at_once(home: Client, org_a: Any, customer_a: Any) -> None:
    Membership.objects.filter(user=customer_a).update(is_signatory=True)
    assert figures(home)["contracts: active contracts"] == "0"
    contract = make_contract(org_a)
    assert figures(home)["contracts: active contract"] == "1"
    with across_organisations():
        contract.status = ContractStatus.AWAITING_SIGNATURE
        contract.save()
    assert "contract_signature" in kinds(home)
    assert figures(home)["contracts: active contracts"] == "0"

    request = make_request(org_a, customer_a)
    assert "request_reply" in kinds(home)
    assert figures(home)["requests: open request"] == "1"
    with across_organisations():
        Request.objects.filter(pk=request.pk).update(status=Status.CLOSED)
    assert "request_reply" not in kinds(home)
    assert figures(home)["requests: open requests"] == "0"

    with across_organisations():
        Order.objects.create(
            organisation=org_a,
            number="O-1",
            status="processing",
            ordered_on=today_for(org_a),
            currency="EUR",
            placed_by=customer_a,
        )
    assert figures(home)["orders: order on its way"] == "1"

    order = make_buytech_order(org_a, customer_a, OrderStatus.RESERVED, "BT-2026-0001")
    assert "buytech_fee" in kinds(home)
    with across_organisations():
        BuyTechOrder.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)
    assert "buytech_fee" not in kinds(home)


def test_raw_sql_changes_the_figure_at_once(home: Client, org_a: Any) -> None:
    machine(org_a, "S1")
    assert figures(home)["inventory: machine"] == "1"
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM inventory_machine")
    assert figures(home)["inventory: machines"] == "0"


def test_a_write_inside_a_with_statement_changes_the_figure_at_once(home: Client, org_a: Any) -> None:
    # core/inserts.py writes several tables in one data-modifying WITH (PostgreSQL).
    machine(org_a, "S1")
    assert figures(home)["inventory: machine"] == "1"
    with connection.cursor() as cursor:
        cursor.execute("WITH gone(id) AS (SELECT id FROM inventory_machine) DELETE FROM inventory_machine")
    assert figures(home)["inventory: machines"] == "0"


def test_an_access_request_shows_to_the_admin_at_once(home: Client, org_a: Any, customer_a: Any) -> None:
    Membership.objects.filter(user=customer_a).update(role=Membership.Role.ADMIN)
    assert "access_request" not in kinds(home)
    AccessRequest.objects.create(organisation=org_a, user=UserFactory(), application=Application.ORDERS)
    assert "access_request" in kinds(home)


def test_a_kept_figure_is_never_another_organisations(home: Client, org_a: Any, org_b: Any, customer_b: Any) -> None:
    machine(org_a, "S1")
    assert figures(home)["inventory: machine"] == "1"
    other = Client()
    other.force_login(customer_b)
    assert figures(other)["inventory: machines"] == "0"  # org_b's own figure, not org_a's kept one
    machine(org_b, "S2")
    machine(org_b, "S3")
    assert figures(other)["inventory: machines"] == "2"
    assert figures(home)["inventory: machine"] == "1"


def disputes(staff: Any) -> str:
    """The console home's "open disputes" figure as `staff` sees it."""
    client = Client()
    client.force_login(staff)
    view = client.get(reverse("console:home")).context["view"]
    return next(figure.value for figure in view.figures if figure.label == "open disputes")


def test_the_console_figures_change_at_once_and_stay_in_their_jurisdiction(
    org_a: Any, customer_a: Any, agent_be: Any, agent_ro: Any
) -> None:
    assert disputes(agent_be) == disputes(agent_ro) == "0"
    invoice = overdue_invoice(org_a)
    with across_organisations():
        Dispute.objects.create(
            organisation=org_a, invoice=invoice, opened_by=customer_a, amount=Decimal("10"), reason="Wrong"
        )
    assert disputes(agent_be) == "1"  # org_a is Belgian
    assert disputes(agent_ro) == "0"


def test_a_commit_replaces_the_version_a_reader_saw_before_it(django_capture_on_commit_callbacks: Any) -> None:
    # Another process may have read the rows as they were before the commit, under the version the
    # write replaced at once: the commit replaces it again.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        machine_written = data_versions.current(["inventory"])
        with across_organisations():
            Machine.objects.filter(pk=0).update(model="x")
        during = data_versions.current(["inventory"])
        assert during != machine_written
    assert data_versions.current(["inventory"]) != during


def test_writes_to_tables_no_home_reads_cost_no_version(org_a: Any) -> None:
    before = data_versions.current(["core", "django"])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE django_session SET expire_date = expire_date")
    assert data_versions.current(["core", "django"]) == before


def test_a_kept_queue_follows_the_clock_past_a_service_level_mark(org_a: Any, customer_a: Any, agent_be: Any) -> None:
    start = timezone.now()
    hour = timedelta(hours=1)
    make_console_request(
        org_a,
        customer_a,
        "BE-1",
        resolution_due=start + 3 * hour,
        sla_at_risk_from=start + hour,
        sla_breached_from=start + 3 * hour,
    )
    client = Client()
    client.force_login(agent_be)

    def queue(key: str, at: Any) -> list[str]:
        with mock.patch("django.utils.timezone.now", return_value=at):
            view = client.get(reverse("console:home")).context["view"]
        return [row.number for q in view.queues if q.key == key for row in q.rows]

    assert queue("at_risk", start) == queue("breached", start) == []
    assert queue("at_risk", start + 2 * hour) == ["BE-1"]  # no write since: the clock alone moved it
    assert queue("breached", start + 2 * hour) == []
    assert queue("breached", start + 4 * hour) == ["BE-1"]
    assert queue("at_risk", start + 4 * hour) == []


def test_an_organisation_that_changes_country_changes_every_console_figure(
    org_a: Any, customer_a: Any, agent_be: Any, agent_ro: Any
) -> None:
    invoice = overdue_invoice(org_a)
    with across_organisations():
        Dispute.objects.create(
            organisation=org_a, invoice=invoice, opened_by=customer_a, amount=Decimal("10"), reason="Wrong"
        )
    assert (disputes(agent_be), disputes(agent_ro)) == ("1", "0")
    type(org_a).objects.filter(pk=org_a.pk).update(country="RO")  # billing's tables untouched
    assert (disputes(agent_be), disputes(agent_ro)) == ("0", "1")
