"""The signed-in person's row is kept in the cache (accounts/session_user.py), and Django's session checks hold.

A password change, a deactivation or a deletion, made by any write that reaches the database through
Django (a save, a queryset's update, raw SQL on Django's cursor), signs the person's other sessions
out on their very next request, as when the row was read from the database every time.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from guichet.accounts import access_cache, session_user
from guichet.accounts.models import Application, ApplicationGrant, User
from guichet.core import data_versions
from guichet.core.tenancy import across_organisations
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a new long passphrase 7"


def _profile() -> str:
    with translation.override("en"):
        return reverse("portal:profile")


def _signed_in(client: Client) -> bool:
    """Whether the client's next page is served to a signed-in person (the profile needs one)."""
    response = client.get(_profile())
    assert response.status_code in (200, 302)
    return bool(response.wsgi_request.user.is_authenticated)


def _user_queries(client: Client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(_profile()).status_code == 200
    return [q["sql"] for q in captured.captured_queries if 'FROM "accounts_user"' in q["sql"]]


def _signed_in_twice(user: User) -> tuple[Client, Client]:
    first, second = Client(), Client()
    first.force_login(user)
    second.force_login(user)
    assert _signed_in(first) and _signed_in(second)
    return first, second


@pytest.mark.parametrize("person", ["customer_a", "agent_be"])
def test_a_second_page_reads_no_user_row(client, person, request) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(person)
    client.force_login(user)
    client.get(_profile())
    assert _user_queries(client) == []
    assert client.get(_profile()).wsgi_request.user.pk == user.pk


def test_the_user_is_read_once_per_change_of_accounts_data(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    client.get(_profile())
    User.objects.filter(pk=customer_a.pk).update(first_name="Renamed")
    assert len(_user_queries(client)) == 1
    assert client.get(_profile()).wsgi_request.user.first_name == "Renamed"
    assert _user_queries(client) == []


def test_a_password_changed_on_the_page_signs_the_other_sessions_out(customer_a) -> None:  # type: ignore[no-untyped-def]
    here, elsewhere = _signed_in_twice(customer_a)
    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _signed_in(here)  # Django moves the session that changed it to the new hash
    assert not _signed_in(elsewhere)
    assert not _signed_in(elsewhere)  # and it stays out: its session was flushed


def test_a_password_saved_elsewhere_signs_every_session_out(customer_a) -> None:  # type: ignore[no-untyped-def]
    here, elsewhere = _signed_in_twice(customer_a)
    customer_a.set_password(NEW_PASSWORD)
    customer_a.save()
    assert not _signed_in(here)
    assert not _signed_in(elsewhere)


def test_a_password_changed_by_raw_sql_signs_the_session_out(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    """No model, no signal: the write is seen where every statement passes (core/data_versions.py)."""
    client.force_login(customer_a)
    assert _signed_in(client)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_user SET password = %s WHERE id = %s", ["!unusable", customer_a.pk])
    assert not _signed_in(client)


@pytest.mark.parametrize("how", ["save", "update", "raw"])
def test_a_deactivated_person_is_signed_out_at_once(client, agent_be, how) -> None:  # type: ignore[no-untyped-def]
    client.force_login(agent_be)
    assert _signed_in(client)
    if how == "save":
        agent_be.is_active = False
        agent_be.save()
    elif how == "update":
        User.objects.filter(pk=agent_be.pk).update(is_active=False)
    else:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE accounts_user SET is_active = %s WHERE id = %s", [False, agent_be.pk])
    assert not _signed_in(client)
    assert not _signed_in(client)


def test_a_deleted_person_is_signed_out(client, customer_no_grant) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_no_grant)
    assert _signed_in(client)
    customer_no_grant.delete()
    assert not _signed_in(client)


def test_a_session_of_a_previous_secret_key_moves_to_the_new_one(client, customer_a, settings) -> None:  # type: ignore[no-untyped-def]
    """SECRET_KEY_FALLBACKS: Django's rotation, kept (the session's hash is renewed, the session stays)."""
    client.force_login(customer_a)
    assert _signed_in(client)
    old_hash = client.session[HASH_SESSION_KEY]
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-rotated-secret-key-for-this-test-only-0123456789"
    assert _signed_in(client)
    assert client.session[HASH_SESSION_KEY] != old_hash
    settings.SECRET_KEY_FALLBACKS = []
    assert _signed_in(client)  # the renewed hash holds without the fallback


def test_a_session_of_a_retired_secret_key_is_signed_out(client, customer_a, settings) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    assert _signed_in(client)
    settings.SECRET_KEY = "a-rotated-secret-key-for-this-test-only-0123456789"
    assert not _signed_in(client)


def test_a_session_of_a_backend_no_longer_configured_is_anonymous(client, customer_a, settings) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a, backend="django.contrib.auth.backends.ModelBackend")
    assert _signed_in(client)
    settings.AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
    assert not _signed_in(client)


def test_a_language_chosen_elsewhere_shows_on_the_next_page(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    client.get("/")
    User.objects.filter(pk=customer_a.pk).update(language="nl")
    assert client.get("/", follow=True).wsgi_request.LANGUAGE_CODE == "nl"


@pytest.mark.django_db(transaction=True)  # a real commit: its callbacks run as in production
def test_a_row_read_before_a_commit_is_not_kept_past_it(customer_a) -> None:  # type: ignore[no-untyped-def]
    """Another process reads the old row between the write and the commit: the commit leaves it behind."""
    backend = settings.AUTHENTICATION_BACKENDS[0]
    stale = User.objects.get(pk=customer_a.pk)
    with transaction.atomic():
        User.objects.filter(pk=customer_a.pk).update(is_active=False)
        # what the other process keeps: the committed (old, active) row, under the version it reads now
        version = data_versions.current(session_user.READS)["accounts"]
        session_user.cache.set(session_user._key(version, backend, customer_a.pk), stale)
        assert session_user.kept_user(backend, customer_a.pk) is not None
    assert session_user.kept_user(backend, customer_a.pk) is None


def test_the_access_read_with_the_row_serves_the_first_look_only(client, customer_a, org_a) -> None:  # type: ignore[no-untyped-def]
    """A customer's memberships and grants come in the row's round trip; a later look in the same
    request, after a write, reads them again."""

    backend = settings.AUTHENTICATION_BACKENDS[0]
    client.force_login(customer_a)
    client.get(_profile())  # keeps the row and the access entry
    user = session_user.kept_user(backend, customer_a.pk)
    assert getattr(user, access_cache.PREFETCHED)[1][org_a.pk] >= {Application.INVOICES}
    with across_organisations():
        ApplicationGrant.objects.filter(user=customer_a, application=Application.INVOICES).delete()
    assert Application.INVOICES in access_cache.access_of(user)[1][org_a.pk]  # read at the request's start
    assert Application.INVOICES not in access_cache.access_of(user)[1][org_a.pk]
