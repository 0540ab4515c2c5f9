"""Kept answers (core/search.py): the same search again costs no query until what it read is written,
and a kept answer is only ever given to a searcher who would have found the same: never to another
organisation (even of the same country, with the same grants), another set of grants, another
language, another agent or another jurisdiction."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from guichet.accounts.models import ApiToken
from guichet.core import data_versions
from guichet.core.search import read_labels, search
from guichet.core.tenancy import tenant_scope
from guichet.help import search_provider
from guichet.search import searchers
from guichet.support import services as support_services
from tests.accounts.factories import OrganisationFactory, grant_all, make_member

from .conftest import url
from .test_search import customer
from .test_search import kinds_and_numbers as everything_found

pytestmark = pytest.mark.django_db

WORDS = "imprimante bloquée"  # the subject of every organisation's request in the world


def kinds_and_numbers(results) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """What the providers that read the database found (help articles answer words too, from their own cache)."""
    return {(kind, number) for kind, number in everything_found(results) if kind != "article"}


def test_the_same_search_again_asks_the_database_nothing(world, org_a, customer_a, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    me = customer(org_a, customer_a)
    search("password", me)  # the help centre's index, loaded once per process
    for text in (WORDS, world["a"].invoice.number, str(world["a"].invoice.total), "78AB"):
        first = search(text, me)  # one statement (test_query_counts.py), and the help centre's words once
        with django_assert_num_queries(0):
            again = search(text, me)
        assert again.hits == first.hits and again.hits, text
        assert [group.kind for group in again.groups] == [group.kind for group in first.groups]


def test_a_write_to_what_it_read_shows_at_the_next_search(world, org_a, customer_a, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    me = customer(org_a, customer_a)
    before = kinds_and_numbers(search(WORDS, me))
    with tenant_scope(org_a):
        new = support_services.request_submit(
            actor=customer_a,
            organisation=org_a,
            type="general",
            subject="Imprimante bloquée au rez-de-chaussée",
            description="Encore.",
            details={},
            contact={"name": customer_a.get_full_name(), "email": customer_a.email},
        )
    with django_assert_num_queries(1):
        after = kinds_and_numbers(search(WORDS, me))
    assert after == before | {("request", new.number)}


def test_a_write_elsewhere_keeps_the_answer(world, org_a, customer_a, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    """Only a write to an application a provider reads replaces the answer: not help, nor accounts."""
    me = customer(org_a, customer_a)
    search(WORDS, me)
    data_versions.bump(["help", "accounts"])
    with django_assert_num_queries(0):
        search(WORDS, me)


def test_every_application_a_provider_reads_is_watched() -> None:
    assert {"support", "billing", "contracts", "orders", "inventory", "buytech"} <= read_labels()
    assert read_labels() <= data_versions._watched()


def test_another_organisation_of_the_same_country_and_grants_never_gets_it(world, holdings, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    org_c = OrganisationFactory(country="BE", name="Org C SA", language="fr")
    customer_c = make_member(org_c, role="admin", email="c@example.com", language="fr")
    grant_all(customer_c, org_c)
    c = holdings(org_c, customer_c, serial="78AB555", tracking="323299900000000000420003")
    mine = kinds_and_numbers(search(WORDS, customer(org_a, customer_a)))
    theirs = kinds_and_numbers(search(WORDS, customer(org_c, customer_c)))
    assert ("request", world["a"].request.number) in mine and ("request", c.request.number) not in mine
    assert theirs == {("request", c.request.number)}
    # Numbers: org A's invoice, kept for A, is nothing for C; a serial's beginning both share finds each its own.
    assert search(world["a"].invoice.number, customer(org_a, customer_a)).jump is not None
    assert search(world["a"].invoice.number, customer(org_c, customer_c)).hits == []
    assert kinds_and_numbers(search("78AB", customer(org_c, customer_c))) == {("machine", str(c.machine))}


def test_fewer_grants_in_the_same_organisation_get_their_own_answer(world, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    everything = search(world["a"].request.number, customer(org_a, customer_a))
    assert everything.jump is not None
    billing_only = make_member(org_a, email="billing@example.com")
    grant_all(billing_only, org_a, ["invoices"])
    assert search(world["a"].request.number, customer(org_a, billing_only)).hits == []


def test_each_language_gets_its_own_links(world, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    number = world["a"].invoice.number
    for language in ("fr", "nl", "fr", "en"):
        with translation.override(language):
            me = customer(org_a, customer_a)
        (hit,) = search(number, me).hits
        assert hit.url == url("billing:invoice", language, number=number)


def test_agents_never_get_another_jurisdictions_answer(world, agent_be, agent_ro, administrator) -> None:  # type: ignore[no-untyped-def]
    a, b = world["a"].request.number, world["b"].request.number
    assert kinds_and_numbers(search(WORDS, searchers.for_staff(agent_be))) == {("request", a)}
    assert kinds_and_numbers(search(WORDS, searchers.for_staff(agent_ro))) == {("request", b)}
    assert kinds_and_numbers(search(WORDS, searchers.for_staff(administrator))) == {("request", a), ("request", b)}
    # The same agent moved to another country: not their old country's kept answer.
    agent_be.country = "RO"
    agent_be.save(update_fields=["country"])
    assert kinds_and_numbers(search(WORDS, searchers.for_staff(agent_be))) == {("request", b)}


def test_a_customer_never_gets_an_agents_answer_nor_the_reverse(world, org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    number = world["a"].request.number
    staff_hit = search(number, searchers.for_staff(agent_be)).jump
    customer_hit = search(number, customer(org_a, customer_a)).jump
    assert staff_hit is not None and customer_hit is not None
    assert staff_hit.url == url("support_console:detail", "en", number=number)
    assert customer_hit.url == url("support:detail", "en", number=number)


def test_through_the_api_and_the_page_another_organisation_gets_nothing_kept(world, customer_a, customer_b) -> None:  # type: ignore[no-untyped-def]
    a = world["a"]
    api_a = Client(headers={"Authorization": f"Bearer {ApiToken.issue(customer_a)}"})
    api_b = Client(headers={"Authorization": f"Bearer {ApiToken.issue(customer_b)}"})
    page_b = Client()
    page_b.force_login(customer_b)
    for typed in (a.invoice.number, a.request.number, WORDS, a.machine.serial):
        for _ in range(2):  # asked, then kept
            assert api_a.get("/api/v1/search", {"q": typed}).json()["items"], typed
        items = api_b.get("/api/v1/search", {"q": typed}).json()["items"]
        assert all(item["number"] != a.request.number for item in items)
        body = page_b.get(url("search:results", "ro"), {"q": typed, "all": "1"}).content.decode()
        for number in (a.invoice.number, a.request.number, str(a.machine)):
            assert f">{number}</a>" not in body, typed


def test_help_articles_are_asked_every_time(world, org_a, customer_a, monkeypatch) -> None:  # type: ignore[no-untyped-def]

    me = customer(org_a, customer_a)
    assert any(h.kind == "article" for h in search("password", me).hits)
    monkeypatch.setattr(search_provider, "find_articles", lambda *args, **kwargs: [])
    hits = search("password", me).hits
    assert not any(h.kind == "article" for h in hits)
