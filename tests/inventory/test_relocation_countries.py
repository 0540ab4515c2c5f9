"""Cross-border relocation (issue 14, item 10): any destination country, the portal's own rules as settings.

The vendor's FAQ sets no list of countries and no deadlines ("this process can take several
days"): any country is a destination (Canada → United States), named in the reader's language,
and the 10 business days' notice and 5 days to evaluate are this product's settings, shown as such.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from guichet.core.errors import DomainError
from guichet.core.models import OutboxMessage
from guichet.core.tenancy import tenant_scope
from guichet.inventory import services
from tests.accounts.factories import OrganisationFactory, grant_all, make_agent, make_member
from tests.inventory.conftest import make_machine, today, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def quebec():  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(country="CA", province="QC", language="fr", name="Laurentide inc.")
    member = make_member(organisation, role="admin", email="luc@example.com", language="fr")
    grant_all(member, organisation)
    return organisation, member


def test_canada_to_the_united_states_is_possible_and_named_in_the_readers_language(quebec) -> None:  # type: ignore[no-untyped-def]
    organisation, member = quebec
    machine = make_machine(organisation, serial="78CA001", site_country="CA")
    agent = make_agent("CA", email="agent.ca@example.com")
    with tenant_scope(organisation):
        relocation = services.relocation_request(
            actor=member,
            machine=machine,
            from_country="CA",
            from_address="1 rue du Port, Montréal",
            to_country="us",
            to_address="1 Main Street, Burlington VT",
            desired_date=today() + timedelta(days=40),
        )
        assert relocation.to_country == "US"
        services.relocation_assign(actor=agent, relocation=relocation, assignee=agent)
    told = OutboxMessage.objects.get(template="relocation_assigned", to=member.email)
    assert told.context["to_country"] == "États-Unis d'Amérique" and told.context["from_country"] == "Canada"
    client = Client()
    client.force_login(member)
    page = client.get(url("inventory:relocation", "fr", number=relocation.number)).content.decode()
    assert "États-Unis" in page


def test_an_unknown_country_is_refused(quebec) -> None:  # type: ignore[no-untyped-def]
    organisation, member = quebec
    machine = make_machine(organisation, serial="78CA002", site_country="CA")
    with tenant_scope(organisation), pytest.raises(DomainError) as refused:
        services.relocation_request(
            actor=member,
            machine=machine,
            from_country="CA",
            from_address="a",
            to_country="XX",
            to_address="b",
            desired_date=today() + timedelta(days=40),
        )
    assert refused.value.code == "invalid_country"


def test_the_form_offers_every_country_and_shows_the_portals_own_rules(quebec, settings) -> None:  # type: ignore[no-untyped-def]
    organisation, member = quebec
    machine = make_machine(organisation, serial="78CA003", site_country="CA")
    settings.RELOCATION_MIN_LEAD_BUSINESS_DAYS = 12
    client = Client()
    client.force_login(member)
    response = client.get(url("inventory:relocation_new", "en", serial=machine.serial))
    choices = dict(response.context["form"].fields["to_country"].choices)
    assert len(choices) > 200 and choices["US"] == "United States of America" and "JP" in choices
    page = response.content.decode()
    assert "This portal's own planning rules, not the vendor's policy" in page and "at least 12 business days" in page
    too_soon = client.post(
        url("inventory:relocation_new", "en", serial=machine.serial),
        {
            "from_country": "CA",
            "from_address": "1 rue du Port",
            "to_country": "US",
            "to_address": "1 Main Street",
            "desired_date": (today() + timedelta(days=11)).isoformat(),
        },
    )
    assert too_soon.status_code == 400  # 11 calendar days are fewer than 12 business days
