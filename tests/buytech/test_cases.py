"""Buy Tech cancellations, returns and warranty claims in the case index ("My requests")."""

from __future__ import annotations

from datetime import timedelta

import pytest

from guichet.accounts.models import Organisation, User
from guichet.buytech import services
from guichet.buytech.models import ClaimRemedy
from guichet.core.models import Case
from guichet.core.tenancy import across_organisations, tenant_scope

from .conftest import Clock, deliver_all, reserve

pytestmark = pytest.mark.django_db


def case(kind: str, number: str) -> Case:
    with across_organisations():
        return Case.objects.get(kind=kind, number=number)


def test_an_order_becomes_a_case_only_when_cancelled(eligible: Organisation, buyer: User, catalogue: dict) -> None:
    order = reserve(eligible, buyer, {"BT-PH-A54-N": 1})
    with across_organisations():
        assert not Case.objects.filter(kind="buytech_cancellation").exists()
    with tenant_scope(eligible):
        services.order_cancel(actor=buyer, order=order)
    cancelled = case("buytech_cancellation", order.number)
    assert (cancelled.status, cancelled.url_name, cancelled.url_args) == (
        "closed",
        "buytech:order",
        {"number": order.number},
    )


def test_a_return_and_a_claim_follow_their_decisions(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    order = deliver_all(reserve(eligible, buyer, {"BT-LT-T14-N": 1, "BT-LT-L14-U": 1}), agent, clock)
    clock.today += timedelta(days=15)
    with tenant_scope(eligible):
        item = services.return_request(actor=buyer, order=order, positions=[1], reason="Not needed any more")
        assert case("buytech_return", item.number).status == "open"
        item = services.return_decide(actor=agent, item=item, accept=True, text="Send it to our depot.")
        accepted = case("buytech_return", item.number)
        assert (accepted.status, accepted.waits_for) == ("waiting", "customer")
        claim = services.warranty_claim(
            actor=buyer, order=order, position=2, description="Screen flickers", remedy=ClaimRemedy.REFUND
        )
        assert case("warranty_claim", claim.number).title == "Screen flickers"
        services.claim_resolve(actor=agent, claim=claim)
    assert case("warranty_claim", claim.number).status == "resolved"
