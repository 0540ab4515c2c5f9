"""Prometheus metrics: requests by view and status, latency, the outbox backlog, Celery tasks; who may scrape."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from prometheus_client import REGISTRY

from guichet.core.models import OutboxMessage
from guichet.core.notifications.tasks import sweep_outbox

pytestmark = pytest.mark.django_db


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_requests_are_counted_by_view_method_and_status(client: Client) -> None:
    ok = {"view": "help:home", "method": "GET", "status": "200"}
    missing = {"view": "help:article", "method": "GET", "status": "404"}
    before = sample("guichet_http_requests_total", **ok), sample("guichet_http_requests_total", **missing)
    timed = sample("guichet_http_request_duration_seconds_count", view="help:home", method="GET")

    assert client.get("/en/help/").status_code == 200
    assert client.get("/en/help/articles/no-such-article/").status_code == 404

    assert sample("guichet_http_requests_total", **ok) == before[0] + 1
    assert sample("guichet_http_requests_total", **missing) == before[1] + 1
    assert sample("guichet_http_request_duration_seconds_count", view="help:home", method="GET") == timed + 1


def test_labels_stay_a_short_list(client: Client) -> None:
    """Unknown paths and invented methods share one label each: a scanner cannot grow the series."""
    unresolved = {"view": "<unresolved>", "method": "other", "status": "404"}
    before = sample("guichet_http_requests_total", **unresolved)
    client.generic("BREW", "/no/such/page/")
    assert sample("guichet_http_requests_total", **unresolved) == before + 1


def test_celery_tasks_are_counted_by_final_state() -> None:
    labels = {"task": "guichet.core.notifications.tasks.sweep_outbox", "state": "SUCCESS"}
    before = sample("guichet_celery_tasks_total", **labels)
    sweep_outbox.delay()  # eager here (no broker); a worker sends the same signals
    assert sample("guichet_celery_tasks_total", **labels) == before + 1


def _outbox(status: str, n: int) -> None:
    for i in range(n):
        OutboxMessage.objects.create(
            to="x@example.com", language="en", template="t", message_id=f"<{status}{i}@t>", status=status
        )


def test_metrics_show_the_outbox_backlog(client: Client) -> None:
    _outbox(OutboxMessage.Status.PENDING, 3)
    _outbox(OutboxMessage.Status.FAILED, 1)
    _outbox(OutboxMessage.Status.SENT, 5)
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'guichet_outbox_messages{status="pending"} 3.0' in text
    assert 'guichet_outbox_messages{status="failed"} 1.0' in text
    assert "guichet_http_requests_total" in text


@pytest.mark.parametrize(
    ("remote", "headers", "status"),
    [
        ("127.0.0.1", {}, 200),
        ("::1", {}, 200),
        ("10.0.0.5", {}, 403),
        ("127.0.0.1", {"X-Forwarded-For": "203.0.113.9"}, 403),  # through a proxy on this host: anyone
    ],
)
def test_without_a_token_only_this_host_may_scrape(client: Client, remote: str, headers: dict, status: int) -> None:
    assert client.get("/metrics", REMOTE_ADDR=remote, headers=headers).status_code == status


@pytest.mark.parametrize(
    ("authorization", "status"),
    [("", 403), ("Bearer wrong", 403), ("Basic c2VjcmV0", 403), ("Bearer s3cret-token", 200)],
)
def test_with_a_token_only_its_bearer_may_scrape(
    client: Client, settings: Any, authorization: str, status: int
) -> None:
    settings.METRICS_TOKEN = "s3cret-token"
    headers = {"Authorization": authorization} if authorization else {}
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.5", headers=headers).status_code == status
    assert client.get("/metrics", headers=headers).status_code == status  # loopback gets no pass either
