"""A request's pages read it through a statement compiled once per shape (core/shapes.py `instances`):
the same request, organisation, requester and assignee as Django's `select_related` built, nothing
read again when the page uses them, and the same 404s for what the reader may not see."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Model
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from guichet.core import shapes
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.support import selectors, services
from guichet.support.models import Request
from tests.accounts.factories import make_agent, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh() -> None:
    shapes.forget()


def _columns(instance: Model | None) -> dict[str, Any] | None:
    if instance is None:
        return None
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def _same_as_django(read: Request, number: str) -> None:
    with across_organisations():
        django = Request.objects.select_related(*selectors.REQUEST_JOINS).get(number=number)
    assert isinstance(read, Request) and read._state.adding is False and read._state.db == django._state.db
    with CaptureQueriesContext(connection) as captured:
        for name in ("", *selectors.REQUEST_JOINS):
            assert _columns(getattr(read, name) if name else read) == _columns(
                getattr(django, name) if name else django
            )
    assert not captured.captured_queries  # each related row came with the request
    assert read.details == {"invoice_number": "INV-2026-1"}  # the JSON decoded, as Django does


def test_the_customer_and_the_agent_read_what_select_related_read(  # type: ignore[no-untyped-def]
    org_a, customer_a, agent_be, make_request
) -> None:
    unassigned = make_request(org_a, customer_a)
    assigned = make_request(org_a, customer_a)
    with tenant_scope(org_a):
        services.request_assign(actor=agent_be, request=assigned, assignee=agent_be)
    for item in (unassigned, assigned, unassigned):  # the second read of a shape: bound, not compiled
        with tenant_scope(org_a):
            _same_as_django(selectors.get_request_for(org_a, item.number), item.number)
        _same_as_django(selectors.get_request_for_staff(agent_be, item.number), item.number)
    assert selectors.get_request_for_staff(agent_be, unassigned.number).assignee is None
    assert selectors.get_request_for_staff(agent_be, assigned.number).assignee == agent_be


def test_what_the_reader_may_not_see_is_a_404(org_a, org_b, customer_a, agent_be, agent_ro, make_request) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a)
    colleague = make_member(org_a, email="colleague@example.com")
    with tenant_scope(org_b), pytest.raises(Http404):
        selectors.get_request_for(org_b, item.number)  # another organisation's number
    with tenant_scope(org_a), pytest.raises(Http404):
        selectors.get_request_for(org_a, item.number, questions_of=colleague)  # not their question
    with tenant_scope(org_a), pytest.raises(Http404):
        selectors.get_request_for(org_a, "BE-0000-000000")
    with pytest.raises(Http404):
        selectors.get_request_for_staff(agent_ro, item.number)  # another country's team
    nobody = make_agent("", email="no.country@example.com")  # serves no organisation: no statement at all
    with CaptureQueriesContext(connection) as captured, pytest.raises(Http404):
        selectors.get_request_for_staff(nobody, item.number)
    assert not captured.captured_queries
    assert selectors.get_request_for_staff(agent_be, item.number).pk == item.pk
