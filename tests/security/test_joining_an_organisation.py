"""Joining an existing organisation takes a customer admin's approval or invitation (issue 16, item 2)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import Invitation, JoinRequest, Membership, Organisation, User
from guichet.core.models import OutboxMessage
from tests.accounts.factories import UserFactory
from tests.accounts.test_registration import VALID


def register(client: Client, **overrides: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("account_signup"), {**VALID, **overrides})


def registered(email: str = VALID["email"]) -> User:
    user = User.objects.get(email=email)
    user.emailaddress_set.update(verified=True)
    return user


@pytest.mark.django_db
def test_typing_a_customer_number_makes_a_pending_applicant_not_a_member(
    client: Client, org_a: Organisation, customer_a: User, agent_be: User
) -> None:
    register(client, customer_number=org_a.customer_number)
    applicant = registered()
    assert not Membership.objects.filter(user=applicant).exists()
    # Nothing of the organisation opens; the page says whose approval is awaited.
    client.force_login(applicant)
    response = client.get(reverse("portal:access"))
    assert response.status_code == 403 and "waiting for approval" in response.content.decode()
    # Labelled apart on the customer admin's team page and on the agents' organisation page.
    client.force_login(customer_a)
    team = client.get(reverse("portal:team"))
    assert [m["membership"].user for m in team.context["members"]].count(applicant) == 0
    assert "pending applicant" in team.content.decode() and applicant.email in team.content.decode()
    client.force_login(agent_be)
    console = client.get(reverse("console:organisation", kwargs={"customer_number": org_a.customer_number}))
    assert [m.user for m, _apps in console.context["members"]].count(applicant) == 0
    assert "pending applicant" in console.content.decode()
    # The customer admins are told.
    assert OutboxMessage.objects.get(template="join_requested").to == customer_a.email


@pytest.mark.django_db
def test_a_customer_admin_approves_or_refuses(client: Client, org_a: Organisation, customer_a: User) -> None:
    register(client, customer_number=org_a.customer_number)
    register(Client(), email="second@exemple.be", customer_number=org_a.customer_number)
    first, second = JoinRequest.objects.order_by("pk")
    client.force_login(customer_a)
    client.post(reverse("portal:decide_applicant", kwargs={"pk": first.pk}), {"decision": "approve"})
    client.post(reverse("portal:decide_applicant", kwargs={"pk": second.pk}), {"decision": "refuse"})
    assert Membership.objects.get(user=first.user).organisation == org_a
    assert not Membership.objects.filter(user=second.user).exists()
    assert set(OutboxMessage.objects.filter(template__startswith="join_").values_list("template", flat=True)) == {
        "join_requested",
        "join_approved",
        "join_refused",
    }


@pytest.mark.django_db
def test_a_plain_member_or_another_organisations_admin_cannot_approve(
    client: Client, org_a: Organisation, customer_no_grant: User, customer_b: User
) -> None:
    register(client, customer_number=org_a.customer_number)
    join_request = JoinRequest.objects.get()
    url = reverse("portal:decide_applicant", kwargs={"pk": join_request.pk})
    client.force_login(customer_no_grant)
    assert client.post(url, {"decision": "approve"}).status_code == 403
    client.force_login(customer_b)
    assert client.post(url, {"decision": "approve"}).status_code == 404
    assert not Membership.objects.filter(user=join_request.user).exists()


@pytest.mark.django_db
def test_an_invitation_link_lets_the_invited_address_in(client: Client, org_a: Organisation, customer_a: User) -> None:
    client.force_login(customer_a)
    client.post(reverse("portal:invite"), {"email": "Colleague@Example.com"})
    message = OutboxMessage.objects.get(template="invitation")
    assert message.to == "colleague@example.com"
    url = urlsplit(message.context["url"]).path
    assert re.fullmatch(r"/fr/invitations/[^/]+/", url)  # in the organisation's language
    # Someone else signed in cannot take it.
    intruder = UserFactory()
    client.force_login(intruder)
    client.post(url)
    assert not Membership.objects.filter(user=intruder).exists()
    colleague = UserFactory(email="colleague@example.com")
    client.force_login(colleague)
    assert client.post(url).status_code == 303
    assert Membership.objects.get(user=colleague).organisation == org_a
    assert Invitation.objects.get().accepted_by == colleague
    # A used, forged or tampered link is a 404.
    assert client.get(url).status_code == 404
    assert client.get(reverse("portal:invitation", kwargs={"token": "forged"})).status_code == 404


@pytest.mark.django_db
def test_registering_an_invited_address_joins_without_approval(
    client: Client, org_a: Organisation, customer_a: User
) -> None:
    client.force_login(customer_a)
    client.post(reverse("portal:invite"), {"email": VALID["email"]})
    client.logout()
    register(client, customer_number=org_a.customer_number)
    assert Membership.objects.get(user__email=VALID["email"]).organisation == org_a
    assert not JoinRequest.objects.exists()
