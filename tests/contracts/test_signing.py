"""Electronic signature: PAdES files checked by pyHanko and by poppler's pdfsig, tampering detected, the rules."""

from __future__ import annotations

import stat
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from weasyprint import HTML

from guichet.contracts import signing
from guichet.contracts.models import ContractStatus, Signature
from guichet.core import signing as core_signing
from guichet.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from guichet.core.models import AuditEvent, OutboxMessage
from guichet.core.tenancy import across_organisations
from tests.accounts.factories import make_member
from tests.tools import pdfsig, pdftotext

from .signing_support import (
    first_revision,
    make_contract,
    make_signatory,
    reauthenticated_client,
    sha256,
    signed_by_customer,
    tampered,
)

pytestmark = pytest.mark.django_db

VALID = "Signature Validation: Signature is Valid."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://portal.example"


# --- the core module -------------------------------------------------------------------------------


def test_sign_pdf_is_valid_for_pyhanko_and_pdfsig_and_a_tampered_copy_is_not(tmp_path) -> None:
    original = HTML(string="<h1>Contrat</h1><p>Conditions générales, Întreținere.</p>").write_pdf()
    assert original is not None
    signed = core_signing.sign_pdf(
        original,
        signer_name="Marie Dubois",
        reason="Test",
        location="Bruxelles",
        field_name="TestSignature",
        stamp_lines=["Marie Dubois", "Atelier Solidaire ASBL", "1 décembre 2026 10:00"],
    )
    assert signed.startswith(original)  # an incremental update: the original bytes are kept as they were

    [report] = core_signing.verify_pdf(signed)
    assert (report.intact, report.valid, report.trusted, report.covers_whole_document, report.ok) == (
        True,
        True,
        True,
        True,
        True,
    )
    assert report.field_name == "TestSignature" and report.signer_name == "Marie Dubois"
    assert report.timestamped_at is None and report.timestamp_trusted is None  # no SIGNING_TSA_URL: PAdES B-B
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    output = pdfsig(path)
    assert VALID in output and "ETSI.CAdES.detached" in output and "Total document signed" in output
    assert "Marie Dubois" in pdftotext(signed)  # the visible block

    broken = tampered(signed)
    assert len(broken) == len(signed)
    [report] = core_signing.verify_pdf(broken)
    assert not report.intact and not report.ok
    path.write_bytes(broken)
    output = pdfsig(path)
    assert VALID not in output and "Digest Mismatch" in output


def test_unreadable_pdf_has_no_trusted_signature() -> None:
    assert core_signing.verify_pdf(b"%PDF-1.7 not really") == []


def test_dev_seal_is_generated_once_with_private_files(tmp_path) -> None:
    directory = core_signing.ensure_dev_seal(tmp_path / "signing")
    names = sorted(p.name for p in directory.iterdir())
    assert names == ["ca-cert.pem", "ca-key.pem", "seal-cert.pem", "seal-key.pem"]
    for path in directory.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = (directory / "seal-cert.pem").read_bytes()
    assert core_signing.ensure_dev_seal(tmp_path / "signing") == directory
    assert (directory / "seal-cert.pem").read_bytes() == before


def test_seal_from_key_files(settings, tmp_path) -> None:
    directory = core_signing.ensure_dev_seal(tmp_path / "elsewhere")
    settings.SIGNING_KEY_FILE = str(directory / "seal-key.pem")
    settings.SIGNING_CERT_FILE = str(directory / "seal-cert.pem")
    bundle = tmp_path / "chain.pem"  # issuers as deployments often ship them: the leaf, then the root
    bundle.write_bytes((directory / "seal-cert.pem").read_bytes() + (directory / "ca-cert.pem").read_bytes())
    settings.SIGNING_CHAIN_FILE = str(bundle)
    seal = core_signing.seal()
    [root] = seal.trust_roots
    assert root.subject.native["common_name"] == core_signing.DEV_CA_NAME
    assert core_signing.SealConfig.from_settings().source == "file"
    assert seal.name == core_signing.DEV_SIGNER_NAME
    original = HTML(string="<p>x</p>").write_pdf()
    assert original is not None
    signed = core_signing.sign_pdf(original, signer_name="A", reason="r", location="l", field_name="F")
    [report] = core_signing.verify_pdf(signed, trust_roots=seal.trust_roots)
    assert report.ok
    # The workstation's own dev seal is another root: it does not vouch for this one.
    other_dev_seal = core_signing._seal_for(core_signing.SealConfig(*[""] * 8), str(tmp_path / "other"))
    [report] = core_signing.verify_pdf(signed, trust_roots=other_dev_seal.trust_roots)
    assert report.intact and not report.trusted and not report.ok


