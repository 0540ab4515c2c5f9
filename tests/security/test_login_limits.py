"""Sign-in limits are shared by every process and weighted per account (issue 16, item 3)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory
from tests.tools import require_redis

REDIS_URL = "redis://127.0.0.1:6379/0"


def django_process(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a new Python process that loads the settings the way gunicorn or Celery would."""
    base = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "DEBUG", "GUICHET_COMMAND_LINE"}}
    base.update(DJANGO_SETTINGS_MODULE="guichet.config.settings", SECRET_KEY="test-only-not-secret", **env)
    script = f"import django; django.setup()\n{code}"
    return subprocess.run([sys.executable, "-c", script], env=base, capture_output=True, text=True, timeout=120)


@pytest.mark.once  # processes starting with or without a shared cache: no database involved
def test_with_debug_off_a_process_without_a_shared_cache_refuses_to_start() -> None:
    refused = django_process("")
    assert refused.returncode != 0
    assert "CACHE_URL must be set when DEBUG is off" in refused.stderr
    started = django_process(
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])", CACHE_URL=REDIS_URL
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "guichet.core.shared_cache.TolerantRedisCache"
    # Saying explicitly that one process serves everything (the test suite, make run) is accepted.
    assert django_process("", CACHE_URL="locmem:").returncode == 0
    assert django_process("", DEBUG="1").returncode == 0


@pytest.mark.once  # two processes sharing Redis: the counting is the cache's, not the database's
def test_failures_counted_in_one_process_refuse_in_another() -> None:
    require_redis(REDIS_URL)
    account = f"{secrets.token_hex(8)}@example.com"
    three_failures = (
        "from django.test import RequestFactory\n"
        "from allauth.core import ratelimit\n"
        "request = RequestFactory().post('/', REMOTE_ADDR='198.51.100.1')\n"
        f"print([bool(ratelimit.consume(request, action='login_failed', key={account!r})) for _ in range(3)])"
    )
    first = django_process(three_failures, CACHE_URL=REDIS_URL)
    second = django_process(three_failures, CACHE_URL=REDIS_URL)
    assert first.stdout.strip() == "[True, True, True]", first.stderr
    assert second.stdout.strip() == "[True, True, False]", second.stderr  # the 6th of the account


def login(client: Client, email: str, password: str, ip: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_twenty_failures_of_a_few_colleagues_behind_one_proxy_do_not_lock_the_others(client: Client) -> None:
    proxy = "203.0.113.1"
    for colleague in [UserFactory() for _ in range(4)]:
        for _ in range(5):
            login(client, colleague.email, "wrong", proxy)
    someone_else: User = UserFactory()
    assert login(client, someone_else.email, PASSWORD, proxy).status_code == 302


@pytest.mark.django_db
def test_an_address_failing_across_many_accounts_is_refused(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_FAILED_ACCOUNTS_PER_IP = 3
    users = [UserFactory() for _ in range(4)]
    for user in users[:3]:
        login(client, user.email, "wrong", "192.0.2.44")
    response = login(client, users[3].email, PASSWORD, "192.0.2.44")
    assert "Too many failed login attempts" in response.content.decode()
    assert login(client, users[3].email, PASSWORD, "192.0.2.45").status_code == 302


@pytest.mark.django_db
def test_behind_the_proxy_a_forged_forwarded_for_hop_changes_neither_limit_nor_audit(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    from guichet.core.models import AuditEvent

    settings.TRUST_X_FORWARDED_FOR = True
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    user: User = UserFactory()
    client.post(
        reverse("account_login"),
        {"login": user.email, "password": "wrong"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9",
    )
    assert AuditEvent.objects.get(action="auth.login_failed").ip == "198.51.100.9"
