"""The agents' console: queue and filters, request page, assignment, replies and notes, bulk, satisfaction."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.support import services
from guichet.support.models import Attachment, CannedReply, Request, Status
from tests.accounts.factories import make_agent
from tests.support.conftest import PDF, url

pytestmark = pytest.mark.django_db


def numbers(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.number for row in response.context["rows"]]


def test_console_is_for_staff_only(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    assert client.get(url("support_console:queue")).status_code == 403
    assert client.get(url("support_console:satisfaction")).status_code == 403


def test_staff_navigation_links_to_the_queue(client, agent_be) -> None:  # type: ignore[no-untyped-def]
    client.force_login(agent_be)
    page = client.get(url("support_console:queue")).content.decode()
    assert f'href="{url("support_console:queue")}">Requests</a>' in page


def test_agent_of_another_country_gets_404(client, org_a, customer_a, agent_ro, make_request) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a, files=[("facture.pdf", PDF)])
    with tenant_scope(org_a):
        attachment = Attachment.objects.get(request=item)
    client.force_login(agent_ro)
    assert client.get(url("support_console:detail", number=item.number)).status_code == 404
    assert client.get(url("support_console:attachment", number=item.number, pk=attachment.pk)).status_code == 404
    assert client.post(url("support_console:assign", number=item.number), {"assignee": "me"}).status_code == 404
    assert client.post(url("support_console:reply", number=item.number), {"body": "x"}).status_code == 404
    assert item.number not in numbers(client.get(url("support_console:queue")))
    item.refresh_from_db()
    assert item.assignee is None


def test_detail_shows_facts_sla_agents_canned_replies_and_internal_notes(  # type: ignore[no-untyped-def]
    client, org_a, customer_a, agent_be, make_request
) -> None:
    colleague = make_agent("BE", email="colleague.be@example.com", first_name="Luc", last_name="Dupont")
    CannedReply.objects.create(
        title="Copie envoyée", language="fr", body="Bonjour,\nvous trouverez la copie <ci-jointe>."
    )
    CannedReply.objects.create(title="Sent", language="en", body="English text")
    item = make_request(org_a, customer_a, files=[("facture.pdf", PDF)])
    with tenant_scope(org_a):
        services.agent_comment(actor=agent_be, request=item, body="Vérifier le crédit", internal=True)
        file_url = url("support_console:attachment", number=item.number, pk=Attachment.objects.get(request=item).pk)
    client.force_login(agent_be)
    response = client.get(url("support_console:detail", number=item.number))
    page = response.content.decode()
    assert response.status_code == 200
    assert item.number in page and "INV-2026-1" in page and org_a.name in page and customer_a.email in page
    assert 'data-testid="resolution-due"' in page and 'data-testid="sla-state"' in page
    assert "Vérifier le crédit" in page and "Internal note" in page and 'data-internal="true"' in page
    assert f'<option value="{colleague.pk}"' in page
    # Canned replies are loaded when the agent opens them (htmx), not with every view of the page.
    canned_url = url("support_console:canned", number=item.number)
    assert f'hx-get="{canned_url}"' in page and "Copie envoyée" not in page
    # In the customer's language only, their text escaped in a template element.
    replies = client.get(canned_url, headers={"HX-Request": "true"}).content.decode()
    assert "Copie envoyée" in replies and "English text" not in replies
    assert "&lt;ci-jointe&gt;" in replies and 'data-canned="canned-' in replies
    assert file_url in page
    download = client.get(file_url)
    assert download["Content-Disposition"].startswith("attachment;")


def test_agent_assigns_replies_and_waits_then_the_customer_answers(  # type: ignore[no-untyped-def]
    client, org_a, customer_a, agent_be, make_request, smtp_sink, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        item = make_request(org_a, customer_a)
    smtp_sink.wait_for(1)
    client.force_login(agent_be)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("support_console:assign", number=item.number), {"assignee": "me"})
    assert response.status_code == 303
    item.refresh_from_db()
    assert item.assignee == agent_be and item.status == Status.ASSIGNED
    assigned = smtp_sink.wait_for(2)[-1]
    assert item.number in assigned["Subject"] and agent_be.get_full_name() in smtp_sink.text(assigned)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("support_console:reply", number=item.number),
            {"body": "Nous préparons la copie.", "then": "in_progress"},
        )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("support_console:reply", number=item.number),
            {"body": "De quel mois s'agit-il ?", "then": "waiting_on_customer"},
        )
    item.refresh_from_db()
    assert item.status == Status.WAITING and item.first_response_at is not None
    messages = smtp_sink.wait_for(4)
    to_customer = smtp_sink.to(customer_a.email)
    assert len(to_customer) == 4 and len(messages) == 4
    assert "Nous préparons la copie." in smtp_sink.text(to_customer[2])
    assert "De quel mois s'agit-il ?" in smtp_sink.text(to_customer[3])
    assert all(m["References"] == to_customer[0]["References"] for m in to_customer)

    client.force_login(customer_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("support:reply", number=item.number), {"body": "Mars 2026"})
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS
    # The assignee is told in turn.
    [to_agent] = [m for m in smtp_sink.wait_for(5) if agent_be.email in str(m["To"])]
    assert "Mars 2026" in smtp_sink.text(to_agent)


def test_assign_to_a_colleague_and_status_changes(client, org_a, customer_a, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    colleague = make_agent("BE", email="colleague.be@example.com")
    item = make_request(org_a, customer_a)
    client.force_login(agent_be)
    client.post(url("support_console:assign", number=item.number), {"assignee": str(colleague.pk)})
    item.refresh_from_db()
    assert item.assignee == colleague

    # An agent of another country, or nobody, cannot be chosen.
    other = make_agent("RO", email="other.ro@example.com")
    refused = client.post(url("support_console:assign", number=item.number), {"assignee": str(other.pk)}, follow=True)
    assert "another country" in refused.content.decode()
    bogus = client.post(url("support_console:assign", number=item.number), {"assignee": "x"}, follow=True)
    assert "Choose an agent." in bogus.content.decode()
    item.refresh_from_db()
    assert item.assignee == colleague

    client.post(url("support_console:status", number=item.number), {"status": "resolved"})
    item.refresh_from_db()
    assert item.status == Status.RESOLVED
    client.post(url("support_console:status", number=item.number), {"status": "closed"})
    refused = client.post(url("support_console:status", number=item.number), {"status": "in_progress"}, follow=True)
    assert "That status change is not possible from here." in refused.content.decode()
    item.refresh_from_db()
    assert item.status == Status.CLOSED
    page = client.get(url("support_console:detail", number=item.number)).content.decode()
    assert 'data-testid="reply-form"' not in page and 'data-testid="assign-me"' not in page


def test_internal_note_with_file_stays_internal(client, org_a, customer_a, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = make_request(org_a, customer_a)
    client.force_login(agent_be)
    client.post(
        url("support_console:reply", number=item.number),
        {"body": "Avoir à vérifier", "internal": "on", "attachments": SimpleUploadedFile("notes.pdf", PDF)},
    )
    with tenant_scope(org_a):
        attachment = Attachment.objects.get(request=item)
    assert attachment.internal
    console = client.get(url("support_console:detail", number=item.number)).content.decode()
    assert "Avoir à vérifier" in console and "notes.pdf" in console
    client.force_login(customer_a)
    page = client.get(url("support:detail", number=item.number)).content.decode()
    assert "Avoir à vérifier" not in page and "notes.pdf" not in page
    assert client.get(url("support:attachment", number=item.number, pk=attachment.pk)).status_code == 404


def test_empty_agent_reply_is_refused(client, org_a, customer_a, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a)
    client.force_login(agent_be)
    response = client.post(url("support_console:reply", number=item.number), {"body": ""}, follow=True)
    assert "Write a message." in response.content.decode()


def test_bulk_assign_and_close(client, org_a, org_b, customer_a, customer_b, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    first, second, third = (make_request(org_a, customer_a) for _ in range(3))
    foreign = make_request(org_b, customer_b)
    client.force_login(agent_be)
    page = client.get(url("support_console:queue")).content.decode()
    assert f'name="numbers" value="{first.number}" form="bulk"' in page

    # One checkbox per row, a foreign number among them: it is skipped, the others done.
    response = client.post(
        url("support_console:bulk"),
        {"action": "assign_me", "numbers": [first.number, second.number, foreign.number]},
        follow=True,
    )
    assert "2 requests updated." in response.content.decode()
    with across_organisations():
        assert set(Request.objects.filter(assignee=agent_be).values_list("number", flat=True)) == {
            first.number,
            second.number,
        }
    # The comma-joined form works too.
    client.post(url("support_console:bulk"), {"action": "close", "numbers": f"{second.number},{third.number}"})
    for item in (first, second, third, foreign):
        item.refresh_from_db()
    assert [first.status, second.status, third.status] == [Status.ASSIGNED, Status.CLOSED, Status.CLOSED]
    assert foreign.status == Status.SUBMITTED and foreign.assignee is None

    nothing = client.post(url("support_console:bulk"), {"action": "close"}, follow=True)
    assert "Choose requests and an action." in nothing.content.decode()


def test_queue_filters(client, org_a, customer_a, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    invoice = make_request(org_a, customer_a, subject="Facture en double")
    order = make_request(org_a, customer_a, type="orders", subject="Toner manquant", details={"order_number": "ORD-1"})
    late = make_request(org_a, customer_a, type="general", subject="Question", details={})
    done = make_request(org_a, customer_a, type="general", subject="Réglé", details={})
    with across_organisations():
        # A due time changed past the services (an import, a repair by hand): its SLA marks are
        # dropped and the backfill command computes them again.
        Request.objects.filter(pk=late.pk).update(
            resolution_due=timezone.now() - timedelta(hours=2), sla_at_risk_from=None, sla_breached_from=None
        )
    call_command("backfill_sla", stdout=StringIO())
    with tenant_scope(org_a):
        services.request_assign(actor=agent_be, request=order, assignee=agent_be)
        services.request_set_status(actor=agent_be, request=done, status=Status.RESOLVED)
    client.force_login(agent_be)
    queue = url("support_console:queue")

    # By default: open requests, the most urgent first.
    default = client.get(queue)
    assert set(numbers(default)) == {invoice.number, order.number, late.number}
    assert numbers(default)[0] == late.number
    assert numbers(client.get(queue, {"type": "orders", "status": "open"})) == [order.number]
    assert numbers(client.get(queue, {"status": "resolved"})) == [done.number]
    assert set(numbers(client.get(queue, {"status": ""}))) == {invoice.number, order.number, late.number, done.number}
    assert numbers(client.get(queue, {"status": "open", "assignee": "me"})) == [order.number]
    assert order.number not in numbers(client.get(queue, {"status": "open", "assignee": "none"}))
    assert numbers(client.get(queue, {"status": "open", "q": "toner"})) == [order.number]
    assert numbers(client.get(queue, {"status": "open", "country": "RO"})) == []

    breached = client.get(queue, {"status": "open", "sla": "breached"})
    assert numbers(breached) == [late.number]
    page = breached.content.decode()
    assert 'data-sla="breached"' in page and "Breached" in page and " late" in page
    # Waiting on the customer stops the clock: not breached, shown as paused.
    with tenant_scope(org_a):
        services.request_set_status(actor=agent_be, request=late, status=Status.WAITING)
    assert numbers(client.get(queue, {"status": "open", "sla": "breached"})) == []
    assert 'data-sla="paused"' in client.get(queue).content.decode()


def test_queue_page_markup_is_accessible(client, org_a, customer_a, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a)
    client.force_login(agent_be)
    page = client.get(url("support_console:queue")).content.decode()
    assert "<caption" in page and 'scope="col"' in page and 'scope="row"' in page
    assert f'aria-label="Select {item.number}"' in page
    assert url("support_console:detail", number=item.number) in page
    assert "On time" in page  # the SLA state is written, not only coloured


def test_satisfaction_per_agent_and_type(client, org_a, customer_a, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    for rating, request_type in ((5, "invoices"), (3, "invoices"), (4, "general")):
        item = make_request(org_a, customer_a, type=request_type)
        with tenant_scope(org_a):
            services.request_assign(actor=agent_be, request=item, assignee=agent_be)
            services.request_set_status(actor=agent_be, request=item, status=Status.RESOLVED)
            services.request_rate(actor=customer_a, request=item, rating=rating)
    client.force_login(agent_be)
    response = client.get(url("support_console:satisfaction"))
    assert response.context["per_agent"][0]["count"] == 3
    page = response.content.decode()
    assert agent_be.last_name in page and "4.00" in page
    assert "Invoices and payments" in page and "General question" in page
    assert "<caption" in page and 'scope="row"' in page


def test_queue_and_list_rows_escape_what_people_typed(client, org_a, customer_a, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    """The rows printed by the Jinja2 partials (support/jinja2/) escape a title as the templates did."""
    item = make_request(org_a, customer_a, subject='<script>alert("x")</script> & co')
    client.force_login(agent_be)
    queue = client.get(url("support_console:queue")).content.decode()
    assert "<script>alert" not in queue
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co" in queue
    assert f'<a href="{url("support_console:detail", number=item.number)}">{item.number}</a>' in queue
    client.force_login(customer_a)
    mine = client.get(url("support:list", language="fr")).content.decode()
    assert "<script>alert" not in mine
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co" in mine
    assert f'<a href="{url("support:detail", language="fr", number=item.number)}">{item.number}</a>' in mine


def test_the_request_page_reads_no_canned_reply_and_the_disclosure_loads_them(  # type: ignore[no-untyped-def]
    client, org_a, customer_a, agent_be, make_request
) -> None:
    item = make_request(org_a, customer_a)
    client.force_login(agent_be)
    client.get(url("support_console:detail", number=item.number))  # warm the per-process caches
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url("support_console:detail", number=item.number)).content.decode()
    assert not [q for q in captured if "support_cannedreply" in q["sql"]]
    assert 'data-testid="canned-replies"' in page and 'hx-trigger="toggle once"' in page
    # None in the customer's language (French): the disclosure says so, translated.
    CannedReply.objects.create(title="Sent", language="en", body="English text")
    empty = client.get(url("support_console:canned", language="fr", number=item.number)).content.decode()
    assert "English text" not in empty and 'data-testid="no-canned-replies"' in empty
    assert "Aucune réponse type" in empty


def test_the_queue_pages_25_requests_at_a_time_by_key(client, org_a, customer_a, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    """Like the other lists (PAGE_SIZE); PAGE_SIZES="support_queue:50" gives the 50 it showed before."""
    made = [make_request(org_a, customer_a, subject=f"Question {n}").number for n in range(27)]
    client.force_login(agent_be)
    first = client.get(url("support_console:queue"))
    assert len(numbers(first)) == 25
    cursor = first.context["page"].next
    assert cursor
    second = client.get(url("support_console:queue") + f"?cursor={cursor}")
    assert sorted(numbers(first) + numbers(second)) == sorted(made)
