"""The agents' console home: their own queues within their jurisdiction, the counts, the 30-day chart."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override as translation_override

from guichet.accounts.models import User
from guichet.core.calendar import today_for_staff, today_in
from guichet.core.charts import flow_chart
from guichet.core.home import Day
from guichet.core.rows import moment
from guichet.core.tenancy import across_organisations
from guichet.support.models import Request, Status

pytestmark = pytest.mark.django_db


def make_request(organisation: Any, requester: User, number: str, **fields: Any) -> Request:
    with across_organisations():
        return Request.objects.create(
            organisation=organisation,
            number=number,
            type="invoices",
            subject=f"Subject {number}",
            description="…",
            requester=requester,
            contact_name="A",
            contact_email="a@example.com",
            language="fr",
            **fields,
        )


def console(user: User) -> Any:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("console:home"))
    assert response.status_code == 200
    return response


def test_the_agents_queues_hold_their_own_countrys_requests(customer_a, org_a, customer_b, org_b, agent_be) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    # The service-level marks as the business calendar stores them (support/sla.py), set outright so
    # that the day of the week the test runs on changes nothing.
    hour = timedelta(hours=1)
    safe = {"sla_at_risk_from": now + 48 * hour, "sla_breached_from": now + 72 * hour}
    at_risk = {"sla_at_risk_from": now - hour, "sla_breached_from": now + 2 * hour}
    breached = {"sla_at_risk_from": now - 3 * hour, "sla_breached_from": now - 2 * hour}
    make_request(org_a, customer_a, "BE-1", assignee=agent_be, resolution_due=now + 72 * hour, **safe)
    make_request(org_a, customer_a, "BE-2", resolution_due=now + 2 * hour, **at_risk)  # unassigned
    make_request(org_a, customer_a, "BE-3", resolution_due=now - 2 * hour, **breached)  # unassigned
    make_request(org_a, customer_a, "BE-4", status=Status.WAITING, resolution_due=now - 2 * hour, **breached)
    make_request(org_a, customer_a, "BE-5", status=Status.CLOSED)
    make_request(org_b, customer_b, "RO-1", resolution_due=now - 2 * hour, **breached)
    queues = {q.key: q for q in console(agent_be).context["view"].queues}
    assert [r.number for r in queues["mine"].rows] == ["BE-1"]
    assert [r.number for r in queues["at_risk"].rows] == ["BE-2"]
    assert [r.number for r in queues["breached"].rows] == ["BE-3"]  # a waiting request's clock is paused
    assert sorted(r.number for r in queues["unassigned"].rows) == ["BE-2", "BE-3", "BE-4"]
    assert queues["unassigned"].count == 3
    assert queues["breached"].url == reverse("support_console:queue") + "?sla=breached"


def test_counts_per_context_and_the_chart(customer_a, org_a, agent_be, agent_ro) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    make_request(org_a, customer_a, "BE-1", created_at=now - timedelta(days=2))
    make_request(
        org_a,
        customer_a,
        "BE-2",
        status=Status.RESOLVED,
        created_at=now - timedelta(days=3),
        resolution_due=now,
        resolved_at=now - timedelta(days=1),
    )
    make_request(
        org_a,
        customer_a,
        "BE-3",
        status=Status.RESOLVED,
        created_at=now - timedelta(days=3),
        resolution_due=now - timedelta(days=2),
        resolved_at=now - timedelta(days=1),
    )
    response = console(agent_be)
    view = response.context["view"]
    assert len(view.days) == 30 and view.days[-1].day == today_for_staff(agent_be)
    assert sum(d.opened for d in view.days) == 3 and sum(d.resolved for d in view.days) == 2
    assert response.context["chart"].met_percent == 50
    figures = {f.label: f.value for f in view.figures}
    assert figures["open requests"] == "1"
    assert {"access requests to decide", "contracts to countersign", "repairs to dispatch", "open disputes"} <= set(
        figures
    )
    html = response.content.decode()
    assert '<svg class="w-100 h-auto"' in html and 'role="img"' in html
    assert '<title id="flow-svg-title">' in html and '<desc id="flow-svg-desc">' in html
    assert 'data-testid="flow-table"' in html and "Service level met for 50 %" in html
    assert "<script" not in html.split('data-testid="console-chart"')[1].split("</section>")[0]
    # another country's agent counts none of it
    other = console(agent_ro).context["view"]
    assert sum(d.opened for d in other.days) == 0
    assert {f.label: f.value for f in other.figures}["open requests"] == "0"
    # Buy Tech is Belgian: its count is for Belgium's agents only (others have no Buy Tech console)
    assert figures["Buy Tech orders to confirm"] == "0"
    assert "Buy Tech orders to confirm" not in {f.label for f in other.figures}


def test_the_chart_scales_to_its_busiest_day() -> None:
    today = today_in("BE")
    days = [
        Day(day=today - timedelta(days=2 - i), opened=o, resolved=r, met=m)
        for i, (o, r, m) in enumerate([(0, 0, 0), (4, 2, 1), (2, 1, 1)])
    ]
    chart = flow_chart(days)
    assert chart.peak == 4
    assert chart.opened[1].height == chart.baseline and chart.opened[1].y == 0
    assert chart.resolved[1].height == chart.baseline / 2
    assert chart.opened[0].height == 0
    assert chart.met_percent == 67
    assert flow_chart([Day(day=today, opened=0, resolved=0, met=0)]).met_percent is None


def test_customers_do_not_get_the_console_home(customer_a) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(customer_a)
    assert client.get(reverse("console:home")).status_code == 403


def test_the_chart_reads_the_same_in_every_language(customer_a, org_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    """SVG geometry is plain numbers: a French page printed `x="0,0"` (Django localises floats), which
    no browser draws. The figures' table says its days in the page's language."""

    now = timezone.now()
    make_request(org_a, customer_a, "BE-1", created_at=now - timedelta(days=2))
    make_request(org_a, customer_a, "BE-2", created_at=now - timedelta(days=1))
    client = Client()
    client.force_login(agent_be)
    html = client.get("/fr/console/").content.decode()
    bars = re.findall(
        r'<rect class="flow-(?:opened|resolved)" x="([^"]*)" y="([^"]*)" width="([^"]*)" height="([^"]*)"', html
    )
    assert len(bars) == 60
    assert all(re.fullmatch(r"\d+(\.\d+)?", value) for bar in bars for value in bar), bars[:3]
    table = html.split('data-testid="flow-table"')[1].split("</table>")[0]
    today = today_for_staff(agent_be)
    with translation_override("fr"):
        assert f'<tr><th scope="row">{moment(today, "medium")}</th>' in table
    assert table.count('<tr><th scope="row">') == 30
