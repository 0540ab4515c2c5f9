"""While the database cannot be reached: a translated 503 (a page, or JSON for the API), never a 500.

The outage is the one a balancer sees first: the session's query fails in the middleware,
before any view runs (a session not in the shared cache is read from the database;
tests/reliability/test_database_restart.py stops a real PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client


def _failing(exc: Exception) -> Callable[..., None]:
    def read(self: SessionStore) -> None:
        raise exc

    return read


@pytest.fixture
def client() -> Client:
    """Like a browser with a session cookie; errors come back as responses, as a server would send them."""
    browser = Client(raise_request_exception=False)
    browser.cookies["sessionid"] = "a" * 32
    return browser


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch) -> None:
    message = 'connection to server at "db.internal" (10.0.0.9), port 5432 failed: Connection refused'
    monkeypatch.setattr(SessionStore, "_get_session_from_db", _failing(OperationalError(message)))


@pytest.mark.django_db
@pytest.mark.usefixtures("database_down")
@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/en/help/", "Back in a moment"),
        ("/fr/help/", "Revenez dans un instant"),
        ("/ro/help/", "Revenim într-o clipă"),
    ],
)
def test_pages_answer_a_translated_503(client: Client, path: str, text: str) -> None:
    response = client.get(path, headers={"X-Request-ID": "outage-1"})
    assert response.status_code == 503
    body = response.content.decode()
    assert text in body
    assert response["Retry-After"] == "5"
    assert response["X-Request-ID"] == "outage-1"
    for leak in ("Traceback", "OperationalError", "db.internal", "5432"):
        assert leak not in body


@pytest.mark.django_db
@pytest.mark.usefixtures("database_down")
def test_one_warning_line_per_request_not_a_stack_trace(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    client.get("/en/help/")
    assert [(r.name, r.levelname) for r in caplog.records] == [
        ("guichet.ops.outage", "WARNING"),
        ("guichet.request", "INFO"),
    ]
    assert caplog.records[0].exc_info is None


@pytest.mark.django_db
@pytest.mark.usefixtures("database_down")
def test_the_api_answers_json_in_the_callers_language(client: Client) -> None:
    response = client.get("/api/v1/help/search", {"q": "facture"}, headers={"Accept-Language": "ro"})
    assert response.status_code == 503
    assert response.json() == {
        "code": "service_unavailable",
        "message": "Serviciul este indisponibil pentru scurt timp. Vă rugăm să încercați din nou peste un moment.",
        "details": {},
    }


@pytest.mark.django_db
def test_any_other_failure_is_still_the_500_page(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SessionStore, "_get_session_from_db", _failing(RuntimeError("a bug")))
    response = client.get("/en/help/")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
