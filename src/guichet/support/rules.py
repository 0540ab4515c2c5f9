"""Request workflow and service levels (pure policy: plain values in, plain values out)."""

from __future__ import annotations

from datetime import timedelta

# --- who may send what ------------------------------------------------------------
# An identity alone lets a person ask a question (the vendor's FAQ: "with your ID you can ask
# your questions"): this one type needs no "requests" grant. Without the grant a person sees
# only the questions they sent themselves; every other type keeps its grant.
QUESTION_TYPE = "general"


def may_submit(request_type: str, *, has_requests_grant: bool) -> bool:
    return has_requests_grant or request_type == QUESTION_TYPE


# --- statuses and who may move a request where ------------------------------------
SUBMITTED = "submitted"
ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
WAITING = "waiting_on_customer"
RESOLVED = "resolved"
CLOSED = "closed"
OPEN_STATUSES = frozenset({SUBMITTED, ASSIGNED, IN_PROGRESS, WAITING})

AGENT_TRANSITIONS: dict[str, frozenset[str]] = {
    SUBMITTED: frozenset({ASSIGNED, IN_PROGRESS, WAITING, RESOLVED, CLOSED}),
    ASSIGNED: frozenset({IN_PROGRESS, WAITING, RESOLVED, CLOSED}),
    IN_PROGRESS: frozenset({WAITING, RESOLVED, CLOSED}),
    WAITING: frozenset({IN_PROGRESS, RESOLVED, CLOSED}),
    RESOLVED: frozenset({IN_PROGRESS, CLOSED}),
    CLOSED: frozenset(),
}


def agent_may_move(current: str, target: str) -> bool:
    return target in AGENT_TRANSITIONS.get(current, frozenset())


# A resolved request closes by itself after this many business days without a customer reply.
AUTO_CLOSE_AFTER_BUSINESS_DAYS = 5
# The customer may reopen a closed request within this many calendar days of its closing.
REOPEN_WINDOW = timedelta(days=14)


def customer_may_close(status: str) -> bool:
    return status != CLOSED


def customer_may_reopen(status: str, closed_or_resolved_for: timedelta) -> bool:
    if status == RESOLVED:
        return True
    return status == CLOSED and closed_or_resolved_for <= REOPEN_WINDOW


def status_after_customer_reply(status: str) -> str:
    """A customer's reply puts a waiting request back in the agents' hands."""
    if status == WAITING:
        return IN_PROGRESS
    if status == RESOLVED:
        return IN_PROGRESS
    return status


# --- service levels, in business hours of the organisation's support centre ----------
PRIORITIES = ("low", "normal", "high", "urgent")

FIRST_RESPONSE = {
    "urgent": timedelta(hours=1),
    "high": timedelta(hours=4),
    "normal": timedelta(hours=8),
    "low": timedelta(hours=16),
}
RESOLUTION = {
    "urgent": timedelta(hours=8),
    "high": timedelta(hours=24),
    "normal": timedelta(hours=40),
    "low": timedelta(hours=80),
}
# Some request types carry more work; their resolution target is longer.
RESOLUTION_FACTOR_BY_TYPE = {"contracts": 1.5, "inventory": 1.5}
# A request is "at risk" when less than this share of its target time is left.
AT_RISK_SHARE = 0.25


def first_response_target(priority: str) -> timedelta:
    return FIRST_RESPONSE[priority]


def resolution_target(request_type: str, priority: str) -> timedelta:
    return RESOLUTION[priority] * RESOLUTION_FACTOR_BY_TYPE.get(request_type, 1.0)


def sla_state(remaining: timedelta, target: timedelta) -> str:
    """ "breached", "at_risk" or "ok" from the business time left against the whole target."""
    if remaining <= timedelta(0):
        return "breached"
    if remaining <= target * AT_RISK_SHARE:
        return "at_risk"
    return "ok"


# Satisfaction is asked on a 1-5 scale once a request is resolved.
RATING_RANGE = range(1, 6)
