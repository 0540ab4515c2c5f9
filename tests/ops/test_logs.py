"""Structured logs: a JSON line per request with its id, the id in the response, tasks and e-mails; no personal data."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from django.test import Client

from guichet.core import request_id
from guichet.core.models import OutboxMessage
from guichet.core.notifications.outbox import enqueue
from guichet.core.notifications.rendering import render
from guichet.core.notifications.tasks import deliver_outbox_message
from guichet.ops import celery_hooks

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-password-1"


class Lines:
    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def parsed(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines()]

    def requests(self) -> list[dict[str, Any]]:
        return [line for line in self.parsed() if line["event"] == "request"]


@pytest.fixture
def logs() -> Iterator[Lines]:
    """What the configured handler writes (settings.LOGGING), into a buffer instead of stderr."""
    root = logging.getLogger()
    configured = next(h for h in root.handlers if isinstance(h.formatter, structlog.stdlib.ProcessorFormatter))
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(configured.formatter)
    root.addHandler(handler)
    try:
        yield Lines(stream)
    finally:
        root.removeHandler(handler)


def test_one_json_line_per_request_with_the_callers_id(client: Client, logs: Lines) -> None:
    response = client.get("/en/help/", headers={"X-Request-ID": "lb-7f3a9c"})
    assert response["X-Request-ID"] == "lb-7f3a9c"
    [line] = logs.requests()
    assert line["request_id"] == "lb-7f3a9c"
    assert line["logger"] == "guichet.request" and line["level"] == "info"
    assert {"method": "GET", "view": "help:home", "route": "en/help/", "status": 200}.items() <= line.items()
    assert line["duration_ms"] >= 0 and line["time"].endswith("Z")


@pytest.mark.parametrize("sent", ["", "has space", "new\nline", "<script>", "x" * 129, "ünïcode"])
def test_an_id_that_is_not_plain_is_replaced(client: Client, logs: Lines, sent: str) -> None:
    headers = {"X-Request-ID": sent} if sent else {}
    response = client.get("/en/help/", headers=headers)
    given = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", given)
    assert logs.requests()[0]["request_id"] == given


def test_no_personal_data_in_the_logs(client: Client, logs: Lines, user_factory: Any) -> None:
    """A sign-in, a failed one and the pages after it: the lines name views, not people or addresses."""
    user = user_factory(email="marie.dupont@example.org", first_name="Marie", last_name="Dupont")
    user.set_password(PASSWORD)
    user.save()
    client.post("/en/accounts/login/", {"login": user.email, "password": "wrong"}, REMOTE_ADDR="198.51.100.23")
    client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.23")
    client.get("/en/profile/", REMOTE_ADDR="198.51.100.23")
    logging.getLogger("guichet.core.notifications.delivery").warning(
        "outbox message 3 not sent: %s", "550 5.1.1 <marie.dupont@example.org>: Recipient address rejected"
    )
    assert len(logs.requests()) == 3
    for personal in ("marie.dupont", "example.org", "Marie", "Dupont", "198.51.100.23"):
        assert personal not in logs.text
    assert "550 5.1.1 <<email>>: Recipient address rejected" in logs.text


def test_the_client_address_only_when_configured(client: Client, logs: Lines, settings: Any) -> None:
    settings.LOG_CLIENT_IP = True
    client.get("/en/help/", REMOTE_ADDR="198.51.100.23")
    assert logs.requests()[0]["client_ip"] == "198.51.100.23"


def test_every_line_of_a_request_carries_its_id(logs: Lines) -> None:
    with request_id.bound("abc-123"):
        logging.getLogger("guichet.billing").warning("payment file rejected")
        structlog.get_logger("guichet.billing").warning("statement late", days=3)
    logging.getLogger("guichet.billing").warning("outside any request")
    first, second, third = logs.parsed()
    assert first["request_id"] == second["request_id"] == "abc-123"
    assert second["days"] == 3
    assert "request_id" not in third


def test_e_mails_carry_the_id_of_the_request_that_wrote_them() -> None:
    with request_id.bound("req-42"):
        message = enqueue(to="ana@example.com", template="access_granted", language="ro", context={})
    message.refresh_from_db()
    assert message.request_id == "req-42"
    assert render(message).extra_headers["X-Request-ID"] == "req-42"
    outside = OutboxMessage.objects.create(
        to="x@example.com", language="en", template="access_granted", message_id="<o@t>"
    )
    assert "X-Request-ID" not in render(outside).extra_headers


def test_tasks_published_in_a_request_carry_its_id() -> None:
    """What Celery hands to before_task_publish is the message's headers, sent along with it."""
    headers: dict[str, Any] = {"id": "task-1", "task": "t"}
    with request_id.bound("req-99"):
        celery_hooks.carry_request_id(headers=headers)
    assert headers["request_id"] == "req-99"
    untouched: dict[str, Any] = {}
    celery_hooks.carry_request_id(headers=untouched)  # beat, or a task published outside any request
    assert untouched == {}


def test_a_task_runs_under_the_id_it_carries() -> None:
    seen: list[str] = []
    original = deliver_outbox_message.run

    def spy(message_id: int) -> None:
        seen.append(request_id.current())
        original(message_id)

    deliver_outbox_message.run = spy  # type: ignore[method-assign]
    try:
        deliver_outbox_message.apply(args=[0], headers={"request_id": "req-7"})  # as sent in a request
        deliver_outbox_message.apply(args=[0])  # as sent by beat: a fresh id of its own
        # A worker puts the message's headers on the task's request itself.
        deliver_outbox_message.push_request(id="task-3", request_id="req-8")
        celery_hooks.bind_request_id(task_id="task-3", task=deliver_outbox_message)
        seen.append(request_id.current())
        celery_hooks.unbind_and_count(task_id="task-3", task=deliver_outbox_message, state="SUCCESS")
        deliver_outbox_message.pop_request()
    finally:
        deliver_outbox_message.run = original  # type: ignore[method-assign]
    assert seen[0] == "req-7"
    assert re.fullmatch(r"[0-9a-f]{32}", seen[1])
    assert seen[2] == "req-8"
    assert request_id.current() == ""  # nothing left bound after the tasks
