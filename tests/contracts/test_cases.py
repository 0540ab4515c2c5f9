"""Contract terminations in the case index ("My requests")."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from guichet.contracts import services
from guichet.core.models import Case
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.support import services as support_services
from guichet.support.models import Request, Status
from tests.contracts.conftest import cover, make_contract, url

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 31)


def test_a_termination_is_a_case_that_follows_its_decision(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a, number="BE-HW-2024-0001")
    old = cover(contract, date(2025, 9, 30))
    contact = {"name": customer_a.get_full_name(), "email": customer_a.email, "phone": ""}
    with tenant_scope(org_a):
        termination = services.hardware_termination_request(
            actor=customer_a, contract=contract, coverage_ids=[old.pk], contact=contact, today=TODAY
        )
    with across_organisations():
        case = Case.objects.get(kind="termination", source_id=termination.pk)
    assert (case.number, case.status, case.url_name) == ("BE-HW-2024-0001", "open", "contracts:detail")
    assert not termination.reason and case.title == contract.title  # without a reason: the contract's title
    with tenant_scope(org_a):
        services.termination_decide(actor=agent_be, termination=termination, accept=False, note="Contract terms.")
    case.refresh_from_db()
    assert case.status == "refused"


def _listed(client: Any, user: Any) -> list[tuple[str, str]]:
    client.force_login(user)
    page = client.get(url("support:list", "fr"))
    assert page.status_code == 200
    return [(case.kind, case.number) for case in page.context["page"]]


def test_a_termination_and_its_request_are_one_row_rebuilt_the_same(client, org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a, number="BE-HW-2024-0002")
    old = cover(contract, date(2025, 9, 30))
    contact = {"name": customer_a.get_full_name(), "email": customer_a.email, "phone": ""}
    with tenant_scope(org_a):
        termination = services.hardware_termination_request(
            actor=customer_a, contract=contract, coverage_ids=[old.pk], contact=contact, today=TODAY
        )
    assert termination.request_number
    assert _listed(client, customer_a) == [("termination", "BE-HW-2024-0002")]
    html = client.get(url("support:list", "fr")).content.decode()
    assert termination.request_number not in html
    with tenant_scope(org_a):
        services.termination_decide(actor=agent_be, termination=termination, accept=True, note="")
    assert _listed(client, customer_a) == [("termination", "BE-HW-2024-0002")]
    with across_organisations():
        assert Case.objects.get(kind="termination", source_id=termination.pk).status == "in_progress"
        before = sorted(Case.objects.values_list("kind", "number", "status", "carries", "carried_by__kind"))
        Case.objects.all().delete()
    call_command("sync_cases")
    with across_organisations():
        assert sorted(Case.objects.values_list("kind", "number", "status", "carries", "carried_by__kind")) == before
    assert _listed(client, customer_a) == [("termination", "BE-HW-2024-0002")]


def test_a_reply_on_the_terminations_request_moves_its_row(client, org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    """The termination's conversation is its request: an agent's question there moves the termination's
    row (last change, waiting for the customer) in My requests."""
    from datetime import timedelta

    contract = make_contract(org_a, number="BE-HW-2024-0003")
    old = cover(contract, date(2025, 9, 30))
    contact = {"name": customer_a.get_full_name(), "email": customer_a.email, "phone": ""}
    with tenant_scope(org_a):
        termination = services.hardware_termination_request(
            actor=customer_a, contract=contract, coverage_ids=[old.pk], contact=contact, today=TODAY
        )
        request = Request.objects.get(number=termination.request_number)
    long_ago = timezone.now() - timedelta(days=3)
    with across_organisations():
        Case.objects.filter(organisation=org_a).update(updated_at=long_ago)
    with tenant_scope(org_a):
        support_services.agent_comment(actor=agent_be, request=request, body="Which site?", then=Status.WAITING)
    with across_organisations():
        row = Case.objects.get(kind="termination", source_id=termination.pk)
    assert (row.status, row.waits_for) == ("open", "customer")
    assert row.updated_at > long_ago
    client.force_login(customer_a)
    page = client.get(url("support:list", "fr"), {"sort": "-updated_at"})
    assert [(case.kind, case.waits_for) for case in page.context["page"]] == [("termination", "customer")]
