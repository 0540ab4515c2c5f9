"""The demo: a catalogue, Atelier Solidaire eligible with its attestation, Brasserie Delvaux not; idempotent."""

from __future__ import annotations

import pytest

from guichet.buytech import demo, rules, services
from guichet.buytech.models import BuyTechOrder, Product
from guichet.core.tenancy import across_organisations
from tests.accounts.factories import OrganisationFactory, make_agent, make_member

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent() -> None:
    atelier = OrganisationFactory(
        customer_number="BE-100001", country="BE", is_nonprofit=True, partner_id="SW-BE-20731", language="fr"
    )
    brasserie = OrganisationFactory(customer_number="BE-100002", country="BE")
    make_member(atelier, role="admin", email="marie@atelier-solidaire.example")
    make_agent("BE", email="agent.be@guichet.example")
    first = demo.seed()
    assert first > 12
    assert Product.objects.count() == len(demo.PRODUCTS) >= 12
    assert {p.condition for p in Product.objects.all()} == {"new", "certified_used"}
    assert {"laptop", "tablet", "phone"} <= {p.kind for p in Product.objects.all()}
    assert services.gaps_of(atelier) == []
    assert rules.NOT_NONPROFIT in services.gaps_of(brasserie)
    assert demo.seed() == 0
    with across_organisations():
        assert BuyTechOrder.objects.filter(organisation=atelier).count() == 1
