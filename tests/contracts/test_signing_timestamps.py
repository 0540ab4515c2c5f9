"""PAdES B-T: with SIGNING_TSA_URL set, signatures carry an RFC 3161 timestamp from a real TSA over HTTP."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import BytesIO

import pytest
from cryptography.x509.oid import ExtendedKeyUsageOID
from django.urls import reverse
from django.utils import translation
from weasyprint import HTML

from guichet.contracts.models import ContractStatus, Signature
from guichet.core import signing as core_signing
from guichet.core.models import OutboxMessage
from guichet.core.tenancy import across_organisations
from tests.accounts.factories import PASSWORD
from tests.tools import pdfsig

from .pki import Issued, issue, make_ca
from .signing_support import make_contract, make_signatory, reauthenticated_client, signed_by_customer
from .tsa import closed_port_url, dumped_timestamp_tokens, running_tsa

pytestmark = pytest.mark.django_db

VALID = "Signature Validation: Signature is Valid."
TSA_NAME = "Guichet test TSA"
REFUSAL = "The document could not be sealed just now, so nothing was signed. Try again in a few minutes."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def tsa_ca() -> Issued:
    return make_ca("Guichet test TSA root")


@pytest.fixture(scope="module")
def tsa_cert(tsa_ca) -> Issued:  # type: ignore[no-untyped-def]
    return issue(tsa_ca, TSA_NAME, usage=ExtendedKeyUsageOID.TIME_STAMPING)


def _stamped(requests: list[bytes]) -> list[bytes]:
    """The requests that timestamped a signature (pyHanko first asks for one of the empty digest, to size its token)."""
    from asn1crypto import tsp

    empty = hashlib.sha256(b"").digest()
    imprints = [tsp.TimeStampReq.load(body)["message_imprint"]["hashed_message"].native for body in requests]
    return [imprint for imprint in imprints if imprint != empty]


def _pdf() -> bytes:
    data = HTML(string="<h1>Contrat</h1><p>Horodatage qualifié.</p>").write_pdf()
    assert data is not None
    return data


def test_a_signature_carries_a_timestamp_from_the_tsa(settings, tmp_path, tsa_ca, tsa_cert) -> None:  # type: ignore[no-untyped-def]
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    seal_roots = core_signing.seal().trust_roots
    with running_tsa(tsa_cert, chain=[tsa_ca]) as (url, received):
        settings.SIGNING_TSA_URL = url
        before = dt.datetime.now(dt.UTC)
        signed = core_signing.sign_pdf(
            _pdf(), signer_name="Marie Dubois", reason="Test", location="Bruxelles", field_name="TestSignature"
        )
        after = dt.datetime.now(dt.UTC)
    assert len(_stamped(received)) == 1  # one timestamp, fetched over HTTP, for the one signature

    # pyHanko itself: the signature's timestamp token, checked against the TSA's root.
    [embedded] = PdfFileReader(BytesIO(signed)).embedded_signatures
    status = validate_pdf_signature(
        embedded,
        signer_validation_context=ValidationContext(trust_roots=list(seal_roots), allow_fetching=False),
        ts_validation_context=ValidationContext(trust_roots=[tsa_ca.asn1_cert()], allow_fetching=False),
    )
    token = status.timestamp_validity
    assert token is not None and token.intact and token.valid and token.trusted
    assert token.signing_cert.subject.native["common_name"] == TSA_NAME
    assert before - dt.timedelta(seconds=1) <= token.timestamp <= after + dt.timedelta(seconds=1)
    assert status.bottom_line

    # The portal's own check reports it.
    [report] = core_signing.verify_pdf(signed, tsa_trust_roots=(tsa_ca.asn1_cert(),))
    assert report.ok and report.timestamp_trusted and report.timestamped_at == token.timestamp
    # A TSA nobody trusts does not vouch for the time, and pyHanko's bottom line says so.
    [untrusted] = core_signing.verify_pdf(signed)
    assert untrusted.intact and untrusted.valid and untrusted.timestamp_trusted is False and not untrusted.ok

    path = tmp_path / "timestamped.pdf"
    path.write_bytes(signed)
    output = pdfsig(path)
    assert VALID in output and "ETSI.CAdES.detached" in output
    assert "Signer Certificate Common Name: Guichet development seal (signing)" in output
    tsa_root = tsa_ca.write_pem(tmp_path / "tsa-root.pem")
    [verdict] = dumped_timestamp_tokens(path, tsa_root)
    assert verdict == "Verification: OK", verdict


def test_a_customer_signature_and_the_countersignature_are_both_timestamped(  # type: ignore[no-untyped-def]
    settings, org_a, agent_be, tsa_ca, tsa_cert
) -> None:
    from django.test import Client

    with running_tsa(tsa_cert, chain=[tsa_ca]) as (url, received):
        settings.SIGNING_TSA_URL = url
        contract, _signature, _data = signed_by_customer(org_a)
        console = Client()
        console.force_login(agent_be)
        response = console.post(reverse("contracts_console:countersign", kwargs={"number": contract.number}))
        assert response.status_code == 303
    assert len(_stamped(received)) == 2
    with across_organisations():
        countersigned = Signature.objects.get(contract=contract, party="vendor").document.read()
    reports = core_signing.verify_pdf(countersigned, tsa_trust_roots=(tsa_ca.asn1_cert(),))
    assert [r.field_name for r in reports] == ["CustomerSignature", "VendorSignature"]
    assert all(r.ok and r.timestamp_trusted for r in reports)
    customer, vendor = reports
    assert customer.timestamped_at is not None and vendor.timestamped_at is not None
    assert customer.timestamped_at <= vendor.timestamped_at


def test_an_unreachable_tsa_is_a_signing_error(settings) -> None:  # type: ignore[no-untyped-def]
    url = closed_port_url()
    settings.SIGNING_TSA_URL = url
    with pytest.raises(core_signing.SigningError, match="time-stamping authority") as refused:
        core_signing.sign_pdf(_pdf(), signer_name="A", reason="r", location="l", field_name="F")
    assert url in str(refused.value)


def test_a_customer_is_told_and_nothing_is_signed_when_the_tsa_is_down(settings, org_a) -> None:  # type: ignore[no-untyped-def]
    settings.SIGNING_TSA_URL = closed_port_url()
    contract = make_contract(org_a)
    signatory = make_signatory(org_a, email="signer@example.com", language="fr")
    client = reauthenticated_client(signatory)
    with translation.override("fr"):
        refusal = translation.gettext(REFUSAL)
        url = reverse("contracts:sign", kwargs={"number": contract.number})
    response = client.post(url, {"accept_terms": "on"})
    assert response.status_code == 503
    assert refusal != REFUSAL
    assert refusal in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AWAITING_SIGNATURE
    with across_organisations():
        assert not Signature.objects.filter(contract=contract).exists()
    assert not OutboxMessage.objects.filter(template="contract_signed").exists()

    # The API says the same, with a stable code a client can retry on.
    token = client.post(
        "/api/v1/auth/token", {"email": signatory.email, "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    api = client.post(
        f"/api/v1/contracts/{contract.number}/sign",
        {"password": PASSWORD, "accept_terms": True},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "fr"},
    )
    assert api.status_code == 503, api.content
    assert api.json()["code"] == "seal_unavailable"
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AWAITING_SIGNATURE
