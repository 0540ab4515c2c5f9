"""The seal in an HSM: a SoftHSM2 token made for the run signs contracts over PKCS#11, checked by pyHanko and pdfsig."""

from __future__ import annotations

import os
from collections.abc import Iterator
from io import BytesIO
from typing import Any

import pytest
from cryptography.x509.oid import ExtendedKeyUsageOID
from django.urls import reverse
from weasyprint import HTML

from guichet.contracts.models import ContractStatus, Signature
from guichet.core import signing as core_signing
from guichet.core.tenancy import across_organisations
from tests.tools import pdfsig

from . import softhsm
from .pki import Issued, issue, make_ca
from .signing_support import make_contract, make_signatory, reauthenticated_client, signed_by_customer
from .tsa import running_tsa

pytestmark = pytest.mark.django_db

VALID = "Signature Validation: Signature is Valid."
SEAL_NAME = "Guichet HSM seal (test)"


@pytest.fixture(scope="module")
def hsm_ca() -> Issued:
    return make_ca("Guichet HSM test CA")


@pytest.fixture(scope="module")
def hsm_token(tmp_path_factory, hsm_ca) -> Iterator[softhsm.Token]:  # type: ignore[no-untyped-def]
    softhsm.require_softhsm()
    directory = tmp_path_factory.mktemp("softhsm")
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(softhsm.write_config(directory))
    try:
        yield softhsm.make_token(directory, issue(hsm_ca, SEAL_NAME, usage=ExtendedKeyUsageOID.EMAIL_PROTECTION))
    finally:
        core_signing.forget_seals()  # its PKCS#11 sessions belong to this token
        softhsm.forget_token()
        if previous is not None:
            os.environ["SOFTHSM2_CONF"] = previous


@pytest.fixture
def hsm_settings(settings, tmp_path, hsm_token, hsm_ca) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """The portal configured to sign with the token (the CA as SIGNING_CHAIN_FILE), as an operator would."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_PKCS11_MODULE = hsm_token.module
    settings.SIGNING_PKCS11_TOKEN = hsm_token.label
    settings.SIGNING_PKCS11_KEY_LABEL = hsm_token.key_label
    settings.SIGNING_PKCS11_PIN = hsm_token.pin
    settings.SIGNING_CHAIN_FILE = str(hsm_ca.write_pem(tmp_path / "chain.pem"))
    core_signing.forget_seals()
    yield settings
    core_signing.forget_seals()


def test_the_seal_comes_from_the_token(hsm_settings, hsm_token, hsm_ca) -> None:  # type: ignore[no-untyped-def]
    seal = core_signing.seal()
    assert core_signing.SealConfig.from_settings().source == "pkcs11"
    assert seal.name == SEAL_NAME
    assert seal.signer.signing_cert.dump() == hsm_token.seal.cert_der()
    [root] = seal.trust_roots
    assert root.dump() == hsm_ca.cert_der()


def test_a_contract_signed_and_countersigned_with_the_hsm_seal(  # type: ignore[no-untyped-def]
    hsm_settings, hsm_token, hsm_ca, org_a, agent_be, tmp_path
) -> None:
    from django.test import Client
    from pyhanko.pdf_utils.reader import PdfFileReader

    contract, _signature, data = signed_by_customer(org_a)
    [report] = core_signing.verify_pdf(data, trust_roots=(hsm_ca.asn1_cert(),))
    assert (report.ok, report.intact, report.valid, report.trusted, report.covers_whole_document) == (
        True,
        True,
        True,
        True,
        True,
    )
    assert report.signer == SEAL_NAME and report.signer_name == "Marie Dubois"
    [embedded] = PdfFileReader(BytesIO(data)).embedded_signatures
    assert embedded.signer_cert.dump() == hsm_token.seal.cert_der()  # the token's certificate, not a dev seal
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    output = pdfsig(path)
    assert VALID in output and "ETSI.CAdES.detached" in output and "Total document signed" in output
    assert f"Signer Certificate Common Name: {SEAL_NAME}" in output

    console = Client()
    console.force_login(agent_be)
    assert console.post(reverse("contracts_console:countersign", kwargs={"number": contract.number})).status_code == 303
    with across_organisations():
        countersigned = Signature.objects.get(contract=contract, party="vendor").document.read()
    customer, vendor = core_signing.verify_pdf(countersigned, trust_roots=(hsm_ca.asn1_cert(),))
    assert customer.ok and vendor.ok and vendor.signer == SEAL_NAME and vendor.covers_whole_document
    path.write_bytes(countersigned)
    assert pdfsig(path).count(VALID) == 2


@pytest.mark.parametrize(
    ("setting", "value", "complaint"),
    [
        ("SIGNING_PKCS11_PIN", "0000", "PinIncorrect"),
        ("SIGNING_PKCS11_KEY_LABEL", "no-such-key", "no-such-key"),
        ("SIGNING_PKCS11_TOKEN", "no-such-token", "no-such-token"),
    ],
)
def test_a_wrong_pin_key_or_token_is_a_clear_signing_error(hsm_settings, setting, value, complaint) -> None:  # type: ignore[no-untyped-def]
    setattr(hsm_settings, setting, value)
    with pytest.raises(core_signing.SigningError, match="PKCS#11 seal could not be opened") as refused:
        core_signing.seal()
    assert complaint in str(refused.value)
    original = HTML(string="<p>x</p>").write_pdf()
    assert original is not None
    with pytest.raises(core_signing.SigningError):
        core_signing.sign_pdf(original, signer_name="A", reason="r", location="l", field_name="F")


def test_a_customer_is_told_to_try_again_when_the_token_refuses(hsm_settings, org_a) -> None:  # type: ignore[no-untyped-def]
    hsm_settings.SIGNING_PKCS11_PIN = "0000"
    contract = make_contract(org_a)
    client = reauthenticated_client(make_signatory(org_a, language="en"))
    response = client.post(reverse("contracts:sign", kwargs={"number": contract.number}), {"accept_terms": "on"})
    assert response.status_code == 503
    assert b"could not be sealed just now, so nothing was signed" in response.content
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AWAITING_SIGNATURE
    with across_organisations():
        assert not Signature.objects.filter(contract=contract).exists()


def test_the_hsm_seal_with_a_trusted_timestamp(hsm_settings, hsm_ca) -> None:  # type: ignore[no-untyped-def]
    """Both strengths at once: the key on the token, the time from the TSA (PAdES B-T)."""
    tsa_root = make_ca("Guichet test TSA root")
    original = HTML(string="<p>Horodaté et scellé</p>").write_pdf()
    assert original is not None
    with running_tsa(issue(tsa_root, "Guichet test TSA", usage=ExtendedKeyUsageOID.TIME_STAMPING), [tsa_root]) as (
        url,
        _received,
    ):
        hsm_settings.SIGNING_TSA_URL = url
        signed = core_signing.sign_pdf(original, signer_name="A", reason="r", location="l", field_name="F")
    [report] = core_signing.verify_pdf(
        signed, trust_roots=(hsm_ca.asn1_cert(),), tsa_trust_roots=(tsa_root.asn1_cert(),)
    )
    assert report.ok and report.signer == SEAL_NAME and report.timestamp_trusted and report.timestamped_at