def test_pkcs11_with_a_missing_module_says_so(settings) -> None:
    settings.SIGNING_PKCS11_MODULE = "/nonexistent/libpkcs11.so"
    settings.SIGNING_PKCS11_KEY_LABEL = "seal"
    assert core_signing.SealConfig.from_settings().source == "pkcs11"
    with pytest.raises(core_signing.SigningError, match=r"/nonexistent/libpkcs11\.so"):
        core_signing.seal()


# --- the customer signs ----------------------------------------------------------------------------


def test_customer_signs_after_reauthenticating(org_a, tmp_path) -> None:  # type: ignore[no-untyped-def]
    admin = make_member(org_a, role="admin", email="boss@example.com", language="fr")
    contract, signature, data = signed_by_customer(org_a)

    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE
    assert signature.party == "customer" and signature.signer_name == "Marie Dubois"
    assert signature.organisation_name == org_a.name
    assert signature.ip_address == "198.51.100.7" and signature.user_agent == "TestBrowser/1.0"
    assert signature.document_sha256 == sha256(data)
    # The contract as rendered is the first revision of the signed file: its hash is the recorded one.
    assert signature.content_sha256 in {sha256(prefix) for prefix in first_revision(data)}

    [report] = core_signing.verify_pdf(data)
    assert report.ok and report.covers_whole_document and report.field_name == signing.CUSTOMER_FIELD
    path = tmp_path / "contract.pdf"
    path.write_bytes(data)
    assert VALID in pdfsig(path)

    audit_page = pdftotext(data, first_page=2)
    for expected in ("Marie Dubois", "signer@example.com", "198.51.100.7", signature.content_sha256[:32], org_a.name):
        assert expected in audit_page.replace("\n", " ") or expected in audit_page, expected
    assert contract.number in audit_page

    with across_organisations():
        event = AuditEvent.objects.get(action="contract.signed", target=contract.number)
    assert event.data["document_sha256"] == signature.document_sha256 and event.ip == "198.51.100.7"
    recipients = set(OutboxMessage.objects.filter(template="contract_signed").values_list("to", flat=True))
    assert recipients == {"signer@example.com", admin.email}


FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def test_audit_page_is_in_the_organisation_language(org_a, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _contract, _signature, data = signed_by_customer(org_a)  # org_a writes in French
    text = pdftotext(data, first_page=2)
    assert any(month in text for month in FRENCH_MONTHS)  # the time, in the support centre's zone, in French
    assert "UTC" in text


def test_signed_e_mails_render(org_a, tmp_path, mailoutbox, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from guichet.core.notifications.rendering import render

    _contract, signature, _data = signed_by_customer(org_a)
    for message in OutboxMessage.objects.filter(template="contract_signed"):
        email = render(message)
        assert signature.contract.number in email.subject
        assert f"/contracts/{signature.contract.number}/signed.pdf" in str(email.body)
        assert "Marie Dubois" in str(email.body)


def test_signed_document_download(org_a, tmp_path) -> None:  # type: ignore[no-untyped-def]
    contract, signature, data = signed_by_customer(org_a)
    reader = make_signatory(org_a, email="reader@example.com")
    client = reauthenticated_client(reader)
    response = client.get(reverse("contracts:signed_document", kwargs={"number": contract.number}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"{contract.number}-signed.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == data
    assert response["X-Content-SHA256"] == signature.document_sha256


# --- the vendor countersigns -----------------------------------------------------------------------


def test_countersignature_keeps_the_customer_signature_valid(  # type: ignore[no-untyped-def]
    org_a, agent_be, tmp_path
) -> None:
    contract, first, data = signed_by_customer(org_a)
    from django.test import Client

    console = Client()
    console.force_login(agent_be)
    response = console.post(reverse("contracts_console:countersign", kwargs={"number": contract.number}))
    assert response.status_code == 303
    with across_organisations():
        second = Signature.objects.get(contract=contract, party="vendor")
    countersigned = second.document.read()
    assert countersigned.startswith(data)
    assert second.content_sha256 == first.document_sha256 == sha256(data)

    customer, vendor = core_signing.verify_pdf(countersigned)
    assert customer.field_name == signing.CUSTOMER_FIELD and vendor.field_name == signing.VENDOR_FIELD
    assert customer.ok and customer.intact and customer.modification_level == "form_filling"
    assert vendor.ok and vendor.covers_whole_document
    path = tmp_path / "countersigned.pdf"
    path.write_bytes(countersigned)
    assert pdfsig(path).count(VALID) == 2

    # Tampering with the first revision breaks both.
    assert not any(r.intact for r in core_signing.verify_pdf(tampered(countersigned)))

    # Customers now download the countersigned file; a second countersignature is refused.
    client = reauthenticated_client(first.signer)
    response = client.get(reverse("contracts:signed_document", kwargs={"number": contract.number}))
    assert b"".join(response.streaming_content) == countersigned
    with pytest.raises(Conflict):
        signing.contract_countersign(actor=agent_be, contract=contract, http_request=None)
    assert OutboxMessage.objects.filter(template="contract_countersigned", to=first.signer.email).exists()


def test_countersign_refusals(org_a, agent_ro, agent_be, administrator) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a)
    with pytest.raises(Conflict):  # nothing to countersign yet
        signing.contract_countersign(actor=agent_be, contract=contract, http_request=None)
    with pytest.raises(NotFound):  # another country's agent does not see it
        signing.contract_countersign(actor=agent_ro, contract=contract, http_request=None)
    assert signing.may_countersign(administrator, contract)
    from django.test import Client

    console = Client()
    console.force_login(agent_ro)
    response = console.post(reverse("contracts_console:countersign", kwargs={"number": contract.number}))
    assert response.status_code == 404


# --- refusals ---------------------------------------------------------------------------------------


def test_sign_page_sends_to_reauthentication_first(org_a) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a)
    signatory = make_signatory(org_a)
    from django.test import Client

    client = Client()
    client.force_login(signatory)  # signed in, but not just now
    url = reverse("contracts:sign", kwargs={"number": contract.number})
    for response in (client.get(url), client.post(url, {"accept_terms": "on"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))
        assert "next=" in response["Location"]
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AWAITING_SIGNATURE
    with pytest.raises(signing.ReauthenticationRequired):
        signing.contract_sign(
            actor=signatory, organisation=org_a, contract=contract, http_request=None, terms_accepted=True
        )


def test_sign_page_then_terms_must_be_accepted(org_a) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a)
    client = reauthenticated_client(make_signatory(org_a))
    url = reverse("contracts:sign", kwargs={"number": contract.number})
    page = client.get(url)
    assert page.status_code == 200
    assert contract.title.encode() in page.content and b'name="accept_terms"' in page.content
    assert reverse("contracts:copy", kwargs={"number": contract.number}).encode() in page.content
    refused = client.post(url, {})
    assert refused.status_code == 400
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AWAITING_SIGNATURE


def test_mfa_users_reauthenticate_with_their_code(org_a) -> None:  # type: ignore[no-untyped-def]
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.test import Client

    contract = make_contract(org_a)
    signatory = make_signatory(org_a)
    TOTP.activate(signatory, generate_totp_secret())
    url = reverse("contracts:sign", kwargs={"number": contract.number})
    password_only = reauthenticated_client(signatory)
    response = password_only.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_reauthenticate"))
    client = reauthenticated_client(signatory, otp=True)
    assert client.get(url).status_code == 200
    assert client.post(url, {"accept_terms": "on"}).status_code == 303
    assert Client  # imported for symmetry with the other tests


def test_not_signatory_cannot_sign(org_a) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a)
    member = make_signatory(org_a)
    with across_organisations():
        member.memberships.update(is_signatory=False)
    client = reauthenticated_client(member)
    url = reverse("contracts:sign", kwargs={"number": contract.number})
    page = client.get(url)
    assert page.status_code == 200 and b'data-testid="not-signatory"' in page.content
    assert b'name="accept_terms"' not in page.content
    assert client.post(url, {"accept_terms": "on"}).status_code == 403
    with pytest.raises(PermissionDenied):
        signing.contract_sign(
            actor=member, organisation=org_a, contract=contract, http_request=None, terms_accepted=True
        )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AWAITING_SIGNATURE


@pytest.mark.parametrize("status", [ContractStatus.DRAFT, ContractStatus.ACTIVE, ContractStatus.TERMINATED])
def test_only_a_contract_awaiting_signature_can_be_signed(org_a, status) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a, status=status)
    client = reauthenticated_client(make_signatory(org_a))
    assert (
        client.post(reverse("contracts:sign", kwargs={"number": contract.number}), {"accept_terms": "on"}).status_code
        == 409
    )
    with across_organisations():
        assert not Signature.objects.filter(contract=contract).exists()


