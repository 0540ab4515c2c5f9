"""The stored SLA marks say what the business-hours count per row said, at every instant.

Before the marks, the console computed each row's state by counting business hours from now to the
due time and comparing them with a share of the target (`rules.sla_state`). Now the state is a
comparison of now with two instants stored when the due time is set. Hypothesis checks they agree
for any due time, request type, priority, centre and moment, including due times outside opening
hours and moments in the closed stretches around them.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.core.calendar import BusinessCalendar
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.support import rules, selectors, services, sla
from guichet.support.models import Request, Status
from tests.support.conftest import url

CALENDARS = [
    BusinessCalendar(country="BE", tz=ZoneInfo("Europe/Brussels"), opens=time(8, 30), closes=time(17, 0)),
    BusinessCalendar(country="RO", tz=ZoneInfo("Europe/Bucharest"), opens=time(9, 0), closes=time(18, 0)),
    BusinessCalendar(
        country="CA", tz=ZoneInfo("America/Vancouver"), opens=time(8, 0), closes=time(17, 0), subdivision="BC"
    ),
]
instants = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC))


def counted_state(calendar: BusinessCalendar, due: datetime, target: timedelta, now: datetime) -> str:
    """What `selectors.sla_of` computed before the marks, for an open request that is not waiting."""
    if now >= due:
        return "breached"
    return rules.sla_state(calendar.business_hours_between(now, due), target)


@settings(max_examples=300, deadline=None)
@given(
    calendar=st.sampled_from(CALENDARS),
    due=instants,
    request_type=st.sampled_from(["general", "contracts", "inventory"]),
    priority=st.sampled_from(rules.PRIORITIES),
    before=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=12)),
    after=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=2)),
    choose_after=st.booleans(),
)
def test_marks_give_the_counted_state(
    calendar: BusinessCalendar,
    due: datetime,
    request_type: str,
    priority: str,
    before: timedelta,
    after: timedelta,
    choose_after: bool,
) -> None:
    at_risk_from, breached_from = sla.marks(calendar, due, request_type, priority)
    now = due + after if choose_after else due - before
    target = rules.resolution_target(request_type, priority)
    assert sla.state_between(at_risk_from, breached_from, now) == counted_state(calendar, due, target, now)
    # The marks are the edges: a microsecond before each, the state is the earlier one.
    assert sla.state_between(at_risk_from, breached_from, at_risk_from - timedelta(microseconds=1)) == "ok"  # type: ignore[operator]
    assert counted_state(calendar, due, target, at_risk_from) == "at_risk" or at_risk_from == breached_from  # type: ignore[arg-type]


@pytest.mark.django_db
def test_a_new_request_carries_its_marks_and_a_wait_moves_them(org_a, customer_a, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a)
    assert item.sla_breached_from == item.resolution_due  # due within opening hours: breached from then
    assert item.sla_at_risk_from is not None and item.sla_at_risk_from < item.resolution_due
    with tenant_scope(org_a):
        services.request_set_status(actor=agent_be, request=item, status=Status.WAITING)
        Request.objects.filter(pk=item.pk).update(waiting_since=timezone.now() - timedelta(days=3))
        item.refresh_from_db()
        services.request_set_status(actor=agent_be, request=item, status=Status.IN_PROGRESS)
    item.refresh_from_db()
    assert sla.marks(services.calendar_of(org_a), item.resolution_due, item.type, item.priority) == (
        item.sla_at_risk_from,
        item.sla_breached_from,
    )


@pytest.mark.django_db
def test_the_at_risk_filter_lists_exactly_the_rows_shown_at_risk(  # type: ignore[no-untyped-def]
    client, org_a, customer_a, agent_be, make_request
) -> None:
    now = timezone.now()
    items = [make_request(org_a, customer_a, subject=f"Demande {i}") for i in range(4)]
    calendar = services.calendar_of(org_a)
    # Due in 1 hour (at risk, or breached if the centre is closed until then), in 30 days (ok), 2 hours ago (breached).
    dues = [now + timedelta(hours=1), now + timedelta(days=30), now - timedelta(hours=2), now + timedelta(days=30)]
    with across_organisations():
        for item, due in zip(items, dues, strict=True):
            at_risk_from, breached_from = sla.marks(calendar, due, item.type, item.priority)
            Request.objects.filter(pk=item.pk).update(
                resolution_due=due, sla_at_risk_from=at_risk_from, sla_breached_from=breached_from
            )
    client.force_login(agent_be)
    with across_organisations():
        shown = {item.number: selectors.sla_of(Request.objects.get(pk=item.pk)).state for item in items}
    for state in ("at_risk", "breached"):
        page = client.get(url("support_console:queue"), {"status": "open", "sla": state}).content.decode()
        listed = {number for number in shown if f'data-number="{number}"' in page}
        assert listed == {number for number, shown_state in shown.items() if shown_state == state}


@pytest.mark.django_db
def test_the_backfill_command_fills_rows_without_marks(org_a, customer_a, make_request) -> None:  # type: ignore[no-untyped-def]
    items = [make_request(org_a, customer_a) for _ in range(3)]
    with across_organisations():
        Request.objects.update(sla_at_risk_from=None, sla_breached_from=None)
    out = StringIO()
    call_command("backfill_sla", chunk=2, stdout=out)
    assert "3 requests marked." in out.getvalue()
    with across_organisations():
        for item in items:
            stored = Request.objects.get(pk=item.pk)
            assert (stored.sla_at_risk_from, stored.sla_breached_from) == (
                item.sla_at_risk_from,
                item.sla_breached_from,
            )
