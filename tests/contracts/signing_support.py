"""Builders for the signing tests: a contract awaiting signature, a signatory, a re-authenticated client."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse

from guichet.accounts.models import Membership, Organisation, User
from guichet.contracts.models import Contract, ContractKind, ContractService, ContractStatus, Signature
from guichet.core.tenancy import across_organisations
from tests.accounts.factories import PASSWORD, current_totp, grant_all, make_member

_numbers = iter(range(1, 10_000))


def make_contract(
    organisation: Organisation, *, status: str = ContractStatus.AWAITING_SIGNATURE, number: str = ""
) -> Contract:
    with across_organisations():
        contract = Contract.objects.create(
            organisation=organisation,
            number=number or f"{organisation.country}-HW-2026-{next(_numbers):04d}",
            kind=ContractKind.HARDWARE_MAINTENANCE,
            status=status,
            title="Maintenance imprimantes / Întreținere",
            start_date=date(2026, 1, 1),
            end_date=date(2028, 12, 31),
            currency="EUR",
            amount=Decimal("1200.00"),
        )
        ContractService.objects.create(
            contract=contract, description="Réparation sur site, jour ouvrable suivant", amount=Decimal("1200.00")
        )
    return contract


def make_signatory(organisation: Organisation, *, role: str = "member", **fields: Any) -> User:
    user = make_member(organisation, role=role, **fields)
    grant_all(user, organisation, ["contracts"])
    with across_organisations():
        Membership.objects.filter(user=user, organisation=organisation).update(is_signatory=True)
    return user


def reauthenticated_client(user: User, *, otp: bool = False) -> Client:
    """A client signed in as `user` who just confirmed their identity (password, or the MFA code)."""
    client = Client()
    client.force_login(user)
    if otp:
        response = client.post(reverse("mfa_reauthenticate"), {"code": current_totp(user)})
    else:
        response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def signed_by_customer(organisation: Organisation) -> tuple[Contract, Signature, bytes]:
    """A contract of `organisation` signed on the sign page by Marie Dubois: the contract, its signature, the file."""
    contract = make_contract(organisation)
    signatory = make_signatory(organisation, email="signer@example.com", first_name="Marie", last_name="Dubois")
    client = reauthenticated_client(signatory)
    response = client.post(
        reverse("contracts:sign", kwargs={"number": contract.number}),
        {"accept_terms": "on"},
        REMOTE_ADDR="198.51.100.7",
        HTTP_USER_AGENT="TestBrowser/1.0",
    )
    assert response.status_code == 303, response.content[:2000]
    with across_organisations():
        signature = Signature.objects.get(contract=contract)
    return contract, signature, signature.document.read()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def first_revision(data: bytes) -> list[bytes]:
    """The candidate first revisions of a PDF (up to the first %%EOF, with or without its end of line)."""
    end = data.index(b"%%EOF") + len(b"%%EOF")
    return [data[:end], data[: end + 1], data[: end + 2]]


def tampered(data: bytes) -> bytes:
    """A copy with one byte changed inside the signed range (the producer name, in the first revision)."""
    index = data.index(b"WeasyPrint")
    return data[:index] + b"WeasyPrinT" + data[index + len(b"WeasyPrint") :]
