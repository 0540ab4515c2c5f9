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

from guichet.accounts import services
from guichet.accounts.models import ApiToken, User

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


def test_a_call_reads_no_token_row_once_it_is_kept(client, token) -> None:  # type: ignore[no-untyped-def]
    # The first call notes the token's use (at most once a minute), a write to accounts' data that
    # replaces its version: the second reads the row again and keeps it.
    assert len(_token_queries(client, token)) == 1
    assert len(_token_queries(client, token)) == 1
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
