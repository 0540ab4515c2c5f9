"""/healthz answers without the database; /readyz checks the database, migrations, cache and broker."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from guichet.ops import probes


def test_healthz_answers_without_the_database(client: Client) -> None:
    """No django_db mark: a query, even the session's, would raise and answer 500."""
    response = client.get("/healthz", headers={"Cookie": "sessionid=abc"})
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_probes_answer_any_host_and_open_no_session(client: Client) -> None:
    """A balancer asks with the instance's address as Host, which ALLOWED_HOSTS does not list."""
    response = client.get("/healthz", headers={"Host": "10.1.2.3:8000"})
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert client.get("/en/help/", headers={"Host": "10.1.2.3:8000"}).status_code == 400  # the pages do check


def test_probes_are_read_only(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


@pytest.mark.django_db
def test_readyz_reports_every_check(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready" and body["failed"] == []
    assert set(body["checks"]) == {"database", "migrations", "cache", "broker"}
    assert all(check["ok"] for check in body["checks"].values())


def _readyz_with_broken(client: Client, monkeypatch: pytest.MonkeyPatch, check: str) -> tuple[int, dict[str, Any]]:
    def broken() -> None:
        raise ConnectionError("redis://secret-host:6379 refused")

    monkeypatch.setitem(probes.CHECKS, check, broken)
    response = client.get("/readyz")
    assert b"secret-host" not in response.content  # the details go to the log, not to the public
    return response.status_code, response.json()


@pytest.mark.django_db
def test_readyz_names_the_failed_check_and_nothing_more(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    status, body = _readyz_with_broken(client, monkeypatch, "broker")
    assert status == 503
    assert body["status"] == "unavailable" and body["failed"] == ["broker"]
    assert body["checks"]["broker"] == {"ok": False, "error": "ConnectionError"}


@pytest.mark.django_db
def test_readyz_stays_ready_but_degraded_without_the_cache(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages answer from the database while the cache is away: the balancer keeps sending traffic."""
    status, body = _readyz_with_broken(client, monkeypatch, "cache")
    assert status == 200
    assert body["status"] == "degraded" and body["failed"] == ["cache"]


@pytest.mark.django_db
def test_readyz_is_not_ready_with_migrations_missing(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    monkeypatch.setattr(probes, "_migrations_applied", False)
    # core's newest migration: an older one missing under applied ones is not what a deploy leaves.
    newest = next(node for node in MigrationLoader(connection).graph.leaf_nodes() if node[0] == "core")
    MigrationRecorder(connection).record_unapplied(*newest)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["migrations"]


@pytest.mark.django_db
def test_readyz_reaches_the_configured_broker(client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing listens on port 9 (discard): the broker check fails within its timeout."""
    from guichet.config import celery_app

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    monkeypatch.setattr(celery_app.conf, "broker_url", settings.CELERY_BROKER_URL)
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(probes, "BROKER_TIMEOUT_SECONDS", 1.0)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["broker"]
