"""factory_boy factories for identities and organisations."""

from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from guichet.accounts.models import Application, ApplicationGrant, Membership, Organisation, User
from guichet.core.tenancy import across_organisations

PASSWORD = "correct horse battery"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    customer_number = factory.Sequence(lambda n: f"T-{n:06d}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    country = "BE"
    language = "fr"
    verified = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    phone = "+3225551234"
    language = "en"
    country = "BE"

    @factory.post_generation
    def password(self, create: bool, value: str | None, **kwargs: Any) -> None:
        self.set_password(value or PASSWORD)
        if create:
            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


def make_member(organisation: Organisation, role: str = "member", **fields: Any) -> User:
    fields.setdefault("country", organisation.country)
    user = UserFactory(**fields)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def grant_all(user: User, organisation: Organisation, applications: list[str] | None = None) -> None:
    with across_organisations():
        for application in applications or Application.values:
            ApplicationGrant.objects.get_or_create(organisation=organisation, user=user, application=application)


def make_agent(country: str, kind: str = "agent", with_mfa: bool = True, **fields: Any) -> User:
    user = UserFactory(country=country, kind=kind, is_staff=kind == "admin", is_superuser=kind == "admin", **fields)
    if with_mfa:
        TOTP.activate(user, generate_totp_secret())
    return user


def totp_secret(user: User) -> str:
    from allauth.mfa.utils import decrypt

    return str(decrypt(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]))


def current_totp(user: User) -> str:
    """The code an authenticator app would show for `user` right now."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(totp_secret(user), counters[len(counters) // 2]))
