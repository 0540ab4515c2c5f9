"""Inputs that were server errors: a NUL character anywhere in an API request (a 500 on
PostgreSQL, whose text cannot hold one), a statement of year 1. Each is now a 422 naming where."""

from __future__ import annotations

import pytest

from guichet.accounts.models import ApiToken


@pytest.mark.django_db
def test_nul_in_path_query_or_body_is_refused(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {ApiToken.issue(customer_a)}"}
    cases = [
        (client.get("/api/v1/invoices/BE%00-1", headers=headers), ["path"]),
        (client.get("/api/v1/requests", {"q": "a\x00b"}, headers=headers), ["query", "q"]),
        (
            client.post(
                "/api/v1/auth/token", {"email": "a\x00@example.com", "password": "x"}, content_type="application/json"
            ),
            ["body", "email"],
        ),
        (
            client.post(
                "/api/v1/requests", {"type": "general", "details": {"x": ["\x00"]}}, content_type="application/json"
            ),
            ["body", "details", "x", 0],
        ),
    ]
    for response, loc in cases:
        assert response.status_code == 422, response.content
        body = response.json()
        assert body["code"] == "validation_error"
        assert [error["loc"] for error in body["details"]["errors"]] == [loc]
    # Without a NUL the same calls reach the API as before.
    assert client.get("/api/v1/requests", {"q": "ab"}, headers=headers).status_code == 200


@pytest.mark.django_db
def test_statement_of_year_one_is_refused_not_a_crash(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    """Found by schemathesis: `end=0001-01-01` made the default period's start overflow (a 500)."""
    headers = {"Authorization": f"Bearer {ApiToken.issue(customer_a)}"}
    for params in ({"end": "0001-01-01"}, {"start": "0001-01-01", "end": "0001-12-31"}):
        response = client.get("/api/v1/statement", params, headers=headers)
        assert response.status_code == 422 and response.json()["code"] == "validation_error"
    # Dates are taken from 1990 on (core.forms.DateField, every form); within that a statement answers.
    assert client.get("/api/v1/statement", {"end": "2000-12-31"}, headers=headers).status_code == 200
