"""Global search: what each searcher finds, what they never find, and the jump to one object."""

from __future__ import annotations

from decimal import Decimal

import pytest

from guichet.core.search import Query, Searcher, search
from guichet.search import searchers
from tests.accounts.factories import grant_all, make_member

from .conftest import url

pytestmark = pytest.mark.django_db


def kinds_and_numbers(results) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(hit.kind, hit.number) for hit in results.hits}


def customer(organisation, user) -> Searcher:  # type: ignore[no-untyped-def]
    from guichet.accounts import selectors
    from guichet.core.tenancy import tenant_scope

    with tenant_scope(organisation):
        return searchers.for_customer(organisation, selectors.granted_applications(user, organisation))


# --- reading the query -------------------------------------------------------------------------


def test_the_query_reads_as_identifier_amount_and_words() -> None:
    query = Query.parse("  be-2026-000001 ")
    assert query.identifier == "BE-2026-000001"
    assert query.amount is None
    assert Query.parse("1 234,50").amount == Decimal("1234.50")
    assert Query.parse("1234.5").amount == Decimal("1234.5")
    assert Query.parse("imprimante bloquée").identifier == ""  # words are not a number
    assert Query.parse("imprimante bloquée").words == ["imprimante", "bloquée"]
    assert Query.parse("a bc de").words == []  # shorter than a trigram: not worth a lookup


def test_a_searcher_is_a_customer_or_staff_never_both(org_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        Searcher(language="en", organisation=org_a, staff=agent_be)
    with pytest.raises(ValueError):
        Searcher(language="en")


# --- customers ---------------------------------------------------------------------------------


def test_a_customer_finds_each_kind_of_their_own(world, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    a = world["a"]
    me = customer(org_a, customer_a)
    assert ("invoice", a.invoice.number) in kinds_and_numbers(search(a.invoice.number, me))
    assert ("invoice", a.invoice.number) in kinds_and_numbers(search(str(a.invoice.total), me))
    assert ("request", a.request.number) in kinds_and_numbers(search(a.request.number.lower(), me))
    assert ("request", a.request.number) in kinds_and_numbers(search("imprimante bloquée", me))
    assert ("contract", a.contract.number) in kinds_and_numbers(search(a.contract.number, me))
    assert ("order", a.order.number) in kinds_and_numbers(search(a.order.number, me))
    assert ("order", a.order.number) in kinds_and_numbers(search(a.shipment.tracking_number, me))
    machine = str(a.machine)
    assert ("machine", machine) in kinds_and_numbers(search("78ab0", me))  # a serial's beginning
    assert ("machine", machine) in kinds_and_numbers(search("8286 78AB001", me))  # type + serial
    assert ("machine", machine) in kinds_and_numbers(search("8286-42A 78AB001", me))


def test_a_number_that_names_one_object_is_a_jump(world, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    a = world["a"]
    me = customer(org_a, customer_a)
    jump = search(a.invoice.number, me).jump
    assert jump is not None
    assert jump.url == url("billing:invoice", number=a.invoice.number)
    machine_jump = search("78AB001", me).jump
    assert machine_jump is not None and machine_jump.url.endswith("/inventory/78AB001/?type=8286")
    assert search("imprimante", me).jump is None  # words never jump
    assert search("78AB", me).jump is None  # a serial's beginning lists


def test_another_organisations_numbers_find_nothing(world, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    b = world["b"]
    me = customer(org_a, customer_a)
    for typed in (
        b.invoice.number,
        b.request.number,
        b.contract.number,
        b.order.number,
        b.shipment.tracking_number,
        b.machine.serial,
        f"{b.machine.machine_type} {b.machine.serial}",
    ):
        assert search(typed, me).hits == [], typed


def test_words_stay_in_the_organisation(world, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    found = kinds_and_numbers(search("imprimante", customer(org_a, customer_a)))
    assert ("request", world["a"].request.number) in found
    assert ("request", world["b"].request.number) not in found


def test_only_granted_applications_are_searched(world, org_a) -> None:  # type: ignore[no-untyped-def]
    a = world["a"]
    billing_only = make_member(org_a, email="billing@example.com")
    grant_all(billing_only, org_a, ["invoices"])
    me = customer(org_a, billing_only)
    assert [h.kind for h in search(a.invoice.number, me).hits] == ["invoice"]
    for typed in (a.request.number, a.contract.number, a.order.number, a.machine.serial):
        assert search(typed, me).hits == [], typed


def test_empty_and_blank_queries_ask_nobody(world, org_a, customer_a, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    me = customer(org_a, customer_a)
    with django_assert_num_queries(0):
        assert search("   ", me).groups == []


# --- agents --------------------------------------------------------------------------------------


def test_agents_find_their_countrys_customers_objects(world, agent_be) -> None:  # type: ignore[no-untyped-def]
    a = world["a"]
    me = searchers.for_staff(agent_be)
    jump = search(a.request.number, me).jump
    assert jump is not None and jump.url == url("support_console:detail", number=a.request.number)
    assert ("contract", a.contract.number) in kinds_and_numbers(search(a.contract.number, me))
    assert ("order", a.order.number) in kinds_and_numbers(search(a.shipment.tracking_number, me))
    assert ("request", a.request.number) in kinds_and_numbers(search("bloquée", me))


def test_an_agent_of_another_country_finds_nothing(world, agent_ro) -> None:  # type: ignore[no-untyped-def]
    a = world["a"]
    me = searchers.for_staff(agent_ro)
    for typed in (a.request.number, a.contract.number, a.order.number, a.shipment.tracking_number):
        assert search(typed, me).hits == [], typed
    found = kinds_and_numbers(search("imprimante", me))
    assert ("request", a.request.number) not in found
    assert ("request", world["b"].request.number) in found  # its own country's


def test_administrators_search_every_country(world, administrator) -> None:  # type: ignore[no-untyped-def]
    me = searchers.for_staff(administrator)
    for side in ("a", "b"):
        assert search(world[side].request.number, me).jump is not None


def test_help_articles_answer_words_not_numbers(world, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    me = customer(org_a, customer_a)
    assert any(h.kind == "article" for h in search("password", me).hits)
    assert not any(h.kind == "article" for h in search(world["a"].invoice.number, me).hits)
