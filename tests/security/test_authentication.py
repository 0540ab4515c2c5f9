"""The API's own answers to missing or bad credentials, and the admin's sign-in page."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import ApiToken, Organisation, User
from tests.accounts.factories import PASSWORD


@pytest.mark.django_db
@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Basic eDp5"])
def test_api_me_without_credentials_is_a_401_in_the_error_format(client: Client, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == "unauthenticated" and body["message"] and body["details"] == {}


@pytest.mark.django_db
def test_api_me_with_a_token(client: Client, org_a: Organisation, customer_a: User) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {ApiToken.issue(customer_a)}"})
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == customer_a.email
    assert body["active_organisation"] == org_a.customer_number


@pytest.mark.django_db
def test_api_me_with_a_session(client: Client, customer_b: User) -> None:
    client.force_login(customer_b)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["email"] == customer_b.email


@pytest.mark.django_db
def test_api_token_of_a_deactivated_user_is_refused(client: Client, customer_a: User) -> None:
    token = ApiToken.issue(customer_a)
    User.objects.filter(pk=customer_a.pk).update(is_active=False)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


@pytest.mark.django_db
def test_admin_login_form_cannot_skip_mfa(client: Client, customer_no_grant: User, administrator: User) -> None:
    client.force_login(customer_no_grant)
    response = client.post("/admin/login/?next=/admin/", {"username": administrator.email, "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/admin/").status_code == 302
    assert int(client.session["_auth_user_id"]) == customer_no_grant.pk


@pytest.mark.django_db
def test_api_organisation_header_naming_another_organisation_is_a_404_like_a_missing_one(
    client: Client, org_a: Organisation, customer_b: User
) -> None:
    token = ApiToken.issue(customer_b)

    def ask(customer_number: str) -> HttpResponse:
        headers = {"Authorization": f"Bearer {token}", "X-Organisation": customer_number}
        return client.get(reverse("api-1:list_requests"), headers=headers)

    foreign, missing = ask(org_a.customer_number), ask("X-000000")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
