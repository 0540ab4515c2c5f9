"""Workflow and service-level rules, at their edges."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.support import rules


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("submitted", "assigned", True),
        ("assigned", "submitted", False),
        ("waiting_on_customer", "in_progress", True),
        ("resolved", "in_progress", True),
        ("closed", "in_progress", False),
        ("in_progress", "closed", True),
    ],
)
def test_agent_transitions(current: str, target: str, allowed: bool) -> None:
    assert rules.agent_may_move(current, target) is allowed


def test_customer_reply_wakes_a_waiting_or_resolved_request() -> None:
    assert rules.status_after_customer_reply("waiting_on_customer") == "in_progress"
    assert rules.status_after_customer_reply("resolved") == "in_progress"
    assert rules.status_after_customer_reply("assigned") == "assigned"


@pytest.mark.parametrize(
    ("status", "since", "allowed"),
    [
        ("resolved", timedelta(days=100), True),
        ("closed", rules.REOPEN_WINDOW - timedelta(seconds=1), True),
        ("closed", rules.REOPEN_WINDOW, True),
        ("closed", rules.REOPEN_WINDOW + timedelta(seconds=1), False),
        ("in_progress", timedelta(0), False),
    ],
)
def test_reopen_window(status: str, since: timedelta, allowed: bool) -> None:
    assert rules.customer_may_reopen(status, since) is allowed


@pytest.mark.parametrize("priority", rules.PRIORITIES)
def test_resolution_target_is_longer_than_first_response(priority: str) -> None:
    assert rules.resolution_target("general", priority) > rules.first_response_target(priority)
    assert rules.resolution_target("contracts", priority) > rules.resolution_target("general", priority)


@given(st.integers(min_value=1, max_value=200))
def test_sla_state_edges(hours: int) -> None:
    target = timedelta(hours=hours)
    assert rules.sla_state(timedelta(0), target) == "breached"
    assert rules.sla_state(-timedelta(minutes=1), target) == "breached"
    assert rules.sla_state(target * rules.AT_RISK_SHARE, target) == "at_risk"
    assert rules.sla_state(target * rules.AT_RISK_SHARE + timedelta(seconds=1), target) == "ok"
