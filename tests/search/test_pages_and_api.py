"""Global search through the pages and the API: the jump, the empty state, bad input, tenancy."""

from __future__ import annotations

import pytest
from django.test import Client

from .conftest import url

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_a_typed_number_goes_straight_to_the_invoice(world, customer_a) -> None:  # type: ignore[no-untyped-def]
    invoice = world["a"].invoice
    response = signed_in(customer_a).get(url("search:results", "fr"), {"q": invoice.number})
    assert response.status_code == 302
    assert response["Location"] == url("billing:invoice", "fr", number=invoice.number)


def test_all_shows_the_list_instead_of_jumping(world, customer_a) -> None:  # type: ignore[no-untyped-def]
    invoice = world["a"].invoice
    response = signed_in(customer_a).get(url("search:results", "fr"), {"q": invoice.number, "all": "1"})
    assert response.status_code == 200
    assert invoice.number in response.content.decode()


def test_results_are_grouped_by_kind_with_links(world, customer_a) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(customer_a).get(url("search:results", "fr"), {"q": "78AB"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="search-group-machine"' in body
    assert ">Rechercher</h1>" in body  # the French page
    assert 'href="/fr/inventory/78AB001/?type=8286"' in body


def test_another_organisations_number_is_an_empty_state(world, customer_b) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(customer_b).get(url("search:results", "ro"), {"q": world["a"].invoice.number})
    assert response.status_code == 200
    assert 'data-testid="search-empty"' in response.content.decode()


def test_an_empty_query_is_the_empty_page(customer_a) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(customer_a).get(url("search:results", "fr"), {"q": ""})
    assert response.status_code == 200
    assert 'data-testid="search-empty"' not in response.content.decode()


def test_a_too_long_query_is_a_translated_400(customer_a) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(customer_a).get(url("search:results", "fr"), {"q": "x" * 101})
    assert response.status_code == 400
    assert "caractères" in response.content.decode()


def test_a_nul_in_the_query_is_refused(customer_a) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(customer_a)
    assert client.get(url("search:results", "fr"), {"q": "BE\x00"}).status_code == 400
    assert client.get("/api/v1/search", {"q": "BE\x00"}).status_code == 422


def test_the_header_offers_the_search_box(customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    body = signed_in(customer_a).get(url("portal:home", "fr")).content.decode()
    assert f'action="{url("search:results", "fr")}"' in body and 'aria-keyshortcuts="/"' in body
    body = signed_in(agent_be).get(url("search_console:results", "fr")).content.decode()
    assert f'action="{url("search_console:results", "fr")}"' in body


def test_agents_jump_to_the_console_and_not_abroad(world, agent_be, agent_ro) -> None:  # type: ignore[no-untyped-def]
    number = world["a"].request.number
    response = signed_in(agent_be).get(url("search_console:results", "en"), {"q": number})
    assert response.status_code == 302
    assert response["Location"] == url("support_console:detail", "en", number=number)
    response = signed_in(agent_ro).get(url("search_console:results", "en"), {"q": number})
    assert response.status_code == 200
    assert 'data-testid="search-empty"' in response.content.decode()


# --- API ------------------------------------------------------------------------------------------


def test_the_api_answers_items(world, customer_a) -> None:  # type: ignore[no-untyped-def]
    invoice = world["a"].invoice
    response = signed_in(customer_a).get("/api/v1/search", {"q": invoice.number})
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "kind": "invoice",
                "number": invoice.number,
                "title": response.json()["items"][0]["title"],
                "url": response.json()["items"][0]["url"],
            }
        ]
    }
    assert response.json()["items"][0]["url"].endswith(f"/billing/{invoice.number}/")


def test_the_api_finds_nothing_of_another_organisation(world, customer_b) -> None:  # type: ignore[no-untyped-def]
    a = world["a"]
    client = signed_in(customer_b)
    for typed in (a.invoice.number, a.request.number, a.machine.serial, a.order.number, a.contract.number):
        response = client.get("/api/v1/search", {"q": typed})
        assert response.status_code == 200
        assert response.json() == {"items": []}, typed


def test_the_api_for_agents_keeps_to_their_country(world, agent_be, agent_ro) -> None:  # type: ignore[no-untyped-def]
    number = world["a"].request.number
    assert [i["kind"] for i in signed_in(agent_be).get("/api/v1/search", {"q": number}).json()["items"]] == ["request"]
    assert signed_in(agent_ro).get("/api/v1/search", {"q": number}).json() == {"items": []}


def test_the_api_bounds_and_refusals(customer_a, customer_no_grant) -> None:  # type: ignore[no-untyped-def]
    assert Client().get("/api/v1/search", {"q": "x"}).status_code == 401
    too_long = signed_in(customer_a).get("/api/v1/search", {"q": "x" * 101})
    assert too_long.status_code == 422 and too_long.json()["code"] == "validation_error"
    assert signed_in(customer_a).get("/api/v1/search").json() == {"items": []}
    # No application granted: help articles only.
    kinds = {i["kind"] for i in signed_in(customer_no_grant).get("/api/v1/search", {"q": "password"}).json()["items"]}
    assert kinds <= {"article"}


def test_the_api_is_documented() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/search"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"q"}
    assert "200" in operation["responses"] and "422" in operation["responses"]
