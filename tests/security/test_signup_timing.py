"""Signing up with a known address answers like a new one, with the same work, without telling (issue 16, item 10)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
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


def signup(email: str) -> tuple[int, str]:
    response = Client().post(reverse("account_signup"), {**FORM, "email": email})
    return response.status_code, response.get("Location", "")


@pytest.mark.django_db
def test_a_known_address_gets_the_same_answer_and_its_mail_from_the_outbox() -> None:
    known = UserFactory(email="known@example.com")
    status, location = signup(known.email)
    new_status, new_location = signup("new@example.com")
    assert (status, location) == (new_status, new_location)
    assert mail.outbox == []  # nothing sent while the person waits
    already = OutboxMessage.objects.get(to=known.email)
    assert already.template == "rendered" and "already" in already.context["text"].lower()
    assert "confirm" in OutboxMessage.objects.get(to="new@example.com").context["subject"].lower()


@pytest.mark.django_db
def test_a_known_address_costs_the_same_password_hashing_as_a_new_one(settings) -> None:  # type: ignore[no-untyped-def]
    # The hash was what told the two apart (0.75 s against 0.04 s with the real hasher): the same
    # work, counted, rather than timed (a timed test fails whenever the machine is busy).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    known = UserFactory(email="known@example.com")
    with mock.patch.object(MD5PasswordHasher, "encode", autospec=True, side_effect=MD5PasswordHasher.encode) as hashed:
        signup("new@example.com")
        for_new = hashed.call_count
        signup(known.email)
        for_known = hashed.call_count - for_new
    assert for_new >= 1
    assert for_known == for_new
