"""Request life cycle through the services: numbers, SLA clock, e-mails and their threading."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from guichet.core.models import OutboxMessage
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.support import services
from guichet.support.models import Request, Status
from guichet.support.selectors import sla_of
from tests.concurrency import at_once

BRUSSELS = ZoneInfo("Europe/Brussels")


def submit(org, user, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "type": "invoices",
        "subject": "Copie de facture",
        "description": "Merci de renvoyer la facture.",
        "details": {"invoice_number": "INV-1"},
        "contact": {"name": "A", "email": user.email},
    }
    data.update(overrides)
    with tenant_scope(org):
        return services.request_submit(actor=user, organisation=org, **data)


@pytest.mark.django_db
def test_numbers_follow_country_and_year(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    first, second = submit(org_a, customer_a), submit(org_a, customer_a)
    year = timezone.now().astimezone(BRUSSELS).year
    assert first.number == f"BE-{year}-000001" and second.number == f"BE-{year}-000002"


@pytest.mark.django_db(transaction=True)
def test_requests_submitted_at_once_get_consecutive_numbers(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    """The number is taken by the request's own INSERT on PostgreSQL (core.numbering.in_insert): still
    one per request, none repeated, none skipped, when four submit at the same moment."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises every writer; concurrent numbering is exercised on PostgreSQL")
    numbers: list[str] = []

    def three() -> None:
        numbers.extend(submit(org_a, customer_a).number for _ in range(3))

    assert at_once(three) == []
    year = timezone.now().astimezone(BRUSSELS).year
    assert sorted(numbers) == [f"BE-{year}-{i:06d}" for i in range(1, 13)]
    with across_organisations():
        assert sorted(Request.objects.values_list("number", flat=True)) == sorted(numbers)


