"""A NUL character anywhere in an API request is a 422 naming where, never a database error (a 500 on
PostgreSQL, whose text cannot hold one)."""

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
