"""A cost estimate on an uncovered repair: the agent sends it, the repair waits for the customer,
who accepts (the repair may be dispatched) or declines (the request closes as declined). Each step
is audited, told by e-mail and in the portal, on the case's timeline, and on the home."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import translation

from guichet.core.errors import Conflict, DomainError, PermissionDenied
from guichet.core.models import AuditEvent, Case, CaseActivity, Notification, OutboxMessage
from guichet.core.notifications import delivery
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.inventory import services
from guichet.inventory.attention import InventoryConsole
from guichet.inventory.models import RepairRequest
from tests.accounts.test_api import token_for
from tests.inventory.conftest import cover, make_machine, url

pytestmark = pytest.mark.django_db


def uncovered_repair(organisation: Any, customer: Any, serial: str = "78AB003") -> RepairRequest:
    machine = make_machine(organisation, serial)
    with tenant_scope(organisation):
        return services.repair_request(
            actor=customer, machine=machine, kind="hardware", description="Fuser", accept_billing=True
        )


def estimate(repair: RepairRequest, agent: Any, amount: str = "245.50", note: str = "Fuser unit, 1 h labour") -> Any:
    with tenant_scope(repair.organisation):
        return services.repair_estimate(actor=agent, repair=repair, amount=Decimal(amount), note=note)


def case_of(repair: RepairRequest) -> Case:
    with across_organisations():
        return Case.objects.get(kind="repair", number=repair.number)


def reload(repair: RepairRequest) -> RepairRequest:
    with across_organisations():
        return RepairRequest.objects.get(pk=repair.pk)


def test_an_estimate_makes_the_repair_wait_for_the_customer(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    repair = uncovered_repair(org_a, customer_a)
    estimate(repair, agent_be)
    repair = reload(repair)
    assert (repair.estimate_status, repair.estimate_amount, repair.estimate_currency) == (
        "pending",
        Decimal("245.50"),
        "EUR",
    )
    assert repair.estimate_sent_by == agent_be
    case = case_of(repair)
    assert (case.status, case.waits_for) == ("waiting", "customer")
    message = OutboxMessage.objects.get(template="repair_estimate")
    assert (message.to, message.language) == (customer_a.email, "fr")
    assert message.context["amount"] == "245.50" and message.context["currency"] == "EUR"
    assert Notification.objects.filter(user=customer_a, template="repair_estimate").exists()
    assert delivery.deliver(message.pk)
    (email,) = mail.outbox
    assert email.subject.endswith(f"Devis pour la demande de service {repair.number}")
    assert "245,50" in email.body and "Fuser unit, 1 h labour" in email.body and "/fr/inventory/repairs/" in email.body
    with across_organisations():
        assert AuditEvent.objects.filter(action="repair.estimate_sent", target=repair.number).exists()
        notes = list(CaseActivity.objects.filter(case=case).values_list("event", "status", "note"))
    assert ("status", "waiting", "") in notes and ("notified", "waiting", "repair_estimate") in notes


def test_dispatch_is_refused_while_the_estimate_waits_then_allowed_once_accepted(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    repair = uncovered_repair(org_a, customer_a)
    estimate(repair, agent_be)
    with tenant_scope(org_a):
        with pytest.raises(Conflict) as refused:
            services.repair_dispatch(actor=agent_be, repair=repair)
        assert refused.value.code == "estimate_pending"
        services.repair_estimate_answer(actor=customer_a, repair=repair, accept=True)
    repair = reload(repair)
    assert (repair.estimate_status, repair.estimate_answered_by, repair.status) == ("accepted", customer_a, "submitted")
    assert repair.estimate_answered_at is not None
    case = case_of(repair)
    assert (case.status, case.waits_for) == ("open", "vendor")
    told = OutboxMessage.objects.get(template="repair_estimate_accepted")
    assert told.to == agent_be.email and "/console/inventory/repairs/" in told.context["url"]
    with tenant_scope(org_a):
        services.repair_dispatch(actor=agent_be, repair=repair)
        with pytest.raises(Conflict) as again:
            services.repair_estimate_answer(actor=customer_a, repair=repair, accept=False)
    assert again.value.code == "estimate_not_pending"
    assert reload(repair).status == "dispatched"


def test_declining_closes_the_repair_as_declined(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    repair = uncovered_repair(org_a, customer_a)
    estimate(repair, agent_be)
    with tenant_scope(org_a):
        services.repair_estimate_answer(actor=customer_a, repair=repair, accept=False)
    repair = reload(repair)
    assert (repair.status, repair.estimate_status) == ("declined", "declined")
    assert (case_of(repair).status, case_of(repair).waits_for) == ("closed", "")
    assert OutboxMessage.objects.get(template="repair_estimate_declined").to == agent_be.email
    with across_organisations():
        assert AuditEvent.objects.filter(action="repair.estimate_declined", actor=customer_a).exists()
    with tenant_scope(org_a), pytest.raises(Conflict):
        services.repair_dispatch(actor=agent_be, repair=repair)


@pytest.mark.parametrize("amount", ["0", "-5", "100000.01", "12.345", "NaN"])
def test_the_amount_is_validated(org_a, customer_a, agent_be, amount: str) -> None:  # type: ignore[no-untyped-def]
    repair = uncovered_repair(org_a, customer_a)
    with pytest.raises(DomainError) as refused:
        estimate(repair, agent_be, amount=amount)
    assert refused.value.code == "invalid_amount"
    assert reload(repair).estimate_status == ""


def test_the_bound_is_said_in_the_readers_language(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    repair = uncovered_repair(org_a, customer_a)
    with translation.override("fr"), pytest.raises(DomainError) as refused:
        estimate(repair, agent_be, amount="100000.01")
    assert "100\u202f000,00\xa0€" in str(refused.value.message)


def test_the_note_is_required_and_bounded(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    repair = uncovered_repair(org_a, customer_a)
    for note in ("  ", "x" * 501):
        with pytest.raises(DomainError) as refused:
            estimate(repair, agent_be, note=note)
        assert refused.value.code == "note_required"


def test_estimate_only_on_an_uncovered_waiting_repair_by_its_countrys_agent(  # type: ignore[no-untyped-def]
    org_a, customer_a, agent_be, agent_ro
) -> None:
    covered = make_machine(org_a, "78AB001")
    cover(covered)
    with tenant_scope(org_a):
        repair = services.repair_request(actor=customer_a, machine=covered, kind="hardware", description="x")
    with pytest.raises(Conflict) as refused:
        estimate(repair, agent_be)
    assert refused.value.code == "estimate_not_allowed"
    uncovered = uncovered_repair(org_a, customer_a)
    with pytest.raises(PermissionDenied):
        estimate(uncovered, agent_ro)
    estimate(uncovered, agent_be)
    with pytest.raises(Conflict):
        estimate(uncovered, agent_be)


def test_the_database_refuses_an_incomplete_estimate(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    repair = uncovered_repair(org_a, customer_a)
    with across_organisations(), pytest.raises(IntegrityError), transaction.atomic():
        RepairRequest.objects.filter(pk=repair.pk).update(estimate_status="pending")


def test_the_home_lists_the_repair_waiting_for_acceptance(client, org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    repair = uncovered_repair(org_a, customer_a)
    client.force_login(customer_a)
    assert 'data-kind="repair_estimate"' not in client.get(url("portal:home")).content.decode()
    estimate(repair, agent_be)
    page = client.get(url("portal:home")).content.decode()
    item = page.split('data-kind="repair_estimate"', 1)[1].split("</li>", 1)[0]
    assert repair.number in item and url("inventory:repair", number=repair.number) in item
    assert "<time" not in item  # no due date: none is promised


def test_the_customer_reviews_then_accepts_on_the_repair_page(client, org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    repair = uncovered_repair(org_a, customer_a)
    estimate(repair, agent_be)
    client.force_login(customer_a)
    page = client.get(url("inventory:repair", number=repair.number)).content.decode()
    assert 'data-testid="estimate-accept"' in page and "245.50" in page
    target = url("inventory:repair_estimate_answer", number=repair.number)
    review = client.post(target, {"answer": "accept"})
    assert review.status_code == 200 and 'data-testid="review-form"' in review.content.decode()
    assert reload(repair).estimate_status == "pending"  # the review changes nothing
    done = client.post(target, {"answer": "accept", "confirmed": "1"})
    assert done.status_code == 303
    assert reload(repair).estimate_status == "accepted"
    page = client.get(url("inventory:repair", number=repair.number)).content.decode()
    assert 'data-testid="estimate-answer"' in page and 'data-testid="estimate-accept"' not in page


def test_the_agent_sends_the_estimate_from_the_console(client, org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    repair = uncovered_repair(org_a, customer_a)
    client.force_login(agent_be)
    page = client.get(url("inventory_console:repair", number=repair.number)).content.decode()
    assert 'data-testid="estimate-form"' in page
    target = url("inventory_console:repair_estimate", number=repair.number)
    bad = client.post(target, {"amount": "-1", "note": "x"})
    assert bad.status_code == 400 and reload(repair).estimate_status == ""
    assert client.post(target, {"amount": "120", "note": "Drum"}).status_code == 303
    assert reload(repair).estimate_amount == Decimal("120.00")
    page = client.get(url("inventory_console:repair", number=repair.number)).content.decode()
    assert 'data-testid="estimate-status"' in page
    assert url("inventory_console:repair_dispatch", number=repair.number) not in page
    home = client.get(url("inventory_console:home")).content.decode()
    assert 'data-testid="estimate-pending"' in home


class Api:
    def __init__(self, client: Any, user: Any) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token_for(client, user.email).json()['token']}"}

    def get(self, path: str) -> Any:
        return self.client.get(f"/api/v1{path}", headers=self.headers)

    def post(self, path: str) -> Any:
        return self.client.post(f"/api/v1{path}", json.dumps({}), "application/json", headers=self.headers)


def test_the_api_shows_the_estimate_and_takes_the_answer(client, org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    repair = uncovered_repair(org_a, customer_a)
    api = Api(client, customer_a)
    assert api.get(f"/repairs/{repair.number}").json()["estimate"] is None
    refused = api.post(f"/repairs/{repair.number}/estimate/accept")
    assert refused.status_code == 409 and refused.json()["code"] == "estimate_not_pending"
    estimate(repair, agent_be)
    shown = api.get(f"/repairs/{repair.number}").json()["estimate"]
    assert (shown["status"], shown["amount"], shown["currency"]) == ("pending", "245.50", "EUR")
    answered = api.post(f"/repairs/{repair.number}/estimate/decline")
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "declined" and answered.json()["estimate"]["status"] == "declined"


def test_the_api_answers_404_across_organisations(client, org_a, customer_a, customer_b, agent_be) -> None:  # type: ignore[no-untyped-def]
    repair = uncovered_repair(org_a, customer_a)
    estimate(repair, agent_be)
    api = Api(client, customer_b)
    assert api.get(f"/repairs/{repair.number}").status_code == 404
    assert api.post(f"/repairs/{repair.number}/estimate/accept").status_code == 404
    assert reload(repair).estimate_status == "pending"


def test_a_repair_waiting_for_the_customer_is_not_counted_to_dispatch(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    def to_dispatch() -> str:
        (figure,) = [f for f in InventoryConsole().figures(agent_be) if f.label == "repairs to dispatch"]
        return figure.value

    repair = uncovered_repair(org_a, customer_a)
    assert to_dispatch() == "1"
    estimate(repair, agent_be)
    assert to_dispatch() == "0"
    with tenant_scope(org_a):
        services.repair_estimate_answer(actor=customer_a, repair=repair, accept=True)
    assert to_dispatch() == "1"
