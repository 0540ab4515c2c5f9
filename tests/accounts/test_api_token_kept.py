"""A bearer token's row is kept under accounts' data version (accounts/api_access.py, decision 0017):
a call reads no token row once it is kept, and a revoked token, a deactivated person or an expired
token is refused on the very next call, whoever wrote the change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guichet.accounts.models import ApiToken, User
from tests.accounts.test_api import token_for

pytestmark = pytest.mark.django_db


def _me(client, token: str):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    reads = [q["sql"] for q in captured.captured_queries if "accounts_apitoken" in q["sql"]]
    return response.status_code, reads


@pytest.fixture
def token(client, customer_a) -> str:  # type: ignore[no-untyped-def]
    value: str = token_for(client, customer_a.email).json()["token"]
    return value


def test_a_call_reads_no_token_row_once_kept(client, token) -> None:  # type: ignore[no-untyped-def]
    # The first call writes the token's "last used" (accounts' version replaced): the second reads the row again.
    assert _me(client, token)[0] == 200
    assert _me(client, token)[0] == 200
    status, reads = _me(client, token)
    assert status == 200 and reads == []


def test_a_revoked_token_is_refused_at_once(client, token) -> None:  # type: ignore[no-untyped-def]
    assert _me(client, token)[0] == 200
    response = client.delete("/api/v1/auth/token", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 204
    assert _me(client, token)[0] == 401


def test_a_deactivated_person_is_refused_at_once(client, token, customer_a) -> None:  # type: ignore[no-untyped-def]
    assert _me(client, token)[0] == 200
    User.objects.filter(pk=customer_a.pk).update(is_active=False)  # a queryset's update: no signal
    assert _me(client, token)[0] == 401


def test_an_expired_token_is_refused_though_kept(client, token, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert _me(client, token)[0] == 200
    expires = ApiToken.objects.get(key_hash=ApiToken.hash(token)).expires_at
    monkeypatch.setattr(timezone, "now", lambda: expires + timedelta(seconds=1))  # nothing written
    assert _me(client, token)[0] == 401


def test_an_unknown_token_is_refused(client, token) -> None:  # type: ignore[no-untyped-def]
    assert _me(client, token + "x")[0] == 401