def test_another_organisations_contract_is_not_found(org_a, org_b) -> None:  # type: ignore[no-untyped-def]
    theirs = make_contract(org_b)
    client = reauthenticated_client(make_signatory(org_a))
    for name in ("contracts:sign", "contracts:signed_document"):
        assert client.get(reverse(name, kwargs={"number": theirs.number})).status_code == 404
    assert (
        client.post(reverse("contracts:sign", kwargs={"number": theirs.number}), {"accept_terms": "on"}).status_code
        == 404
    )
    signatory_a = make_signatory(org_a, email="other-signer@example.com")
    with pytest.raises(NotFound):
        signing.contract_sign(
            actor=signatory_a, organisation=org_a, contract=theirs, http_request=None, terms_accepted=True
        )


def test_no_signed_document_before_signature(org_a) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a)
    client = reauthenticated_client(make_signatory(org_a))
    assert client.get(reverse("contracts:signed_document", kwargs={"number": contract.number})).status_code == 404


# --- a signed contract cannot change ---------------------------------------------------------------


def test_signed_contract_cannot_change(org_a, tmp_path) -> None:  # type: ignore[no-untyped-def]
    contract, signature, _data = signed_by_customer(org_a)
    with across_organisations():
        contract.refresh_from_db()
        contract.amount = contract.amount + 1
        with pytest.raises(ValidationError):
            contract.save()
        contract.refresh_from_db()
        contract.title = "Autre titre"
        with pytest.raises(ValidationError):
            contract.save(update_fields=["title"])
        contract.refresh_from_db()
        contract.status = ContractStatus.TERMINATED  # the contract's life goes on: a termination ends it
        contract.end_date = date(2027, 6, 30)
        contract.save(update_fields=["status", "end_date"])
        service = contract.services.get()
        service.description = "Autre chose"
        with pytest.raises(ValidationError):
            service.save()
        with pytest.raises(ValidationError):
            service.delete()
        signature.signer_name = "Someone else"
        with pytest.raises(ValidationError):
            signature.save()
        with pytest.raises(ValidationError):
            signature.delete()


def test_signing_twice_is_refused(org_a, tmp_path) -> None:  # type: ignore[no-untyped-def]
    contract, signature, _data = signed_by_customer(org_a)
    with across_organisations():
        contract.status = ContractStatus.AWAITING_SIGNATURE  # even if someone put it back
        contract.save(update_fields=["status"])
    with pytest.raises(DomainError):
        signing.contract_sign(
            actor=signature.signer, organisation=org_a, contract=contract, http_request=None, terms_accepted=True
        )


@pytest.mark.django_db(transaction=True)
def test_two_signatures_at_once_make_one(org_a) -> None:  # type: ignore[no-untyped-def]
    """Two signatories confirm at the same moment: the contract row lock lets one sign, the other is refused."""
    import threading

    from django.db import connection
    from django.test import RequestFactory

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite serialises writers anyway)")
    contract = make_contract(org_a)
    signatories = [make_signatory(org_a, email=f"s{i}@example.com") for i in range(2)]
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def sign(user) -> None:  # type: ignore[no-untyped-def]
        request = RequestFactory().post("/")
        setattr(request, signing.API_CONFIRMED_ATTRIBUTE, 1.0)
        try:
            start.wait()
            signing.contract_sign(
                actor=user, organisation=org_a, contract=contract, http_request=request, terms_accepted=True
            )
            outcomes.append("signed")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(user,)) for user in signatories]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "signed"]
    with across_organisations():
        assert Signature.objects.filter(contract=contract).count() == 1


def test_reauthentication_expires(org_a, settings) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a)
    client = reauthenticated_client(make_signatory(org_a))
    url = reverse("contracts:sign", kwargs={"number": contract.number})
    assert client.get(url).status_code == 200
    settings.SIGNING_REAUTHENTICATION_SECONDS = 0
    response = client.post(url, {"accept_terms": "on"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AWAITING_SIGNATURE
