"""Invoice disputes in the case index ("My requests")."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from guichet.billing import services
from guichet.core.calendar import today_for
from guichet.core.models import Case
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.support import services as support_services
from guichet.support.models import Status
from tests.accounts.factories import grant_all, make_member
from tests.support.conftest import url

pytestmark = pytest.mark.django_db


def test_a_dispute_is_a_case_until_credited_or_rejected(org_a, customer_a, agent_be, make_invoice) -> None:  # type: ignore[no-untyped-def]
    invoice = make_invoice(org_a, issue_date=today_for(org_a))
    with tenant_scope(org_a):
        dispute = services.dispute_open(
            actor=customer_a, invoice=invoice, amount=D("121.00"), reason="Toner jamais livré"
        )
    with across_organisations():
        case = Case.objects.get(kind="dispute", source_id=dispute.pk)
    assert (case.number, case.title, case.status, case.url_name) == (
        invoice.number,
        "Toner jamais livré",
        "in_progress",
        "billing:invoice",
    )
    with tenant_scope(org_a):
        services.dispute_reject(actor=agent_be, dispute=dispute, reason="Le tarif est celui du contrat.")
    case.refresh_from_db()
    assert case.status == "refused"


def _rows(org: Any) -> list[tuple[Any, ...]]:
    with across_organisations():
        return list(
            Case.objects.filter(organisation=org)
            .order_by("kind", "source_id")
            .values_list("kind", "number", "status", "waits_for", "carries", "carried_by__kind")
        )


def _listed(client: Any, user: Any) -> list[tuple[str, str]]:
    client.force_login(user)
    page = client.get(url("support:list", "fr"))
    assert page.status_code == 200
    return [(case.kind, case.number) for case in page.context["page"]]


def test_a_dispute_and_its_request_are_one_row_that_follows_the_dispute(  # type: ignore[no-untyped-def]
    client, org_a, customer_a, agent_be, make_invoice
) -> None:
    invoice = make_invoice(org_a, issue_date=today_for(org_a))
    with tenant_scope(org_a):
        dispute = services.dispute_open(actor=customer_a, invoice=invoice, amount=D("121.00"), reason="Toner")
    request = dispute.request
    assert request is not None
    with across_organisations():
        carried = Case.objects.get(kind="request", number=request.number)
    assert carried.carried_by is not None and carried.carried_by.kind == "dispute"
    assert _listed(client, customer_a) == [("dispute", invoice.number)]
    client.force_login(customer_a)
    html = client.get(url("support:list", "fr")).content.decode()
    with translation.override("fr"):
        assert f'href="{reverse("billing:invoice", kwargs={"number": invoice.number})}"' in html
    assert request.number not in html
    # The agents answer in the conversation: still one row; the dispute's decision moves it.
    with tenant_scope(org_a):
        support_services.agent_comment(actor=agent_be, request=request, body="Reçu.", then=Status.WAITING)
    assert _listed(client, customer_a) == [("dispute", invoice.number)]
    with tenant_scope(org_a):
        services.dispute_credit(actor=agent_be, dispute=dispute, note="Avoir émis.")
    with across_organisations():
        assert Case.objects.get(kind="dispute", source_id=dispute.pk).status == "resolved"
    assert [kind for kind, _number in _listed(client, customer_a)].count("dispute") == 1
    assert ("request", request.number) not in _listed(client, customer_a)
    # The timeline has no second "opened" for the conversation.
    client.force_login(customer_a)
    steps = client.get("/api/v1/activity").json()["items"]
    assert [(step["event"], step["number"], step["status"]) for step in steps] == [
        ("status", invoice.number, "resolved"),
        ("status", invoice.number, "in_progress"),
        ("opened", invoice.number, "in_progress"),
    ]


def test_without_the_invoices_grant_the_request_stays_listed(client, org_a, customer_a, make_invoice) -> None:  # type: ignore[no-untyped-def]
    invoice = make_invoice(org_a, issue_date=today_for(org_a))
    with tenant_scope(org_a):
        dispute = services.dispute_open(actor=customer_a, invoice=invoice, amount=D("10.00"), reason="Prix")
    requests_only = make_member(org_a, email="req@example.com", language="fr")
    grant_all(requests_only, org_a, ["requests"])
    assert dispute.request is not None
    assert _listed(client, requests_only) == [("request", dispute.request.number)]


def test_sync_cases_rebuilds_the_same_single_row(client, org_a, customer_a, agent_be, make_invoice) -> None:  # type: ignore[no-untyped-def]
    invoice = make_invoice(org_a, issue_date=today_for(org_a))
    with tenant_scope(org_a):
        dispute = services.dispute_open(actor=customer_a, invoice=invoice, amount=D("121.00"), reason="Toner")
        services.dispute_reject(actor=agent_be, dispute=dispute, reason="Tarif du contrat.")
    before = _rows(org_a)  # the last change comes from the contexts on a rebuild: compared elsewhere
    with across_organisations():
        Case.objects.all().delete()
    call_command("sync_cases")
    assert _rows(org_a) == before
    # Only the requests rebuilt (the disputes' rows kept): the request found again is folded again.
    with across_organisations():
        Case.objects.filter(kind="request").delete()
    call_command("sync_cases", kind=["request"])
    assert _rows(org_a) == before
    assert _listed(client, customer_a) == [("dispute", invoice.number)]


def test_a_reply_on_the_disputes_conversation_moves_its_row(client, org_a, customer_a, agent_be, make_invoice) -> None:  # type: ignore[no-untyped-def]
    """The request a dispute carries is not listed apart: its replies move the dispute's row (last change,
    and whom it waits for while the dispute is open), in My requests and `GET /api/v1/cases`."""
    from datetime import timedelta

    from django.utils import timezone

    invoice = make_invoice(org_a, issue_date=today_for(org_a))
    with tenant_scope(org_a):
        dispute = services.dispute_open(actor=customer_a, invoice=invoice, amount=D("121.00"), reason="Toner")
    request = dispute.request
    assert request is not None
    long_ago = timezone.now() - timedelta(days=3)
    with across_organisations():
        Case.objects.filter(organisation=org_a).update(updated_at=long_ago)

    def row() -> dict[str, Any]:
        client.force_login(customer_a)
        items = client.get("/api/v1/cases").json()["items"]
        assert [item["kind"] for item in items] == ["dispute"]
        return dict(items[0])

    assert row()["waits_for"] == "vendor"
    with tenant_scope(org_a):
        support_services.agent_comment(
            actor=agent_be, request=request, body="Le bon de livraison ?", then=Status.WAITING
        )
    asked = row()
    assert asked["waits_for"] == "customer" and asked["status"] == "in_progress"
    assert asked["updated_at"] > long_ago.isoformat().replace("+00:00", "Z")
    client.force_login(customer_a)
    page = client.get(url("support:list", "fr"))
    assert [(case.kind, case.waits_for) for case in page.context["page"]] == [("dispute", "customer")]
    # The customer answers: the dispute waits for the vendor again, and moved once more.
    with tenant_scope(org_a):
        support_services.customer_reply(actor=customer_a, request=request, body="Le voici.")
    answered = row()
    assert answered["waits_for"] == "vendor" and answered["updated_at"] >= asked["updated_at"]
    # A rebuild gives the same row.
    call_command("sync_cases")
    assert row() == answered
    # Decided: it waits for nobody, whatever its conversation does.
    with tenant_scope(org_a):
        support_services.agent_comment(actor=agent_be, request=request, body="Encore ?", then=Status.WAITING)
        services.dispute_credit(actor=agent_be, dispute=dispute, note="Avoir émis.")
    decided = row()
    assert (decided["status"], decided["waits_for"]) == ("resolved", "")
