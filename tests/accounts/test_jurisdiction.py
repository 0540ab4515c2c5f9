"""One rule says which organisations a member of the vendor's staff serves (accounts/jurisdiction.py)."""

from __future__ import annotations

import pytest

from guichet.accounts import jurisdiction
from guichet.accounts.models import Organisation
from guichet.core.errors import PermissionDenied
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_administrators_serve_everyone_agents_their_country_customers_nobody(  # type: ignore[no-untyped-def]
    org_a, org_b, agent_be, agent_ro, administrator, customer_a
) -> None:
    assert jurisdiction.may_serve(administrator, org_a) and jurisdiction.may_serve(administrator, org_b)
    assert jurisdiction.may_serve(agent_be, org_a) and not jurisdiction.may_serve(agent_be, org_b)
    assert jurisdiction.may_serve(agent_ro, org_b) and not jurisdiction.may_serve(agent_ro, org_a)
    # A customer account has a country too: it serves nobody, even its own country's organisations.
    assert customer_a.country == org_a.country and not jurisdiction.may_serve(customer_a, org_a)


def test_the_query_filter_says_the_same(org_a, org_b, agent_be, administrator, customer_a) -> None:  # type: ignore[no-untyped-def]
    def served(user) -> set[str]:  # type: ignore[no-untyped-def]
        return set(Organisation.objects.filter(jurisdiction.served_by(user, "")).values_list("name", flat=True))

    assert served(administrator) >= {org_a.name, org_b.name}
    assert served(agent_be) == set(Organisation.objects.filter(country="BE").values_list("name", flat=True))
    assert served(customer_a) == set()
    agent_without_country = UserFactory(kind="agent", country="")
    assert served(agent_without_country) == set()


def test_actions_on_another_countrys_customer_are_refused(org_b, agent_be) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        jurisdiction.ensure_serves(agent_be, org_b)
