"""Redis cut off from Guichet (a relay between them, closed for real): pages answer from the
database, signing in waits, and nothing written meanwhile comes back stale once Redis answers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from guichet.accounts import services as services_of_accounts
from guichet.accounts.models import ApiToken, Organisation, User
from guichet.core import data_versions, shared_cache
from guichet.core.tenancy import tenant_scope
from guichet.ops.outage import too_many_requests
from guichet.support import services
from tests.accounts.factories import PASSWORD
from tests.reliability.conftest import REDIS_HOST, REDIS_PORT
from tests.reliability.relay import Relay
from tests.support.conftest import url


def submit(organisation: Organisation, user: User, subject: str = "Copie de facture") -> None:
    with tenant_scope(organisation):
        services.request_submit(
            actor=user,
            organisation=organisation,
            type="invoices",
            subject=subject,
            description="Merci de renvoyer la facture de mars.",
            details={"invoice_number": "INV-2026-1"},
            contact={"name": user.get_full_name(), "email": user.email},
        )


pytestmark = [pytest.mark.redis, pytest.mark.django_db]


@pytest.fixture
def relay(settings, redis_db: int, monkeypatch: pytest.MonkeyPatch) -> Iterator[Relay]:  # type: ignore[no-untyped-def]
    """The cache as production has it (settings' own entry), reached through a relay the test can cut."""
    monkeypatch.setattr(shared_cache, "RETRY_SECONDS", 0.0)  # the test mends, then asks at once
    with Relay((REDIS_HOST, REDIS_PORT)) as opened:
        entry = {
            **django_settings.CACHES["default"],
            "BACKEND": "guichet.core.shared_cache.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{opened.port}/{redis_db}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
        settings.CACHES = {"default": entry}
        yield opened


def test_signed_in_pages_and_writes_go_on_while_redis_is_cut(
    client: Client, relay: Relay, org_a: Organisation, customer_a: User
) -> None:
    client.force_login(customer_a)
    assert client.get(url("portal:home")).status_code == 200
    relay.cut()

    assert client.get(url("portal:home")).status_code == 200
    submit(org_a, customer_a, subject="Written while the cache was away")
    listing = client.get(url("support:list"))
    assert listing.status_code == 200
    assert "Written while the cache was away" in listing.content.decode()
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "degraded"


def test_a_session_signed_out_during_the_cut_stays_signed_out(client: Client, relay: Relay, customer_a: User) -> None:
    client.force_login(customer_a)
    assert client.get(url("portal:home")).status_code == 200  # the session is now in Redis too
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    relay.cut()
    client.post(url("account_logout"))
    assert not Session.objects.filter(session_key=cookie).exists()

    relay.mend()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = cookie  # someone kept the old cookie
    answer = client.get(url("support:list"))
    assert answer.status_code == 302 and "/login/" in answer["Location"]


def test_a_token_revoked_during_the_cut_stays_refused(client: Client, relay: Relay, customer_a: User) -> None:
    token = ApiToken.issue(customer_a)
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(2):  # used (a write to accounts' data), then kept under the new version
        assert client.get("/api/v1/me", headers=headers).status_code == 200

    relay.cut()
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # from the database
    services_of_accounts.api_tokens_revoke(user=customer_a, reason="revoked")

    relay.mend()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_too_many_missed_writes_to_list_still_leave_nothing_stale(
    client: Client, relay: Relay, org_a: Organisation, customer_a: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shared_cache, "MISSED_KEYS_MAX", 1)
    client.force_login(customer_a)
    assert client.get(url("portal:home")).status_code == 200
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    before = data_versions.current(["support"])["support"]

    relay.cut()
    cache.set("guichet:test:first-listed", 1)  # the list is full from here on
    assert client.get(url("support:list")).status_code == 200
    submit(org_a, customer_a)
    client.post(url("account_logout"))

    relay.mend()
    assert data_versions.current(["support"])["support"] != before
    client.cookies[django_settings.SESSION_COOKIE_NAME] = cookie
    assert client.get(url("support:list")).status_code == 302


def test_a_version_replaced_during_the_cut_is_new_once_redis_answers(
    relay: Relay, org_a: Organisation, customer_a: User
) -> None:
    before = data_versions.current(["support"])["support"]
    relay.cut()
    submit(org_a, customer_a)
    relay.mend()
    assert data_versions.current(["support"])["support"] != before


def test_nobody_signs_in_while_the_failure_counts_cannot_be_read(
    client: Client, relay: Relay, customer_a: User
) -> None:
    relay.cut()
    page = client.post(url("account_login"), {"login": customer_a.email, "password": PASSWORD})
    assert page.status_code == 503 and page["Retry-After"]
    assert "Signing in and account changes are unavailable for a few minutes" in page.content.decode()
    assert "_auth_user_id" not in client.session

    api = client.post(
        "/api/v1/auth/token",
        {"email": customer_a.email, "password": PASSWORD},
        content_type="application/json",
    )
    assert api.status_code == 503 and api.json()["code"] == "sign_in_unavailable"

    relay.mend()
    page = client.post(url("account_login"), {"login": customer_a.email, "password": PASSWORD})
    assert page.status_code == 302


def test_a_limit_that_could_count_answers_a_translated_429(rf) -> None:  # type: ignore[no-untyped-def]
    """With the cache reachable (this test's own, in process), allauth's refusals are real limits."""

    request = rf.post("/fr/accounts/login/")
    request.user, request.session = AnonymousUser(), {}
    with translation.override("fr"):
        page = too_many_requests(request)
    assert page.status_code == 429 and "Retry-After" not in page
    assert "Trop de tentatives" in page.content.decode()
    api = too_many_requests(rf.post("/api/v1/auth/token"))
    assert api.status_code == 429 and b'"throttled"' in api.content
