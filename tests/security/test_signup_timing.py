"""Signing up with a known address answers like a new one, as fast and without telling (issue 16, item 10)."""

from __future__ import annotations

import statistics
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from guichet.core.models import OutboxMessage
from tests.accounts.factories import UserFactory

FORM = {
    "first_name": "Jeanne",
    "last_name": "Martin",
    "phone": "02 555 12 34",
    "company_name": "Imprimerie Martin",
    "customer_number": "",
    "country": "BE",
    "language": "en",
    "password1": "un mot de passe solide 42",
    "password2": "un mot de passe solide 42",
    "consent_contact": "on",
    "consent_transfer": "on",
}


def signup(email: str) -> tuple[float, int, str]:
    started = time.perf_counter()
    response = Client().post(reverse("account_signup"), {**FORM, "email": email})
    return time.perf_counter() - started, response.status_code, response.get("Location", "")


@pytest.mark.django_db
def test_a_known_address_gets_the_same_answer_and_its_mail_from_the_outbox() -> None:
    known = UserFactory(email="known@example.com")
    _elapsed, status, location = signup(known.email)
    _elapsed, new_status, new_location = signup("new@example.com")
    assert (status, location) == (new_status, new_location)
    assert mail.outbox == []  # nothing sent while the person waits
    already = OutboxMessage.objects.get(to=known.email)
    assert already.template == "rendered" and "already" in already.context["text"].lower()
    assert "confirm" in OutboxMessage.objects.get(to="new@example.com").context["subject"].lower()


@pytest.mark.django_db
def test_a_known_address_takes_as_long_as_a_new_one(settings) -> None:  # type: ignore[no-untyped-def]
    # The real hasher: its cost is what told the two apart (0.75 s against 0.04 s).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    known = UserFactory(email="known@example.com")
    new, existing = [], []
    for attempt in range(3):
        new.append(signup(f"new{attempt}@example.com")[0])
        existing.append(signup(known.email)[0])
    ratio = statistics.median(existing) / statistics.median(new)
    assert 0.6 < ratio < 1.67, (new, existing)
