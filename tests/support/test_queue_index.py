"""The queue's first page is read from a partial index in its order (support 0009): it must fit the query."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.core.paging import capped_count, capped_count_of, with_capped_count
from guichet.core.tenancy import across_organisations
from guichet.support import rules, selectors
from guichet.support.models import Request
from tests.support.conftest import url

pytestmark = pytest.mark.django_db


def _queue_index():  # type: ignore[no-untyped-def]
    return next(index for index in Request._meta.indexes if index.name == "support_req_open_queue_idx")


def test_the_index_covers_exactly_the_open_requests_in_the_queue_order() -> None:
    index = _queue_index()
    assert tuple(index.fields) == selectors.QUEUE_ORDERING
    assert index.condition.children == [("status__in", sorted(rules.OPEN_STATUSES))]


def test_the_queue_reads_no_requester(client, org_a, customer_a, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    """A row shows the organisation and the assignee; joining the requester made PostgreSQL sort every open request."""
    make_request(org_a, customer_a)
    client.force_login(agent_be)
    client.get(url("support_console:queue"))  # warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url("support_console:queue"))
    assert response.status_code == 200
    page_query = next(
        q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"] and "support_request" in q["sql"]
    )
    assert 'requester_id" = ' not in page_query


def test_the_capped_count_reads_only_what_the_index_holds(  # type: ignore[no-untyped-def]
    client, org_a, customer_a, agent_be, make_request
) -> None:
    """The count ("more than 1,000") is an index-only scan of the open requests joined to the country's
    organisations (support 0011): it may read no column of the request but the ones the index holds."""
    assert tuple(_queue_index().include) == ("organisation",)
    make_request(org_a, customer_a)
    client.force_login(agent_be)
    client.get(url("support_console:queue"))  # warm
    with CaptureQueriesContext(connection) as captured:
        client.get(url("support_console:queue"))
    statement = next(
        q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"] and "support_request" in q["sql"]
    )
    count = re.search(r"COUNT\(\*\) FROM \((.*?) LIMIT", statement)  # the capped subquery
    assert count is not None
    read = set(re.findall(r'"support_request"\."(\w+)"', count.group(1)))
    assert read <= {"id", "organisation_id", "status", "resolution_due", "created_at"}, read


def test_the_queue_reads_its_page_and_its_count_in_one_statement(  # type: ignore[no-untyped-def]
    client, settings, org_a, customer_a, agent_be, make_request
) -> None:
    """The count is a column of the page's statement (one round trip), the same as `capped_count`'s, on
    every page; a page past the last row (no row to carry it) still says how many there are."""
    settings.PAGE_SIZES = {**settings.PAGE_SIZES, "support_queue": 2}
    for i in range(3):
        make_request(org_a, customer_a, subject=f"Demande {i}")
    client.force_login(agent_be)
    client.get(url("support_console:queue"))  # warm
    with CaptureQueriesContext(connection) as captured:
        first = client.get(url("support_console:queue"))
    assert sum("support_request" in q["sql"] for q in captured.captured_queries) == 1
    expected = capped_count(selectors.queue_for(agent_be, selectors.QueueFilters()))
    assert expected == (3, False)
    assert first.context["more_than"] == expected
    second = client.get(url("support_console:queue"), {"cursor": first.context["page"].next})
    assert len(second.context["page"]) == 1
    assert second.context["more_than"] == expected
    empty = client.get(url("support_console:queue"), {"q": "nothing-is-called-this"})
    assert len(empty.context["page"]) == 0
    assert empty.context["more_than"] == (0, False)


def test_the_capped_count_in_the_page_says_more_than_the_cap(org_a, customer_a, make_request) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        make_request(org_a, customer_a, subject=f"Demande {i}")
    with across_organisations():
        requests = Request.objects.all()
        rows = list(with_capped_count(requests, "n", cap=2).values_list("number", "n", named=True))
        assert capped_count_of(rows, "n", requests, cap=2) == capped_count(requests, cap=2) == (2, True)
        rows = list(with_capped_count(requests, "n", cap=3).values_list("number", "n", named=True))
        assert capped_count_of(rows, "n", requests, cap=3) == capped_count(requests, cap=3) == (3, False)
