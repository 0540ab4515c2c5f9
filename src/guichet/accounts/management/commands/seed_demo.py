"""Create the demo organisations and accounts of docs/interfaces.md (idempotent)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management.base import BaseCommand
from django.db import transaction

from guichet.accounts.models import Application, ApplicationGrant, Membership, Organisation, User
from guichet.accounts.rules import application_offered
from guichet.core.contexts import contexts
from guichet.core.tenancy import across_organisations

DEMO_PASSWORD = "guichet-demo"  # noqa: S105 - documented demo password

ORGANISATIONS = [
    {
        "customer_number": "BE-100001",
        "name": "Atelier Solidaire ASBL",
        "country": "BE",
        "language": "fr",
        "address_line": "Rue Haute 120",
        "postal_code": "1000",
        "city": "Bruxelles",
        "vat_number": "BE0456123789",
        "is_nonprofit": True,
        "partner_id": "SW-BE-20731",
        "verified": True,
    },
    {
        "customer_number": "BE-100002",
        "name": "Brasserie Delvaux SA",
        "country": "BE",
        "language": "fr",
        "address_line": "Chaussée de Louvain 455",
        "postal_code": "1030",
        "city": "Schaerbeek",
        "vat_number": "BE0402987654",
        "verified": True,
    },
    {
        "customer_number": "CA-200001",
        "name": "Imprimerie Laurentide inc.",
        "country": "CA",
        "province": "QC",
        "language": "fr",
        "address_line": "2200 rue Saint-Denis",
        "postal_code": "H2X 3K8",
        "city": "Montréal",
        "vat_number": "123456789RT0001",
        "verified": True,
    },
    {
        "customer_number": "RO-300001",
        "name": "Tipografia Carpați SRL",
        "country": "RO",
        "language": "ro",
        "address_line": "Strada Lipscani 42",
        "postal_code": "030031",
        "city": "București",
        "vat_number": "RO18547290",
        "verified": True,
    },
]

CUSTOMERS = [
    # email, first, last, phone, language, organisation, role, all applications?
    ("marie@atelier-solidaire.example", "Marie", "Dubois", "+3225120011", "fr", "BE-100001", "admin", True),
    ("paul@brasserie-delvaux.example", "Paul", "Delvaux", "+3222150022", "fr", "BE-100002", "admin", True),
    ("luc@imprimerie-laurentide.example", "Luc", "Tremblay", "+15145550133", "fr", "CA-200001", "admin", True),
    ("ana@tipografia-carpati.example", "Ana", "Popescu", "+40213150044", "ro", "RO-300001", "admin", True),
    ("nina@tipografia-carpati.example", "Nina", "Ionescu", "+40213150045", "ro", "RO-300001", "member", False),
]

STAFF = [
    ("agent.be@guichet.example", "Sophie", "Lambert", "fr", "BE", User.Kind.AGENT),
    ("agent.ca@guichet.example", "Marc", "Gagnon", "fr", "CA", User.Kind.AGENT),
    ("agent.ro@guichet.example", "Ioana", "Marin", "ro", "RO", User.Kind.AGENT),
    ("admin@guichet.example", "Alex", "Admin", "en", "", User.Kind.ADMIN),
]

DEMO_EMAILS = frozenset([c[0] for c in CUSTOMERS] + [s[0] for s in STAFF])


def _user(email: str, **fields: Any) -> tuple[User, bool]:
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(email, DEMO_PASSWORD, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user, True


class Command(BaseCommand):
    help = "Create the demo organisations and accounts (re-running changes nothing)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        created = 0
        organisations = {}
        for data in ORGANISATIONS:
            org, was_created = Organisation.objects.get_or_create(
                customer_number=data["customer_number"], defaults=data
            )
            organisations[org.customer_number] = org
            created += was_created
        for email, first, last, phone, language, number, role, all_apps in CUSTOMERS:
            org = organisations[number]
            user, was_created = _user(
                email, first_name=first, last_name=last, phone=phone, language=language, country=org.country
            )
            created += was_created
            Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": role})
            if all_apps:
                with across_organisations():
                    for application in Application.values:
                        if application_offered(application, org.country):
                            ApplicationGrant.objects.get_or_create(organisation=org, user=user, application=application)
        for email, first, last, language, country, kind in STAFF:
            user, was_created = _user(
                email,
                first_name=first,
                last_name=last,
                language=language,
                country=country,
                kind=kind,
                is_staff=kind == User.Kind.ADMIN,
                is_superuser=kind == User.Kind.ADMIN,
            )
            created += was_created
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, generate_totp_secret())
        # Each context adds its demo objects through its own seeder (core/contexts.py).
        for context in contexts():
            created += context.seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} objects created)."))
