"""A bearer token's row is kept in the cache (accounts/api_access.kept_token), and a revoked,
expired or deactivated one is refused on its very next call, as when the row was read every time.

The revocations here are made by other code paths than the call itself (the owner's security page
service, a queryset write, the user's deactivation): the entry kept by the earlier calls must not
outlive them. Two instances share the cache and the database (tests/reliability/test_scale_out.py
checks the same through two gunicorn processes).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guichet.accounts import api_access, services
from guichet.accounts.models import ApiToken, User
from guichet.core import data_versions

pytestmark = pytest.mark.django_db


def _me(client, token: str) -> int:  # type: ignore[no-untyped-def]
    return int(client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code)


def _token_queries(client, token: str) -> list[str]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        assert _me(client, token) == 200
    return [q["sql"] for q in captured.captured_queries if 'FROM "accounts_apitoken"' in q["sql"]]


@pytest.fixture
def token(customer_a: User) -> str:
    return ApiToken.issue(customer_a)


def _use_writes(client, token: str) -> list[str]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        assert _me(client, token) == 200
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith('UPDATE "accounts_apitoken"')]


def test_a_call_reads_no_token_row_once_it_is_kept(client, token) -> None:  # type: ignore[no-untyped-def]
    # The first call reads the row and notes the token's use, which replaces no data version: the
    # second finds the row kept.
    assert len(_token_queries(client, token)) == 1
    assert _token_queries(client, token) == []
    assert _token_queries(client, token) == []
    assert _token_queries(client, token) == []


def test_a_token_revoked_by_its_owner_is_refused_on_the_next_call(client, customer_a, token) -> None:  # type: ignore[no-untyped-def]
    assert _me(client, token) == 200
    services.api_tokens_revoke(user=customer_a, reason="revoked")
    assert _me(client, token) == 401


def test_a_token_deleted_by_a_queryset_is_refused_on_the_next_call(client, token) -> None:  # type: ignore[no-untyped-def]
    assert _me(client, token) == 200
    ApiToken.objects.filter(key_hash=ApiToken.hash(token)).delete()
    assert _me(client, token) == 401


def test_a_deactivated_owner_is_refused_on_the_next_call(client, customer_a, token) -> None:  # type: ignore[no-untyped-def]
    assert _me(client, token) == 200
    User.objects.filter(pk=customer_a.pk).update(is_active=False)  # no signal: the kept user row alone says so
    assert _me(client, token) == 401


def test_a_kept_token_is_refused_once_it_expires(client, token, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert _me(client, token) == 200  # its use noted
    assert _me(client, token) == 200
    row = ApiToken.objects.get(key_hash=ApiToken.hash(token))
    later = row.expires_at + timedelta(seconds=1)
    assert _token_queries(client, token) == []  # kept: what follows is decided on the kept row
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert _me(client, token) == 401


def test_an_unknown_token_is_refused_every_time(client) -> None:  # type: ignore[no-untyped-def]
    assert _me(client, "not-a-token") == 401
    assert _me(client, "not-a-token") == 401


def test_noting_a_use_replaces_no_data_version(client, token) -> None:  # type: ignore[no-untyped-def]
    # Replacing accounts' version would make every instance read again every kept session user,
    # access entry and token, once a minute per API client (issue 17).
    before = data_versions.current(["accounts"])
    assert len(_use_writes(client, token)) == 1
    assert ApiToken.objects.get(key_hash=ApiToken.hash(token)).last_used_at is not None
    assert data_versions.current(["accounts"]) == before


def test_a_use_is_noted_at_most_once_a_minute_from_the_kept_row(client, token, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert len(_use_writes(client, token)) == 1
    first = ApiToken.objects.get(key_hash=ApiToken.hash(token)).last_used_at
    assert first is not None
    assert _use_writes(client, token) == []  # the kept row carries the time just written

    later = first + timedelta(minutes=1, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert _token_queries(client, token) == []  # still the kept row: no version was replaced
    assert ApiToken.objects.get(key_hash=ApiToken.hash(token)).last_used_at == later
    assert _use_writes(client, token) == []


def test_two_workers_noting_the_same_minute_write_the_row_once(token) -> None:
    # The condition is in SQL: a second worker whose kept row is older writes nothing.
    row = ApiToken.objects.get(key_hash=ApiToken.hash(token))
    other = ApiToken.objects.get(pk=row.pk)
    assert api_access._note_use(row, "test:one")
    noted = ApiToken.objects.get(pk=row.pk).last_used_at
    assert api_access._note_use(other, "test:other")  # it tries (its row says never) ...
    assert ApiToken.objects.get(pk=row.pk).last_used_at == noted  # ... and changes nothing
