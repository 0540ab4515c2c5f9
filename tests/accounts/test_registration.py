"""Registration: every required field and both consents, or nothing is created."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.accounts.forms import normalise_phone
from guichet.accounts.models import Consent, Membership, Organisation, User
from guichet.accounts.rules import CONSENT_WORDING_VERSION
from guichet.core.tenancy import across_organisations
from tests.accounts.factories import OrganisationFactory

VALID = {
    "email": "jeanne@exemple.be",
    "first_name": "Jeanne",
    "last_name": "Martin",
    "phone": "02 555 12 34",
    "company_name": "Imprimerie Martin",
    "customer_number": "",
    "country": "BE",
    "language": "fr",
    "password1": "un mot de passe solide 42",
    "password2": "un mot de passe solide 42",
    "consent_contact": "on",
    "consent_transfer": "on",
}


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("02 555 12 34", "BE", "+3225551234"),
        ("+32 2 555 12 34", "RO", "+3225551234"),  # an international number ignores the country
        ("021 315 00 44", "RO", "+40213150044"),
        ("(514) 555-0133", "CA", "+15145550133"),
    ],
)
def test_phone_is_normalised_for_the_country(raw: str, country: str, expected: str) -> None:
    assert normalise_phone(raw, country) == expected


@pytest.mark.parametrize(("raw", "country"), [("12", "BE"), ("not a phone", "RO"), ("02 555 12 34", "CA")])
def test_invalid_phone_is_refused(raw: str, country: str) -> None:
    from django import forms

    with pytest.raises(forms.ValidationError):
        normalise_phone(raw, country)


def signup(client, **overrides):  # type: ignore[no-untyped-def]
    data = {**VALID, **overrides}
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(reverse("account_signup"), data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "missing", ["consent_contact", "consent_transfer", "first_name", "phone", "company_name", "country"]
)
def test_missing_field_or_consent_creates_nothing(client, missing: str) -> None:  # type: ignore[no-untyped-def]
    response = signup(client, **{missing: None})
    assert response.status_code == 200
    assert missing in response.context["form"].errors
    assert not User.objects.exists()
    assert not Organisation.objects.exists()
    assert not Consent.objects.exists()


@pytest.mark.django_db
def test_errors_are_translated(client) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation

    with translation.override("fr"):
        url = reverse("account_signup")
    response = client.post(url, {**VALID, "consent_transfer": ""})
    errors = response.context["form"].errors["consent_transfer"]
    assert errors == ["Nous avons besoin de ce consentement pour créer votre identité."]


@pytest.mark.django_db
def test_complete_registration_keeps_consents_and_creates_a_provisional_organisation(client) -> None:  # type: ignore[no-untyped-def]
    response = signup(client, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    user = User.objects.get(email="jeanne@exemple.be")
    assert (user.first_name, user.phone, user.language, user.country) == ("Jeanne", "+3225551234", "fr", "BE")
    consents = {c.purpose: c for c in user.consents.all()}
    assert set(consents) == {Consent.Purpose.CONTACT, Consent.Purpose.TRANSFER}
    assert all(c.wording_version == CONSENT_WORDING_VERSION and c.given_at for c in consents.values())
    membership = Membership.objects.get(user=user)
    assert membership.role == Membership.Role.MEMBER
    assert membership.organisation.name == "Imprimerie Martin"
    assert not membership.organisation.verified
    with across_organisations():
        assert user.grants.count() == 0


@pytest.mark.django_db
def test_known_customer_number_asks_that_organisation_to_approve(client) -> None:  # type: ignore[no-untyped-def]
    from guichet.accounts.models import JoinRequest

    org = OrganisationFactory(customer_number="BE-777001", country="BE")
    assert signup(client, customer_number="be-777001").status_code == 302
    assert not Membership.objects.filter(user__email="jeanne@exemple.be").exists()
    assert JoinRequest.objects.get(user__email="jeanne@exemple.be").organisation == org
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
def test_customer_number_of_another_country_is_not_joined(client) -> None:  # type: ignore[no-untyped-def]
    OrganisationFactory(customer_number="RO-1", country="RO")
    signup(client, customer_number="RO-1")
    assert Membership.objects.get(user__email="jeanne@exemple.be").organisation.country == "BE"


@pytest.mark.django_db
def test_registration_is_audited(client) -> None:  # type: ignore[no-untyped-def]
    from guichet.core.models import AuditEvent

    signup(client)
    event = AuditEvent.objects.get(action="account.registered")
    assert event.actor.email == "jeanne@exemple.be"
    assert event.ip == "127.0.0.1"
    assert event.data["wording_version"] == CONSENT_WORDING_VERSION
