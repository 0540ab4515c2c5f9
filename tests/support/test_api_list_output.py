"""GET /api/v1/requests prints its rows without validating them again: the bytes must be the schema's.

The list builds each row from `.values_list()` and prints the page with `core.api.json_response`
(issue 17). Here every page it answers is compared, byte for byte and header for header, with what
Ninja printed before: the page built from model instances by `_summary()`, validated by
`RequestPageOut` and rendered by the API's own renderer.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from guichet.accounts.models import User
from guichet.config.api import api
from guichet.core.paging import capped_count
from guichet.core.tenancy import tenant_scope
from guichet.support import selectors
from guichet.support.api import RequestPageOut, _summary
from guichet.support.models import Request
from tests.support.test_api import Api

pytestmark = pytest.mark.django_db


def _schema_bytes(org: Any, body: dict[str, Any], *, offset: int = 0, status: str = "") -> bytes:
    """What Ninja printed for the page `body` answered: the same rows, as model instances, validated."""
    with tenant_scope(org):
        requests = selectors.requests_of(org, status=status)
        count, capped = capped_count(requests)
        numbers = [item["number"] for item in body["items"]]
        items = list(requests.order_by("-created_at", "-id")[offset : offset + len(numbers)])
    assert [item.number for item in items] == numbers  # the same rows: the comparison is about their text
    validated = RequestPageOut.model_validate(
        {"items": [_summary(item) for item in items], "count": count, "count_capped": capped, "next": body["next"]}
    ).model_dump()
    return api.create_response(RequestFactory().get("/"), validated, status=200).content  # type: ignore[no-any-return]


@pytest.fixture
def listed(client, org_a, customer_a, agent_be, make_request) -> Api:  # type: ignore[no-untyped-def]
    """Five requests: text to escape and to keep as it is, one assignee with a name, one without."""
    nameless = User.objects.create_user(email="sans.nom@example.com", password="x", first_name="", last_name="")
    agent_be.first_name, agent_be.last_name = 'Zoë "Zed"', "<O'Brien & fils>"
    agent_be.save()
    customer_a.first_name, customer_a.last_name = "Ștefan", ""
    customer_a.save()
    made = [
        make_request(org_a, customer_a, subject=subject)
        for subject in ("Copie de facture", 'Écran "noir" <b>&amp;</b>', "Retour à la ligne", "日本語", "€ 1 200,00")
    ]
    with tenant_scope(org_a):
        Request.objects.filter(pk=made[1].pk).update(assignee=agent_be)
        Request.objects.filter(pk=made[2].pk).update(assignee=nameless, status="closed")
    return Api(client, customer_a)


def test_each_page_prints_the_bytes_the_schema_printed(listed, org_a) -> None:  # type: ignore[no-untyped-def]
    first = listed.get("/requests", page_size=2)
    assert first.status_code == 200 and first["Content-Type"] == "application/json; charset=utf-8"
    body = first.json()
    assert len(body["items"]) == 2 and body["next"] and body["count"] == 5 and body["count_capped"] is False
    assert first.content == _schema_bytes(org_a, body)

    second = listed.get("/requests", page_size=2, cursor=body["next"])
    assert second.content == _schema_bytes(org_a, second.json(), offset=2)
    last = listed.get("/requests", page_size=2, cursor=second.json()["next"])
    assert last.json()["next"] is None and len(last.json()["items"]) == 1
    assert last.content == _schema_bytes(org_a, last.json(), offset=4)

    by_offset = listed.get("/requests", page=2, page_size=2)
    assert by_offset.content == _schema_bytes(org_a, by_offset.json(), offset=2)
    assert by_offset.json()["items"] == second.json()["items"]

    closed = listed.get("/requests", status="closed")
    assert closed.content == _schema_bytes(org_a, closed.json(), status="closed")


def test_people_are_named_as_the_schema_named_them(listed) -> None:  # type: ignore[no-untyped-def]
    items = {item["subject"]: item for item in listed.get("/requests").json()["items"]}
    assert items['Écran "noir" <b>&amp;</b>']["assignee"] == 'Zoë "Zed" <O\'Brien & fils>'
    assert items["Retour à la ligne"]["assignee"] == "sans.nom@example.com"  # no name: the address
    assert items["Copie de facture"]["assignee"] is None
    assert {item["requester"] for item in items.values()} == {"Ștefan"}
