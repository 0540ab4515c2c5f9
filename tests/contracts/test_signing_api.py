"""POST /contracts/{number}/sign: the page's rules, with the password (and the MFA code) checked in the call."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache

from guichet.contracts.models import ContractStatus, Signature
from guichet.core import signing as core_signing
from guichet.core.tenancy import across_organisations
from tests.accounts.factories import PASSWORD, current_totp
from tests.accounts.test_api import token_for

from .signing_support import make_contract, make_signatory, sha256

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://portal.example"


def _headers(client: Any, user: Any, otp: str | None = None) -> dict[str, str]:
    body: dict[str, Any] = {"email": user.email, "password": PASSWORD}
    if otp:
        body["otp"] = otp
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 200, response.content
    return {"Authorization": f"Bearer {response.json()['token']}"}


def _sign(client: Any, headers: dict[str, str], number: str, **body: Any) -> Any:
    return client.post(f"/api/v1/contracts/{number}/sign", body, content_type="application/json", headers=headers)


def _error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == code and body["message"]


def test_sign_with_password(client, org_a) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a)
    signatory = make_signatory(org_a, first_name="Luc", last_name="Martin")
    headers = _headers(client, signatory)

    _error(_sign(client, headers, contract.number, password="wrong", accept_terms=True), 401, "invalid_password")
    _error(_sign(client, headers, contract.number, password=PASSWORD), 400, "terms_not_accepted")
    _error(_sign(client, headers, contract.number, accept_terms=True), 422, "validation_error")

    response = _sign(client, headers, contract.number, password=PASSWORD, accept_terms=True)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["contract"] == contract.number and body["contract_status"] == ContractStatus.ACTIVE
    assert body["party"] == "customer" and body["signer_name"] == "Luc Martin"
    assert body["document_url"].endswith(f"/contracts/{contract.number}/signed.pdf")
    with across_organisations():
        signature = Signature.objects.get(contract=contract)
    data = signature.document.read()
    assert body["document_sha256"] == signature.document_sha256 == sha256(data)
    [report] = core_signing.verify_pdf(data)
    assert report.ok

    # Signed once: the same call now conflicts.
    _error(_sign(client, headers, contract.number, password=PASSWORD, accept_terms=True), 409, "not_awaiting_signature")


def test_sign_with_mfa_needs_the_code(client, org_a) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a)
    signatory = make_signatory(org_a)
    TOTP.activate(signatory, generate_totp_secret())
    code = current_totp(signatory)
    headers = _headers(client, signatory, otp=code)
    # The code that opened the session cannot be replayed to sign.
    _error(_sign(client, headers, contract.number, password=PASSWORD, otp=code, accept_terms=True), 401, "otp_invalid")
    cache.clear()  # as in the next 30-second period, when the authenticator app shows a new code

    _error(_sign(client, headers, contract.number, password=PASSWORD, accept_terms=True), 401, "otp_required")
    _error(
        _sign(client, headers, contract.number, password=PASSWORD, otp="000000", accept_terms=True), 401, "otp_invalid"
    )
    response = _sign(
        client, headers, contract.number, password=PASSWORD, otp=current_totp(signatory), accept_terms=True
    )
    assert response.status_code == 201, response.content


def test_sign_refusals(client, org_a, org_b) -> None:  # type: ignore[no-untyped-def]
    theirs = make_contract(org_b)
    active = make_contract(org_a, status=ContractStatus.ACTIVE)
    awaiting = make_contract(org_a)
    signatory = make_signatory(org_a)
    headers = _headers(client, signatory)
    _error(_sign(client, headers, theirs.number, password=PASSWORD, accept_terms=True), 404, "not_found")
    _error(_sign(client, headers, "NO-SUCH-1", password=PASSWORD, accept_terms=True), 404, "not_found")
    _error(_sign(client, headers, active.number, password=PASSWORD, accept_terms=True), 409, "not_awaiting_signature")

    member = make_signatory(org_a, email="member@example.com")
    with across_organisations():
        member.memberships.update(is_signatory=False)
    _error(
        _sign(client, _headers(client, member), awaiting.number, password=PASSWORD, accept_terms=True),
        403,
        "not_signatory",
    )
    without_grant = make_signatory(org_a, email="nogrant-signer@example.com")
    with across_organisations():
        without_grant.grants.all().delete()
    _error(
        _sign(client, _headers(client, without_grant), awaiting.number, password=PASSWORD, accept_terms=True),
        403,
        "application_not_granted",
    )
    with across_organisations():
        assert not Signature.objects.filter(contract=awaiting).exists()
    assert token_for  # the accounts API helper stays the reference for token issuance
