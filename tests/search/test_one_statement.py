"""The providers' lookups run as one statement (core.search._fetch): each lookup's rows still come
in its own order and within its own limit, read back as text, an object found twice is shown once,
and the titles are those the model instances gave."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from guichet.core import shapes
from guichet.core.search import PER_KIND, search
from guichet.core.templatetags.locale_ui import money, when
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.orders.models import Shipment
from guichet.search import searchers
from guichet.support.models import Request
from tests.inventory.conftest import make_machine

from .test_query_counts import more_data
from .test_search import customer

pytestmark = pytest.mark.django_db


def test_words_answer_the_newest_requests_first_within_the_limit(world, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    more_data(org_a, customer_a, 0, PER_KIND + 3)
    with across_organisations():
        requests = list(Request.objects.filter(organisation=org_a, subject__startswith="Maintenance"))
        now = timezone.now()
        for n, request in enumerate(sorted(requests, key=lambda r: r.subject)):
            # Not the order of creation: the hits must follow created_at, not the rows' ids.
            Request.objects.filter(pk=request.pk).update(created_at=now - timedelta(hours=(n * 7) % 13))
        newest = [r.number for r in Request.objects.filter(organisation=org_a, subject__startswith="Maintenance")]
    hits = [h.number for h in search("maintenance du serveur", customer(org_a, customer_a)).hits if h.kind == "request"]
    assert hits == newest[:PER_KIND]


def test_a_serials_beginning_answers_in_serial_order(world, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    for serial, machine_type in (("78AB009", "8286"), ("78AB003", "9009"), ("78AB003", "1234"), ("78AB002", "8286")):
        make_machine(org_a, serial=serial, machine_type=machine_type)
    hits = [h.number for h in search("78AB", customer(org_a, customer_a)).hits]
    assert hits == ["8286-42A 78AB001", "8286-42A 78AB002", "1234-42A 78AB003", "9009-42A 78AB003", "8286-42A 78AB009"]


def test_an_order_found_by_its_number_and_its_parcel_is_shown_once(world, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    order = world["a"].order
    with tenant_scope(org_a):
        Shipment.objects.filter(order=order).update(tracking_number=order.number)
    hits = search(order.number, customer(org_a, customer_a)).hits
    assert [(h.kind, h.number) for h in hits] == [("order", order.number)]


def test_titles_are_the_models_own_in_the_searchers_language(world, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    a = world["a"]
    with translation.override("fr"):
        me = customer(org_a, customer_a)
    (invoice,) = [h for h in search(str(a.invoice.total), me).hits if h.kind == "invoice"]
    (order,) = search(a.order.number, me).hits
    (machine,) = search("8286 78AB001", me).hits
    with translation.override("fr"):
        assert invoice.title == f"{a.invoice.get_kind_display()} · {money(a.invoice.total, a.invoice.currency)}"
        assert order.title == f"Commande du {when(a.order.ordered_on, 'medium')}"
    assert invoice.title.startswith("Facture · ")
    assert machine.title == a.machine.description


def test_lookups_compiled_for_one_searcher_bind_the_next_ones_own(  # type: ignore[no-untyped-def]
    world, org_a, customer_a, org_b, customer_b, agent_be, agent_ro, monkeypatch
) -> None:
    """Each lookup's SQL is compiled once per shape (core/shapes.py): another organisation, or an agent
    of another country, searching with the same shapes compiles nothing and finds its own, never the
    first searcher's."""
    a, b = world["a"], world["b"]
    shapes.forget()
    assert search(a.request.number, customer(org_a, customer_a)).jump is not None
    assert search(a.request.number, searchers.for_staff(agent_be)).jump is not None
    compiled: list[str] = []
    real = shapes._compile
    monkeypatch.setattr(shapes, "_compile", lambda queryset: compiled.append(queryset.model.__name__) or real(queryset))
    theirs = search(b.request.number, customer(org_b, customer_b))
    assert [(hit.kind, hit.number) for hit in theirs.hits] == [("request", b.request.number)]
    assert search(a.request.number, customer(org_b, customer_b)).hits == []  # A's number, as B
    assert compiled == []  # every lookup above was bound, not compiled
    assert search(a.request.number, searchers.for_staff(agent_ro)).hits == []
    assert compiled  # another jurisdiction is another shape
