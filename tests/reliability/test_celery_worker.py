"""A real Celery worker (prefork, Redis broker) delivers outbox messages over real SMTP, each exactly once.

The worker is a subprocess: it opens the same test database as this process
(a file on SQLite, see settings; the test database on PostgreSQL), so the test
is transactional and commits what it enqueues. Without Redis at 127.0.0.1:6379
the test is skipped with its reason, except under CI=true, where it fails.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from guichet.config import celery_app
from guichet.core import request_id
from guichet.core.models import OutboxMessage
from guichet.core.notifications.outbox import enqueue
from guichet.core.notifications.rendering import thread_root_id
from tests.reliability.conftest import REDIS_HOST, REDIS_PORT, subprocess_database_url
from tests.smtp_sink import SmtpSink

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

CELERY = Path(sys.executable).with_name("celery")
MESSAGES = 6
REQUEST_ID = "worker-test-request"  # the request that enqueued the messages
WORKER_FROM = "Guichet worker <worker@guichet.example>"
CONTEXT = {
    "first_name": "Ana",
    "organisation": "Tipografia",
    "application": "invoices",
    "reason": "",
    "url": "http://x/",
}


def _queue_state() -> dict[str, Any]:
    import redis

    url = celery_app.conf.broker_url
    client = redis.Redis.from_url(url)
    try:
        return {"url": url, "keys": sorted(k.decode() for k in client.scan_iter()), "queued": client.llen("celery")}
    finally:
        client.close()


def _forget_pooled_connections() -> None:
    """Make the app take its broker connections from the broker_url of now (what Celery does after a fork).

    Even eager tasks acquire a producer, so earlier tests leave the app holding
    a pool aimed at Celery's default broker (amqp://localhost); without this,
    .delay() would publish there, not to this test's Redis. The pools
    themselves stay open in kombu's registry, for the tests after this one.
    """
    celery_app.amqp._producer_pool = None
    celery_app._pool = None


def _close_pools_of(url: str) -> None:
    """Close and unregister this test's Redis pools, so no later code reaches them."""
    from kombu import pools
    from kombu.utils.collections import eqhash

    with celery_app.connection_for_write(url) as connection:
        key = eqhash(connection)
    for group in (pools.producers, pools.connections):
        pool = dict.pop(group, key, None)
        if pool is not None:
            pool.force_close_all()
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()


@pytest.fixture
def broker(redis_db: int) -> Iterator[str]:
    """This process sends tasks to Redis instead of running them eagerly, for the test only."""
    url = f"redis://{REDIS_HOST}:{REDIS_PORT}/{redis_db}"
    conf = celery_app.conf
    saved = {
        "broker_url": conf.broker_url,
        "task_always_eager": conf.task_always_eager,
        "broker_transport": conf.broker_transport,
    }
    _forget_pooled_connections()
    # The transport the settings choose for a Redis broker (config/broker.py), as in production.
    conf.broker_url, conf.task_always_eager, conf.broker_transport = url, False, "guichet.config.broker:Transport"
    try:
        yield url
    finally:
        _close_pools_of(url)
        _forget_pooled_connections()
        for name, value in saved.items():
            setattr(conf, name, value)


@pytest.fixture
def worker(
    broker: str, smtp_sink: SmtpSink, transactional_db: None, tmp_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "CELERY_BROKER_URL": broker,
        "DATABASE_URL": subprocess_database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_sink.port}",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "test-only-not-secret",
        "CACHE_URL": os.environ.get("CACHE_URL") or "locmem:",
        "DJANGO_SETTINGS_MODULE": "guichet.config.settings",
        "DEFAULT_FROM_EMAIL": WORKER_FROM,  # proof that the worker, not this process, sent them
        "LOG_FORMAT": "json",
    }
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "guichet.config",
                "worker",
                "--pool=prefork",
                "-c",
                "2",
                "-l",
                "info",  # the "sent" lines (Celery sets the root level from -l)
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                "-n",
                f"test-{os.getpid()}@%h",
            ],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the pool children stop with it
        )
    try:
        yield process
    finally:
        # Stop it (and its pool) before pytest-django flushes or drops the database under it.
        if process.poll() is None:
            process.terminate()  # warm shutdown: the main process stops its pool
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        print(f"--- worker log ---\n{log.read_text(errors='replace')}")


def test_real_worker_delivers_each_message_exactly_once(
    worker: subprocess.Popen[bytes], smtp_sink: SmtpSink, tmp_path: Path
) -> None:
    with request_id.bound(REQUEST_ID), transaction.atomic():
        rows = [
            enqueue(
                to=f"user{i}@example.com",
                template="access_granted",
                language=("fr", "ro", "en")[i % 3],
                context=CONTEXT,
                thread_key=f"worker-{i}",
            )
            for i in range(MESSAGES)
        ]
        assert smtp_sink.messages == []  # not before the commit
    # On commit each id went to Redis; the worker takes them from there.
    try:
        smtp_sink.wait_for(MESSAGES, timeout=60)
    except AssertionError as exc:
        assert worker.poll() is None, f"the worker exited with {worker.returncode}"
        statuses = list(OutboxMessage.objects.values_list("status", "attempts", "last_error"))
        raise AssertionError(f"{exc}; rows (status, attempts, error): {statuses}; broker: {_queue_state()}") from exc
    time.sleep(1.5)  # a duplicate would arrive now

    received = Counter(str(m["Message-ID"]) for m in smtp_sink.messages)
    assert received == Counter(row.message_id for row in rows)  # each one, exactly once
    by_id = {str(m["Message-ID"]): m for m in smtp_sink.messages}
    for row in rows:
        message = by_id[row.message_id]
        assert row.to in str(message["To"])
        assert str(message["From"]) == WORKER_FROM  # the worker sent it, not this process
        assert message["In-Reply-To"] == thread_root_id(row.thread_key)
        assert message["X-Request-ID"] == REQUEST_ID
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
    assert worker.poll() is None  # still up: it delivered, it did not crash
    # The id went to Redis in each task's headers, and the worker logged the task under it.
    lines = [json.loads(line) for line in (tmp_path / "worker.log").read_text().splitlines() if line.startswith("{")]
    sent = [
        line
        for line in lines
        if line["event"].startswith("outbox message") and line["event"].endswith("sent (access_granted)")
    ]
    assert len(sent) == MESSAGES
    assert {line.get("request_id") for line in sent} == {REQUEST_ID}
