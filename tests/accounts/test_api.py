"""API foundation: tokens, /me, the error format, MFA and grants."""

from __future__ import annotations

import pytest

from tests.accounts.factories import PASSWORD, current_totp, make_member


def token_for(client, email: str, password: str = PASSWORD, **extra):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/auth/token", {"email": email, "password": password, **extra}, content_type="application/json"
    )


@pytest.mark.django_db
def test_token_then_me(client, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    response = token_for(client, customer_a.email)
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["email"] == customer_a.email
    assert me["active_organisation"] == org_a.customer_number
    assert me["organisations"][0]["role"] == "admin"
    assert len(me["applications"]) == 7


@pytest.mark.django_db
def test_wrong_password_is_a_401_in_the_error_format(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    response = token_for(client, customer_a.email, "wrong")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "invalid_credentials" and body["message"] and body["details"] == {}


@pytest.mark.django_db
def test_missing_field_is_a_422_validation_error(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/auth/token", {"email": "x@y.z"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


@pytest.mark.django_db
def test_me_without_credentials_is_401(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer nonsense"}).status_code == 401


@pytest.mark.django_db
def test_agents_need_their_otp_for_a_token(client, agent_be) -> None:  # type: ignore[no-untyped-def]
    assert token_for(client, agent_be.email).json()["code"] == "otp_required"
    assert token_for(client, agent_be.email, otp="000000").json()["code"] in {"otp_invalid"}
    code = current_totp(agent_be)
    assert token_for(client, agent_be.email, otp=code).status_code == 200


@pytest.mark.django_db
def test_me_follows_x_organisation_and_hides_foreign_ones(client, org_a, org_b, customer_a) -> None:  # type: ignore[no-untyped-def]
    token = token_for(client, customer_a.email).json()["token"]
    headers = {"Authorization": f"Bearer {token}", "X-Organisation": org_b.customer_number}
    assert client.get("/api/v1/me", headers=headers).json()["active_organisation"] is None


@pytest.mark.django_db
def test_user_without_grant_sees_no_application(client, org_a) -> None:  # type: ignore[no-untyped-def]
    user = make_member(org_a)
    token = token_for(client, user.email).json()["token"]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()["applications"] == []


@pytest.mark.django_db
def test_session_auth_works_for_reads(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    assert client.get("/api/v1/me").status_code == 200


def test_openapi_is_served(client) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/auth/token" in schema["paths"] and "/api/v1/me" in schema["paths"]