@pytest.mark.django_db
def test_due_times_count_business_hours_only(org_a, customer_a, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    friday_afternoon = datetime(2026, 11, 20, 16, 0, tzinfo=BRUSSELS)
    monkeypatch.setattr(timezone, "now", lambda: friday_afternoon)
    request = submit(org_a, customer_a, priority="high")
    # 4 business hours from Friday 16:00: one on Friday, three on Monday from 08:30.
    assert request.first_response_due == datetime(2026, 11, 23, 11, 30, tzinfo=BRUSSELS)
    # 24 business hours: 1 on Friday, 8.5 on Monday and on Tuesday, 6 on Wednesday: 14:30.
    assert request.resolution_due == datetime(2026, 11, 25, 14, 30, tzinfo=BRUSSELS)


@pytest.mark.django_db
def test_waiting_on_customer_pauses_the_resolution_clock(org_a, customer_a, agent_be, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    clock = {"now": datetime(2026, 11, 23, 9, 0, tzinfo=BRUSSELS)}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    request = submit(org_a, customer_a)
    due_before = request.resolution_due
    with tenant_scope(org_a):
        services.agent_comment(actor=agent_be, request=request, body="Which invoice?", then=Status.WAITING)
        request.refresh_from_db()
        assert sla_of(request).state == "paused"
        clock["now"] = datetime(2026, 11, 23, 12, 0, tzinfo=BRUSSELS)  # 3 business hours later
        services.customer_reply(actor=customer_a, request=request, body="INV-1 of March")
        request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS
    # The 3 paused business hours are added in business time (past Friday's closing, into Monday).
    assert request.resolution_due == services.calendar_of(org_a).add_business_hours(due_before, timedelta(hours=3))
    assert request.resolution_due > due_before + timedelta(hours=3)
    assert request.first_response_at == datetime(2026, 11, 23, 9, 0, tzinfo=BRUSSELS)


@pytest.mark.django_db
def test_every_step_writes_an_outbox_message_threaded_on_the_number(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    request = submit(org_a, customer_a)
    with tenant_scope(org_a):
        services.request_assign(actor=agent_be, request=request, assignee=agent_be)
        services.agent_comment(actor=agent_be, request=request, body="Voici la copie.", then=Status.RESOLVED)
        services.customer_close(actor=customer_a, request=request)
    to_customer = OutboxMessage.objects.filter(to=customer_a.email).order_by("id")
    templates = list(to_customer.values_list("template", flat=True))
    assert templates == ["request_received", "request_assigned", "request_resolved", "request_closed"]
    assert set(OutboxMessage.objects.values_list("thread_key", flat=True)) == {request.number}
    assert OutboxMessage.objects.filter(language="fr").count() == 4


@pytest.mark.django_db
def test_internal_note_sends_nothing_to_the_customer(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    request = submit(org_a, customer_a)
    with tenant_scope(org_a):
        services.agent_comment(actor=agent_be, request=request, body="Check with billing", internal=True)
    assert list(OutboxMessage.objects.values_list("template", flat=True)) == ["request_received"]
    request.refresh_from_db()
    assert request.first_response_at is None


@pytest.mark.django_db
def test_agent_of_another_country_cannot_act(org_a, customer_a, agent_ro) -> None:  # type: ignore[no-untyped-def]
    from guichet.core.errors import PermissionDenied

    request = submit(org_a, customer_a)
    with tenant_scope(org_a), pytest.raises(PermissionDenied):
        services.request_assign(actor=agent_ro, request=request, assignee=agent_ro)


@pytest.mark.django_db
def test_resolved_requests_close_after_five_business_days(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    request = submit(org_a, customer_a)
    with tenant_scope(org_a):
        services.agent_comment(actor=agent_be, request=request, body="Done", then=Status.RESOLVED)
    resolved_friday = datetime(2026, 11, 20, 10, 0, tzinfo=BRUSSELS)
    with across_organisations():
        Request.objects.filter(pk=request.pk).update(resolved_at=resolved_friday)
    # Five business days after Friday 20 November is Friday 27 November.
    assert services.auto_close_resolved(now=datetime(2026, 11, 27, 18, 0, tzinfo=BRUSSELS)) == 0
    assert services.auto_close_resolved(now=datetime(2026, 11, 30, 9, 0, tzinfo=BRUSSELS)) == 1
    request.refresh_from_db()
    assert request.status == Status.CLOSED
    assert services.auto_close_resolved(now=datetime(2026, 11, 30, 9, 0, tzinfo=BRUSSELS)) == 0


@pytest.mark.django_db
def test_breach_escalates_once_to_the_lead_agent(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    request = submit(org_a, customer_a)
    later = request.resolution_due + timedelta(minutes=1)
    assert services.escalate_breaches(now=request.resolution_due - timedelta(minutes=1)) == 0
    assert services.escalate_breaches(now=later) == 1
    assert services.escalate_breaches(now=later) == 0
    assert OutboxMessage.objects.filter(template="request_escalated", to="lead.be@guichet.example").count() == 1


@pytest.mark.django_db
def test_attachment_type_is_checked_from_content(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    from guichet.core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        submit(org_a, customer_a, files=[("facture.pdf", b"MZ\x90\x00 not a pdf at all")])
    assert refused.value.code == "file_type_refused"
    with across_organisations():
        assert Request.objects.count() == 0
    request = submit(org_a, customer_a, files=[("scan", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")])
    with tenant_scope(org_a):
        [attachment] = request.attachments.all()
    assert attachment.content_type == "application/pdf" and attachment.original_name == "scan"


@pytest.mark.django_db(transaction=True)
def test_emails_arrive_threaded_in_the_customers_language(org_a, customer_a, agent_be, smtp_sink) -> None:  # type: ignore[no-untyped-def]
    request = submit(org_a, customer_a)
    with tenant_scope(org_a):
        services.agent_comment(actor=agent_be, request=request, body="Voici la copie.", then=Status.WAITING)
    received, waiting = smtp_sink.wait_for(2)
    assert request.number in received["Subject"]
    assert received["References"] == waiting["References"] == waiting["In-Reply-To"]
    assert received["Message-ID"] != waiting["Message-ID"]
    assert "Voici la copie." in smtp_sink.text(waiting)
    assert "Bonjour" in smtp_sink.text(received)  # customer_a reads French
