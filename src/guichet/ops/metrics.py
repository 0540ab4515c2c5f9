"""Prometheus metrics: requests by view and status, their latency, outbox backlog, Celery tasks.

Under gunicorn (several worker processes) set PROMETHEUS_MULTIPROC_DIR to an empty directory
writable by every process, and start gunicorn with `-c python:guichet.ops.gunicorn`: each process
writes its samples there and whichever worker answers /metrics adds them all up
(prometheus-client's multiprocess mode). Without it the numbers are this process's own.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.http import require_safe
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from guichet.core.models import OutboxMessage

log = logging.getLogger(__name__)

REQUESTS = Counter(
    "guichet_http_requests_total",
    "HTTP requests answered, by view (URL name), method and status code.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "guichet_http_request_duration_seconds",
    "Time to answer an HTTP request, by view (URL name) and method.",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
TASKS = Counter(
    "guichet_celery_tasks_total",
    "Celery tasks run to their end, by task name and final state (SUCCESS, FAILURE, RETRY, …).",
    ["task", "state"],
)
# Statuses whose count is an operator's business: a backlog building up, messages given up on.
OUTBOX_STATUSES = (OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED)


class OutboxCollector(Collector):
    """The outbox backlog, counted in the database when scraped (the same for every process)."""

    def collect(self) -> Iterator[Metric]:
        try:
            counts = dict(
                OutboxMessage.objects.filter(status__in=OUTBOX_STATUSES)
                .values_list("status")
                .annotate(n=Count("pk"))
                .values_list("status", "n")
            )
        except DatabaseError as exc:  # the database being down must not take /metrics down with it
            log.warning("outbox metrics unavailable: %s", type(exc).__name__)
            return
        gauge = GaugeMetricFamily(
            "guichet_outbox_messages", "Outgoing e-mails in the outbox, by status.", labels=["status"]
        )
        for status in OUTBOX_STATUSES:
            gauge.add_metric([str(status)], counts.get(status, 0))
        yield gauge


def exposition() -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REGISTRY)  # a registry is a collector of its metrics
    registry.register(OutboxCollector())
    return generate_latest(registry)


def _loopback_direct(request: HttpRequest) -> bool:
    """From this host, and not relayed by a proxy on it (which would make everyone look local)."""
    if any(header in request.META for header in ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def allowed(request: HttpRequest) -> bool:
    """With METRICS_TOKEN, the bearer token; without it, direct requests from this host only."""
    token = settings.METRICS_TOKEN
    if not token:
        return _loopback_direct(request)
    scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(sent.strip().encode(), token.encode())


@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    if not allowed(request):
        return HttpResponseForbidden("Forbidden.\n", content_type="text/plain; charset=utf-8")
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
