"""Authenticator codes sent to the API are limited like those of the sign-in page (issue 16, item 1)."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.test import Client

from guichet.accounts.models import User
from guichet.core.models import AuditEvent, OutboxMessage
from tests.accounts.factories import PASSWORD, current_totp, make_agent, totp_secret


def wrong_code(user: User) -> str:
    valid = {format_hotp_value(hotp_value(totp_secret(user), c)) for c in yield_hotp_counters_from_time()}
    return next(code for code in (f"{n:06d}" for n in range(1000)) if code not in valid)


def ask_token(client: Client, user: User, otp: str, ip: str = "198.51.100.20"):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/auth/token",
        {"email": user.email, "password": PASSWORD, "otp": otp},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


@pytest.mark.django_db
def test_wrong_codes_lock_the_token_endpoint_even_for_the_right_code(client: Client, agent_be: User) -> None:
    for _ in range(5):
        assert ask_token(client, agent_be, wrong_code(agent_be)).json()["code"] == "otp_invalid"
    response = ask_token(client, agent_be, current_totp(agent_be))
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    # Another address does not open it either: the count is the user's.
    assert ask_token(client, agent_be, current_totp(agent_be), ip="203.0.113.50").status_code == 429


@pytest.mark.django_db
def test_the_lock_is_audited_and_the_user_told_once(client: Client, agent_be: User) -> None:
    for _ in range(7):
        ask_token(client, agent_be, wrong_code(agent_be))
    assert AuditEvent.objects.filter(action="auth.otp_failed", actor_label=agent_be.email).count() == 5
    assert AuditEvent.objects.filter(action="auth.otp_locked", actor=agent_be).count() == 1
    assert AuditEvent.objects.filter(action="auth.otp_throttled").count() == 2
    alert = OutboxMessage.objects.get(template="otp_locked")
    assert alert.to == agent_be.email and alert.context["ip"] == "198.51.100.20"


@pytest.mark.django_db
def test_the_page_and_the_api_share_one_count(client: Client, agent_be: User) -> None:
    for _ in range(3):
        ask_token(client, agent_be, wrong_code(agent_be))
    page = Client()
    page.post("/en/accounts/login/", {"login": agent_be.email, "password": PASSWORD})
    for _ in range(2):
        page.post("/en/accounts/2fa/authenticate/", {"code": wrong_code(agent_be)})
    assert ask_token(client, agent_be, current_totp(agent_be)).status_code == 429


@pytest.mark.django_db
def test_wrong_codes_for_many_accounts_lock_the_address(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_FAILED_ACCOUNTS_PER_IP = 2
    agents = [make_agent("BE") for _ in range(3)]
    for agent in agents[:2]:
        assert ask_token(client, agent, wrong_code(agent), ip="192.0.2.7").status_code == 401
    assert ask_token(client, agents[2], current_totp(agents[2]), ip="192.0.2.7").status_code == 429
    assert ask_token(client, agents[2], current_totp(agents[2]), ip="192.0.2.8").status_code == 200


@pytest.mark.django_db
def test_a_right_code_before_the_limit_clears_the_count(client: Client, agent_be: User) -> None:
    for _ in range(4):
        ask_token(client, agent_be, wrong_code(agent_be))
    assert ask_token(client, agent_be, current_totp(agent_be)).status_code == 200
    for _ in range(4):
        assert ask_token(client, agent_be, wrong_code(agent_be)).status_code == 401
