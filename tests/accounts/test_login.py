"""Sign-in: throttling per account and per IP, audit, MFA rules for staff, demo codes."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.management import CommandError, call_command
from django.urls import reverse

from guichet.core.models import AuditEvent
from tests.accounts.factories import PASSWORD, current_totp, make_agent, totp_secret


def login(client, email: str, password: str, ip: str = "198.51.100.7"):  # type: ignore[no-untyped-def]
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_sixth_failure_within_the_window_is_refused_even_with_the_right_password(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        response = login(client, customer_a.email, "wrong password")
        assert response.status_code == 200
        assert "not correct" in response.content.decode()
    response = login(client, customer_a.email, PASSWORD)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 5
    assert AuditEvent.objects.filter(action="auth.login_throttled").count() == 1


@pytest.mark.django_db
def test_fifth_failure_still_allows_the_right_password(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        login(client, customer_a.email, "wrong password")
    response = login(client, customer_a.email, PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.login", actor=customer_a).exists()


@pytest.mark.django_db
def test_failures_per_ip_are_throttled_across_accounts(client, user_factory) -> None:  # type: ignore[no-untyped-def]
    # The address limit counts accounts, not failures (accounts/login_limits.py): 20 accounts.
    users = [user_factory() for _ in range(20)]
    for user in users:
        login(client, user.email, "wrong", ip="192.0.2.1")
    response = login(client, users[0].email, PASSWORD, ip="192.0.2.1")
    assert "Too many failed login attempts" in response.content.decode()
    # Another address is not affected by that IP's failures.
    assert login(client, users[0].email, PASSWORD, ip="192.0.2.99").status_code == 302


@pytest.mark.django_db
def test_agent_sign_in_asks_for_the_totp_code(client, agent_be) -> None:  # type: ignore[no-untyped-def]
    response = login(client, agent_be.email, PASSWORD)
    assert response.status_code == 302 and "2fa" in response["Location"]
    assert "_auth_user_id" not in client.session
    response = client.post(response["Location"], {"code": current_totp(agent_be)})
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("console:home"))


@pytest.mark.django_db
def test_staff_without_mfa_must_enrol_before_anything_else(client) -> None:  # type: ignore[no-untyped-def]
    agent = make_agent("BE", with_mfa=False)
    assert login(client, agent.email, PASSWORD).status_code == 302
    response = client.get(reverse("console:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # Enrolment asks for the password again, then shows the QR code.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


@pytest.mark.django_db
def test_customers_may_use_mfa_but_are_not_forced(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    assert client.get(reverse("portal:home")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_demo_otp_is_for_demo_accounts_only(capsys) -> None:  # type: ignore[no-untyped-def]
    from guichet.accounts.models import Membership, Organisation, User

    call_command("seed_demo")
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Organisation.objects.count(), Membership.objects.count()) == counts
    assert counts == (9, 4, 5)

    capsys.readouterr()
    call_command("demo_otp", "agent.be@guichet.example")
    code = capsys.readouterr().out.strip()
    agent = User.objects.get(email="agent.be@guichet.example")
    valid = {format_hotp_value(hotp_value(totp_secret(agent), c)) for c in yield_hotp_counters_from_time()}
    assert code in valid
    with pytest.raises(CommandError):
        call_command("demo_otp", "someone@else.example")
