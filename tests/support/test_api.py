"""Requests API: the page form's rules, tenant isolation, grants, pagination, the error format."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from guichet.core.models import OutboxMessage
from guichet.core.tenancy import tenant_scope
from guichet.support import services
from guichet.support.models import Request, RequestType, Status
from tests.accounts.test_api import token_for

pytestmark = pytest.mark.django_db

INVOICE_REQUEST: dict[str, Any] = {
    "type": "invoices",
    "subject": "Copie de facture",
    "description": "Merci de renvoyer la facture de mars.",
    "priority": "high",
    "details": {"invoice_number": "INV-2026-0042"},
}


class Api:
    """A test client that sends a customer's bearer token to /api/v1."""

    def __init__(self, client: Any, user: Any) -> None:
        response = token_for(client, user.email)
        assert response.status_code == 200, response.content
        self.client = client
        self.headers = {"Authorization": f"Bearer {response.json()['token']}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, data: Any) -> Any:
        return self.client.post(f"/api/v1{path}", data, content_type="application/json", headers=self.headers)


@pytest.fixture
def api_a(client, customer_a) -> Api:  # type: ignore[no-untyped-def]
    return Api(client, customer_a)


def create(api: Api, **overrides: Any) -> dict[str, Any]:
    response = api.post("/requests", {**INVOICE_REQUEST, **overrides})
    assert response.status_code == 201, response.content
    return response.json()  # type: ignore[no-any-return]


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code and body["message"]
    return body  # type: ignore[no-any-return]


def error_locations(response: Any) -> list[list[str]]:
    return [error["loc"] for error in assert_error(response, 422, "validation_error")["details"]["errors"]]


# --- the happy path ---------------------------------------------------------------------------


def test_create_returns_201_with_the_request_and_queues_the_confirmation(api_a, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    body = create(api_a)
    assert body["number"].startswith("BE-")
    assert body["status"] == "submitted" and body["type"] == "invoices" and body["priority"] == "high"
    assert body["details"] == {"invoice_number": "INV-2026-0042"}
    # Contact comes from the profile when the client does not override it.
    assert body["contact"] == {"name": customer_a.get_full_name(), "email": customer_a.email, "phone": "+3225551234"}
    assert [entry["kind"] for entry in body["timeline"]] == ["submitted"]
    assert OutboxMessage.objects.filter(to=customer_a.email, template="request_received").count() == 1
    with tenant_scope(org_a):
        assert Request.objects.get(number=body["number"]).requester == customer_a


def test_contact_override_is_validated_and_normalised_like_the_page(api_a) -> None:  # type: ignore[no-untyped-def]
    body = create(api_a, contact={"name": "Service comptable", "email": "compta@example.com", "phone": "02 555 12 34"})
    assert body["contact"] == {"name": "Service comptable", "email": "compta@example.com", "phone": "+3225551234"}
    response = api_a.post("/requests", {**INVOICE_REQUEST, "contact": {"email": "not-an-address", "phone": "12"}})
    assert sorted(error_locations(response)) == [
        ["body", "payload", "contact", "email"],
        ["body", "payload", "contact", "phone"],
    ]


def test_list_detail_and_reply(api_a, org_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    number = create(api_a)["number"]
    listed = api_a.get("/requests").json()
    assert listed["count"] == 1 and [item["number"] for item in listed["items"]] == [number]
    assert listed["items"][0]["subject"] == "Copie de facture"

    with tenant_scope(org_a):
        request = Request.objects.get(number=number)
        services.agent_comment(actor=agent_be, request=request, body="Secret: check billing", internal=True)
        services.agent_comment(actor=agent_be, request=request, body="Which month?", then=Status.WAITING)

    detail = api_a.get(f"/requests/{number}").json()
    assert detail["status"] == Status.WAITING
    bodies = [entry["comment"]["body"] for entry in detail["timeline"] if entry["comment"]]
    assert bodies == ["Which month?"]
    assert "Secret" not in str(detail)
    assert all("comment" not in entry["data"] for entry in detail["timeline"])

    response = api_a.post(f"/requests/{number}/comments", {"body": "  Mars 2026.  "})
    assert response.status_code == 201, response.content
    reply = response.json()
    assert reply["body"] == "Mars 2026." and reply["request_status"] == Status.IN_PROGRESS
    timeline = api_a.get(f"/requests/{number}").json()["timeline"]
    assert [e["comment"]["body"] for e in timeline if e["comment"]] == ["Which month?", "Mars 2026."]


def test_list_filters_by_status_and_search(api_a, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    first = create(api_a, subject="Facture introuvable")["number"]
    second = create(api_a, subject="Question générale", type="general", details={})["number"]
    with tenant_scope(org_a):
        services.customer_close(actor=customer_a, request=Request.objects.get(number=second))

    def numbers(**params: Any) -> list[str]:
        response = api_a.get("/requests", **params)
        assert response.status_code == 200, response.content
        return [item["number"] for item in response.json()["items"]]

    assert numbers() == [second, first]
    assert numbers(status="open") == [first]
    assert numbers(status="closed") == [second]
    assert numbers(q="introuvable") == [first]
    assert numbers(q=second) == [second]
    assert error_locations(api_a.get("/requests", status="bogus")) == [["query", "status"]]


def test_request_types_list_each_types_fields_in_the_asked_language(api_a) -> None:  # type: ignore[no-untyped-def]
    types = {item["type"]: item for item in api_a.get("/request-types").json()}
    assert list(types) == RequestType.values
    inventory = types["inventory"]["fields"]
    assert [field["name"] for field in inventory] == ["machine_type", "machine_model", "serial"]
    assert [field["required"] for field in inventory] == [True, False, True]
    assert types["general"]["fields"] == []
    assert {c["value"] for c in types["account"]["fields"][0]["choices"]} >= {"requests", "invoices"}

    with translation.override("fr"):
        expected_fr = (str(RequestType.CONTRACTS.label), translation.gettext("Contract number"))
    for response in (
        api_a.get("/request-types", lang="fr"),
        api_a.client.get("/api/v1/request-types", headers={**api_a.headers, "Accept-Language": "fr"}),
    ):
        contracts = next(item for item in response.json() if item["type"] == "contracts")
        assert (contracts["label"], contracts["fields"][0]["label"]) == expected_fr
    assert_error(api_a.get("/request-types", lang="xx"), 422, "validation_error")


def test_session_auth_works_too(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    response = client.get("/api/v1/requests")
    assert response.status_code == 200 and response.json() == {
        "items": [],
        "count": 0,
        "count_capped": False,
        "next": None,
    }


# --- bad input: 4xx in the error format, never a 500 -------------------------------------------


def test_missing_fields_are_the_page_forms_errors(api_a) -> None:  # type: ignore[no-untyped-def]
    response = api_a.post("/requests", {"type": "inventory", "details": {"machine_type": "82"}})
    assert sorted(error_locations(response)) == [
        ["body", "payload", "description"],
        ["body", "payload", "details", "machine_type"],
        ["body", "payload", "details", "serial"],
        ["body", "payload", "subject"],
    ]
    assert api_a.get("/requests").json()["count"] == 0


@pytest.mark.parametrize(
    ("payload", "location"),
    [
        ({"type": "complaints"}, ["body", "payload", "type"]),
        ({"priority": "whenever"}, ["body", "payload", "priority"]),
        ({"details": {"invoice_number": "INV 42 !"}}, ["body", "payload", "details", "invoice_number"]),
        ({"details": {"invoice_number": "INV-1", "colour": "blue"}}, ["body", "payload", "details", "colour"]),
        ({"subject": "x" * 201}, ["body", "payload", "subject"]),
        ({"type": "inventory", "details": {"machine_type": "8286", "serial": "12"}}, None),
    ],
)
def test_invalid_values_are_422_with_the_field(api_a, payload, location) -> None:  # type: ignore[no-untyped-def]
    locations = error_locations(api_a.post("/requests", {**INVOICE_REQUEST, **payload}))
    assert locations == [location or ["body", "payload", "details", "serial"]]


@pytest.mark.parametrize(
    "raw",
    [
        "{not json",
        '{"type": "invoices", "details": {"invoice_number": 42}}',
        '{"type": ["invoices"]}',
        '{"type": "invoices", "contact": "me"}',
        "[]",
    ],
)
def test_malformed_bodies_are_4xx_in_the_error_format(api_a, raw) -> None:  # type: ignore[no-untyped-def]
    response = api_a.client.post("/api/v1/requests", raw, content_type="application/json", headers=api_a.headers)
    assert 400 <= response.status_code < 500, response.content
    assert {"code", "message", "details"} <= set(response.json())


def test_reply_errors(api_a, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    number = create(api_a)["number"]
    assert_error(api_a.post(f"/requests/{number}/comments", {"body": "   "}), 400, "empty_reply")
    assert error_locations(api_a.post(f"/requests/{number}/comments", {"body": "x" * 10001})) == [
        ["body", "payload", "body"]
    ]
    with tenant_scope(org_a):
        services.customer_close(actor=customer_a, request=Request.objects.get(number=number))
    assert_error(api_a.post(f"/requests/{number}/comments", {"body": "Encore moi"}), 409, "closed")


# --- tenancy and grants ------------------------------------------------------------------------


def test_another_organisations_request_is_a_404_like_a_missing_one(client, api_a, customer_b) -> None:  # type: ignore[no-untyped-def]
    number = create(api_a)["number"]
    api_b = Api(client, customer_b)
    foreign = api_b.get(f"/requests/{number}")
    missing = api_b.get("/requests/BE-2099-999999")
    assert_error(foreign, 404, "not_found")
    assert foreign.json() == missing.json()
    assert foreign.content == missing.content
    assert_error(api_b.post(f"/requests/{number}/comments", {"body": "Hello"}), 404, "not_found")
    assert api_b.get("/requests").json() == {"items": [], "count": 0, "count_capped": False, "next": None}
    assert api_b.get("/requests", q=number).json()["count"] == 0
    # The request is untouched by the attempt.
    assert [e["kind"] for e in api_a.get(f"/requests/{number}").json()["timeline"]] == ["submitted"]


def test_x_organisation_of_another_organisation_is_a_404(api_a, org_b) -> None:  # type: ignore[no-untyped-def]
    response = api_a.client.get("/api/v1/requests", headers={**api_a.headers, "X-Organisation": org_b.customer_number})
    assert_error(response, 404, "not_found")


def test_user_without_the_requests_grant_sees_only_their_questions(client, api_a, customer_no_grant) -> None:  # type: ignore[no-untyped-def]
    """Every type but a general question needs the grant; the organisation's requests stay out of sight."""
    number = create(api_a)["number"]
    api = Api(client, customer_no_grant)
    for response in (api.post("/requests", INVOICE_REQUEST), api.get("/request-types")):
        body = assert_error(response, 403, "application_not_granted")
        assert body["details"] == {"application": "requests"}
    assert api.get("/requests").json() == {"items": [], "count": 0, "count_capped": False, "next": None}
    assert_error(api.get(f"/requests/{number}"), 404, "not_found")
    assert_error(api.post(f"/requests/{number}/comments", {"body": "Hello"}), 404, "not_found")
    assert api_a.get("/requests").json()["count"] == 1


def test_without_credentials_is_401(client) -> None:  # type: ignore[no-untyped-def]
    for response in (client.get("/api/v1/requests"), client.get("/api/v1/request-types")):
        assert_error(response, 401, "unauthenticated")


def test_agents_use_the_console_not_the_customer_api(client, agent_be) -> None:  # type: ignore[no-untyped-def]
    client.force_login(agent_be)
    assert_error(client.get("/api/v1/requests"), 403, "customer_only")


# --- pagination ----------------------------------------------------------------------------------


def test_pagination_and_its_bounds(api_a) -> None:  # type: ignore[no-untyped-def]
    numbers = [create(api_a, subject=f"Facture {i}")["number"] for i in range(3)]
    newest_first = numbers[::-1]
    page_1 = api_a.get("/requests", page=1, page_size=2).json()
    page_2 = api_a.get("/requests", page=2, page_size=2).json()
    assert page_1["count"] == page_2["count"] == 3
    assert [item["number"] for item in page_1["items"] + page_2["items"]] == newest_first
    assert api_a.get("/requests", page=3, page_size=2).json() == {
        "items": [],
        "count": 3,
        "count_capped": False,
        "next": None,
    }
    assert len(api_a.get("/requests", page_size=100).json()["items"]) == 3
    # Out of bounds is refused like any invalid field: the bounds are in the OpenAPI description.
    for params in ({"page": 0}, {"page": -1}, {"page_size": 0}, {"page_size": 101}, {"page": 10**30}):
        assert_error(api_a.get("/requests", **params), 422, "validation_error")
    for params in ({"page": "two"}, {"page_size": "many"}):
        assert_error(api_a.get("/requests", **params), 422, "validation_error")


def test_openapi_documents_the_requests_endpoints(client) -> None:  # type: ignore[no-untyped-def]
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/requests", "/api/v1/requests/{number}", "/api/v1/requests/{number}/comments"):
        assert path in paths
    assert "/api/v1/request-types" in paths
