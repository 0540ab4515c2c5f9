"""A customer's memberships and grants are cached per user (accounts/access_cache.py), never stale."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from guichet.accounts import access_cache
from guichet.accounts.models import ApiToken, Application, ApplicationGrant, Membership, Organisation
from guichet.core import data_versions
from guichet.core.tenancy import across_organisations
from tests.accounts.factories import OrganisationFactory, grant_all, make_member

pytestmark = pytest.mark.django_db


def _page(client):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        path = reverse("portal:profile")
    response = client.get(path)
    assert response.status_code == 200
    return response.wsgi_request


def test_a_second_page_reads_no_membership_nor_grant(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    _page(client)
    with CaptureQueriesContext(connection) as captured:
        request = _page(client)
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    assert "accounts_membership" not in tables
    assert "accounts_applicationgrant" not in tables
    assert request.organisation.name == "Org A SA"
    assert Application.REQUESTS in request.granted_applications


def test_a_revoked_grant_is_gone_on_the_next_page(client, customer_a, org_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    assert Application.INVOICES in _page(client).granted_applications
    with across_organisations():
        ApplicationGrant.objects.filter(user=customer_a, application=Application.INVOICES).delete()
    assert Application.INVOICES not in _page(client).granted_applications


def test_a_new_grant_counts_at_once(client, org_a) -> None:  # type: ignore[no-untyped-def]
    member = make_member(org_a)
    client.force_login(member)
    assert _page(client).granted_applications == set()
    grant_all(member, org_a, [Application.REQUESTS])
    assert _page(client).granted_applications == {Application.REQUESTS}


def test_a_new_membership_and_an_updated_role_show_on_the_next_page(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    assert len(_page(client).memberships) == 1
    Membership.objects.create(user=customer_a, organisation=OrganisationFactory(country="BE", name="Org Z"))
    assert [m.organisation.name for m in _page(client).memberships] == ["Org A SA", "Org Z"]
    Membership.objects.filter(user=customer_a).update(role=Membership.Role.MEMBER)  # no signal: the queryset's
    assert not _page(client).membership.is_admin


def test_an_edited_organisation_is_read_again(client, customer_a, org_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    _page(client)
    org_a.name = "Org A renamed"
    org_a.save()
    assert _page(client).organisation.name == "Org A renamed"
    Organisation.objects.filter(pk=org_a.pk).update(name="Org A again")
    assert _page(client).organisation.name == "Org A again"


def test_each_person_reads_their_own_entry(client, customer_a, org_b) -> None:  # type: ignore[no-untyped-def]
    other = make_member(org_b, email="b@example.com")
    client.force_login(customer_a)
    _page(client)
    client.force_login(other)
    request = _page(client)
    assert request.organisation == org_b
    assert request.granted_applications == set()


def test_a_grant_changed_by_raw_sql_shows_on_the_next_page(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    """No model, no signal: the write is seen where every statement passes (core/data_versions.py)."""
    client.force_login(customer_a)
    assert Application.INVOICES in _page(client).granted_applications
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_applicationgrant SET application = %s WHERE user_id = %s AND application = %s",
            ["none", customer_a.pk, Application.INVOICES],
        )
    assert Application.INVOICES not in _page(client).granted_applications


@pytest.mark.django_db(transaction=True)  # a real commit: its callbacks run as in production
def test_a_write_in_a_transaction_keeps_no_entry_past_its_commit(customer_a) -> None:  # type: ignore[no-untyped-def]
    """A page read between the write and the commit caches the old rows: the commit leaves that entry behind."""
    with transaction.atomic():
        with across_organisations():
            ApplicationGrant.objects.filter(user=customer_a, application=Application.INVOICES).delete()
        access_cache.access_of(customer_a)  # the page read in between
        read_in_between = data_versions.current(access_cache.READS)
    assert data_versions.current(access_cache.READS) != read_in_between
    _memberships, grants = access_cache.access_of(customer_a)
    assert Application.INVOICES not in grants[customer_a.memberships.get().organisation_id]


def test_a_signed_in_page_reads_its_session_from_the_cache(client, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    """cached_db sessions: the database only on a miss (settings.SESSION_ENGINE)."""
    for person in (customer_a, agent_be):
        client.force_login(person)
        _page(client)
        with CaptureQueriesContext(connection) as captured:
            _page(client)
        assert not [q for q in captured.captured_queries if "django_session" in q["sql"]]


def test_an_api_call_reads_access_once_and_a_revoked_grant_refuses_at_once(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    """Bearer calls take the same kept entry as pages (accounts/api_access.py)."""
    headers = {"Authorization": f"Bearer {ApiToken.issue(customer_a)}"}
    assert client.get("/api/v1/requests", headers=headers).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/requests", headers=headers).status_code == 200
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    assert "accounts_membership" not in tables
    assert "accounts_applicationgrant" not in tables
    assert client.get("/api/v1/invoices", headers=headers).status_code == 200
    with across_organisations():
        ApplicationGrant.objects.filter(user=customer_a, application=Application.INVOICES).delete()
    answer = client.get("/api/v1/invoices", headers=headers)
    assert answer.status_code == 403
    assert answer.json()["code"] == "application_not_granted"
