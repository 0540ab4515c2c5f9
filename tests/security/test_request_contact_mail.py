"""A request's content is mailed to its contact only when the address is known to be the
organisation's (issue 16, item 13)."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from guichet.accounts.models import Organisation, User
from guichet.core.models import OutboxMessage
from guichet.core.tenancy import tenant_scope
from guichet.support import services
from tests.accounts.factories import make_member


def submit(organisation: Organisation, user: User, contact_email: str) -> None:
    with tenant_scope(organisation):
        services.request_submit(
            actor=user,
            organisation=organisation,
            type="invoices",
            subject="Invoice question",
            description="Our confidential figures.",
            details={"invoice_number": "INV-2026-1"},
            contact={"name": "Contact", "email": contact_email},
        )


@pytest.mark.django_db
def test_a_stranger_typed_as_contact_gets_nothing_the_requester_gets_it(org_a: Organisation, customer_a: User) -> None:
    submit(org_a, customer_a, "stranger@elsewhere.example")
    assert not OutboxMessage.objects.filter(to="stranger@elsewhere.example").exists()
    assert OutboxMessage.objects.get(template="request_received").to == customer_a.email


@pytest.mark.django_db
def test_a_colleague_in_the_organisation_is_mailed(org_a: Organisation, customer_a: User) -> None:
    colleague = make_member(org_a, email="colleague@example.com")
    submit(org_a, customer_a, colleague.email.upper())
    assert OutboxMessage.objects.get(template="request_received").to == colleague.email.upper()


@pytest.mark.django_db
def test_a_member_of_another_organisation_is_not(org_a: Organisation, customer_a: User, customer_b: User) -> None:
    submit(org_a, customer_a, customer_b.email)
    assert OutboxMessage.objects.get(template="request_received").to == customer_a.email


@pytest.mark.django_db
def test_an_address_the_requester_confirmed_is_mailed(org_a: Organisation, customer_a: User) -> None:
    EmailAddress.objects.create(user=customer_a, email="a.private@example.com", verified=True)
    EmailAddress.objects.create(user=customer_a, email="a.unconfirmed@example.com", verified=False)
    submit(org_a, customer_a, "a.private@example.com")
    submit(org_a, customer_a, "a.unconfirmed@example.com")
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == ["a.private@example.com", customer_a.email]
