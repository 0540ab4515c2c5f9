"""Electronic signature of contracts: the customer signs, the vendor may countersign.

What a signed file is: the contract PDF exactly as rendered for the customer
(first revision, its SHA-256 is `Signature.content_sha256`), then one
incremental revision adding the audit page (who, when, from which address, that
SHA-256), then the customer's PAdES signature by the vendor's seal with its
visible block on the audit page. A countersignature is one more incremental
revision on top of that file, so the customer's signature stays valid.

A signed contract cannot change: once a `Signature` row exists, the contract's
terms (`SIGNED_TERMS`), its service lines and the signature rows themselves
refuse to be saved or deleted (model signals registered below; services refuse
to sign twice). Status moves (active, terminated, expired), the end date a
termination sets, and machine coverage, which follow the contract's life, stay
possible.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from babel.dates import format_datetime
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.accounts import jurisdiction, login_limits
from guichet.accounts.models import Membership, Organisation, User
from guichet.core import audit
from guichet.core.audit import client_ip
from guichet.core.calendar import calendar_for
from guichet.core.documents import render_pdf
from guichet.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from guichet.core.money import locale_for
from guichet.core.notifications.outbox import enqueue
from guichet.core.signing import sign_or_refuse
from guichet.core.tenancy import across_organisations, tenant_scope

from .errors import Code
from .models import Contract, ContractService, ContractStatus, Signature, SignatureParty

VENDOR_NAME = "Guichet"  # as the contract documents name the vendor
CUSTOMER_FIELD = "CustomerSignature"
VENDOR_FIELD = "VendorSignature"
# Terms a signature covers: none of them may change once a signature exists. The end date is not one:
# a termination (its own signed notice) or a ServicePac activation moves it, as the contract foresees.
SIGNED_TERMS = ("organisation_id", "number", "kind", "title", "start_date", "currency", "amount")
USER_AGENT_MAX = 300
DEFAULT_REAUTH_SECONDS = 600
# The API checks the password (and code) in the same call; a page relies on allauth's recent re-authentication.
API_CONFIRMED_ATTRIBUTE = "_guichet_identity_confirmed_at"


class ReauthenticationRequired(PermissionDenied):
    code = Code.REAUTHENTICATION_REQUIRED
    status = 401


# --- identity ----------------------------------------------------------------------------------


def has_mfa(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def reauthentication_url_name(user: User) -> str:
    """Where to confirm one's identity: the MFA code when enabled, else the password."""
    return "mfa_reauthenticate" if has_mfa(user) else "account_reauthenticate"


def recently_reauthenticated(http_request: HttpRequest, user: User) -> bool:
    """The person confirmed their identity within SIGNING_REAUTHENTICATION_SECONDS: MFA if enabled, else password.

    Signing in is not enough: a session left open must not be enough to sign.
    """
    if getattr(http_request, API_CONFIRMED_ATTRIBUTE, None):
        return True
    if not hasattr(http_request, "session"):
        return False
    wanted = "mfa" if has_mfa(user) else "password"
    records = [
        r for r in get_authentication_records(http_request, user) if r.get("reauthenticated") and r["method"] == wanted
    ]
    if not records:
        return False
    return time.time() - records[-1]["at"] < getattr(
        settings, "SIGNING_REAUTHENTICATION_SECONDS", DEFAULT_REAUTH_SECONDS
    )


def confirm_identity(http_request: HttpRequest, user: User, *, password: str, otp: str | None) -> None:
    """API re-authentication: the password, plus the authenticator code when MFA is on."""
    # allauth's adapter, not bare `authenticate`: failed attempts count towards its login rate limit.
    try:
        checked = get_adapter(http_request).authenticate(http_request, email=user.email, password=password or "")
    except ValidationError:
        raise login_limits.Throttled(login_limits.TOO_MANY) from None
    if checked is None or checked.pk != user.pk:
        raise ReauthenticationRequired(_("The password is not correct."), code=Code.INVALID_PASSWORD)
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        if not otp:
            raise ReauthenticationRequired(_("Enter the code from your authenticator app."), code=Code.OTP_REQUIRED)
        # Wrong codes count like those of the token endpoint: the same limits, lock and alert.
        if not login_limits.verify_totp(http_request, user, otp):
            raise ReauthenticationRequired(_("Incorrect code."), code=Code.OTP_INVALID)
    setattr(http_request, API_CONFIRMED_ATTRIBUTE, time.time())


# --- the audit page --------------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class SigningFacts:
    signer_name: str
    signer_email: str
    organisation_name: str
    signed_at: datetime
    ip_address: str | None
    user_agent: str
    content_sha256: str


def centre_tz(organisation: Organisation) -> ZoneInfo:
    return calendar_for(organisation.country, organisation.province or None).tz


def _when(moment: datetime, organisation: Organisation, language: str) -> str:
    tz = centre_tz(organisation)
    return format_datetime(moment, "long", tzinfo=tz, locale=locale_for(language, organisation.country))


def audit_page_pdf(contract: Contract, facts: SigningFacts, *, language: str) -> bytes:
    organisation = contract.organisation
    context = {
        "contract": contract,
        "organisation": organisation,
        "facts": facts,
        "signed_at_local": _when(facts.signed_at, organisation, language),
        "signed_at_utc": facts.signed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
    }
    return render_pdf("contracts/documents/signature_audit.html", context, language=language)


def append_page(data: bytes, page_pdf: bytes) -> bytes:
    """`data` with the first page of `page_pdf` added at the end, as an incremental revision.

    The original bytes stay the file's prefix, so the hash printed on the audit
    page can be checked against the first revision of the signed file.
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader

    writer = IncrementalPdfFileWriter(BytesIO(data))
    source = PdfFileReader(BytesIO(page_pdf))
    xobject = writer.import_page_as_xobject(source, page_ix=0)
    x1, y1, x2, y2 = (float(v) for v in xobject.get_object()["/BBox"])
    contents = generic.StreamObject(stream_data=b"q /AuditPage Do Q")
    page = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Page"),
            generic.NameObject("/MediaBox"): generic.ArrayObject(
                [generic.FloatObject(x1), generic.FloatObject(y1), generic.FloatObject(x2), generic.FloatObject(y2)]
            ),
            generic.NameObject("/Resources"): generic.DictionaryObject(
                {generic.NameObject("/XObject"): generic.DictionaryObject({generic.NameObject("/AuditPage"): xobject})}
            ),
            generic.NameObject("/Contents"): writer.add_object(contents),
        }
    )
    writer.insert_page(page)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


# --- immutability --------------------------------------------------------------------------------


class SignedContractError(ValidationError):
    pass


def _is_signed(contract_id: int | None) -> bool:
    if contract_id is None:
        return False
    with across_organisations():
        return Signature.objects.filter(contract_id=contract_id).exists()


@receiver(pre_save, sender=Contract, dispatch_uid="contracts.signed_terms_frozen")
def _freeze_signed_terms(sender: type, instance: Contract, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None or not _is_signed(instance.pk):
        return
    with across_organisations():
        stored = Contract.objects.filter(pk=instance.pk).values(*SIGNED_TERMS).first()
    if stored and any(stored[field] != getattr(instance, field) for field in SIGNED_TERMS):
        raise SignedContractError(gettext_lazy("A signed contract cannot change."), code=Code.SIGNED)


@receiver(pre_save, sender=ContractService, dispatch_uid="contracts.signed_services_frozen")
@receiver(pre_delete, sender=ContractService, dispatch_uid="contracts.signed_services_not_deleted")
def _freeze_signed_services(sender: type, instance: ContractService, raw: bool = False, **kwargs: Any) -> None:
    if not raw and _is_signed(instance.contract_id):
        raise SignedContractError(gettext_lazy("A signed contract cannot change."), code=Code.SIGNED)


@receiver(pre_save, sender=Signature, dispatch_uid="contracts.signatures_kept")
@receiver(pre_delete, sender=Signature, dispatch_uid="contracts.signatures_not_deleted")
def _keep_signatures(sender: type, instance: Signature, raw: bool = False, **kwargs: Any) -> None:
    if not raw and instance.pk is not None:
        raise SignedContractError(gettext_lazy("A signature is kept as it was made."), code=Code.SIGNATURE_KEPT)


# --- services --------------------------------------------------------------------------------------


def _facts(actor: User, organisation_name: str, http_request: HttpRequest | None, content_sha256: str) -> SigningFacts:
    user_agent = http_request.headers.get("User-Agent", "") if http_request is not None else ""
    return SigningFacts(
        signer_name=actor.shown_as,
        signer_email=actor.email,
        organisation_name=organisation_name,
        signed_at=timezone.now().replace(microsecond=0),
        ip_address=client_ip(http_request),
        user_agent=user_agent[:USER_AGENT_MAX],
        content_sha256=content_sha256,
    )


def _store(contract: Contract, party: str, actor: User, facts: SigningFacts, signed: bytes) -> Signature:
    signature = Signature(
        contract=contract,
        party=party,
        signer=actor,
        signer_name=facts.signer_name,
        signer_email=facts.signer_email,
        organisation_name=facts.organisation_name,
        signed_at=facts.signed_at,
        ip_address=facts.ip_address,
        user_agent=facts.user_agent,
        document_sha256=_sha256(signed),
        content_sha256=facts.content_sha256,
    )
    signature.document.save(f"{contract.number}-{party}.pdf", ContentFile(signed), save=False)
    signature.save()
    return signature


def _locked(contract: Contract) -> Contract:
    with across_organisations():
        return Contract.objects.select_for_update().select_related("organisation").get(pk=contract.pk)


def _signed_url(contract: Contract, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("contracts:signed_document", kwargs={"number": contract.number})


def _tell(contract: Contract, recipients: list[User], template: str, **extra: Any) -> None:
    seen: set[str] = set()
    for user in recipients:
        if user.email in seen:
            continue
        seen.add(user.email)
        language = user.language or contract.organisation.language
        enqueue(
            to=user.email,
            language=language,
            template=template,
            context={
                "number": contract.number,
                "title": contract.title,
                "first_name": user.first_name,
                "url": _signed_url(contract, language),
                **extra,
            },
            thread_key=contract.number,
        )


def _organisation_admins(organisation: Organisation) -> list[User]:
    with across_organisations():
        return [
            m.user
            for m in Membership.objects.filter(organisation=organisation, role=Membership.Role.ADMIN).select_related(
                "user"
            )
            if m.user.is_active
        ]


def may_sign(actor: User, organisation: Organisation) -> bool:
    with across_organisations():
        return Membership.objects.filter(user=actor, organisation=organisation, is_signatory=True).exists()


@transaction.atomic
def contract_sign(
    *,
    actor: User,
    organisation: Organisation,
    contract: Contract,
    http_request: HttpRequest | None,
    terms_accepted: bool = False,
) -> Signature:
    """The customer's signature: audit page, PAdES seal, stored file and hashes, contract active."""
    if contract.organisation_id != organisation.pk:
        raise NotFound(_("No such contract."))
    if not may_sign(actor, organisation):
        raise PermissionDenied(
            _("Only a signatory of %(organisation)s can sign its contracts.") % {"organisation": organisation.name},
            code=Code.NOT_SIGNATORY,
        )
    if http_request is None or not recently_reauthenticated(http_request, actor):
        raise ReauthenticationRequired(_("Confirm your identity again before signing."))
    if not terms_accepted:
        raise DomainError(_("Confirm that you have read and accept the terms."), code=Code.TERMS_NOT_ACCEPTED)
    contract = _locked(contract)
    if contract.status != ContractStatus.AWAITING_SIGNATURE or _is_signed(contract.pk):
        raise Conflict(_("This contract is not awaiting your signature."), code=Code.NOT_AWAITING_SIGNATURE)

    from .documents import contract_pdf

    language = organisation.language
    with tenant_scope(organisation):  # callers off a page (API, tasks, threads) may have none open
        unsigned = contract_pdf(contract, language)
    facts = _facts(actor, organisation.name, http_request, _sha256(unsigned))
    with translation.override(language):
        with_audit = append_page(unsigned, audit_page_pdf(contract, facts, language=language))
        signed = sign_or_refuse(
            with_audit,
            signer_name=facts.signer_name,
            reason=_("Contract %(number)s signed by the customer") % {"number": contract.number},
            location=organisation.name,
            field_name=CUSTOMER_FIELD,
            stamp_lines=[
                facts.signer_name,
                organisation.name,
                _when(facts.signed_at, organisation, language),
            ],
        )
    signature = _store(contract, SignatureParty.CUSTOMER, actor, facts, signed)
    contract.status = ContractStatus.ACTIVE
    contract.save(update_fields=["status"])
    audit.record(
        "contract.signed",
        actor=actor,
        organisation=organisation,
        target=contract.number,
        data={"document_sha256": signature.document_sha256, "content_sha256": signature.content_sha256},
        request=http_request,
    )
    _tell(contract, [actor, *_organisation_admins(organisation)], "contract_signed", signer=facts.signer_name)
    return signature


def may_countersign(actor: User, contract: Contract) -> bool:
    return jurisdiction.may_serve(actor, contract.organisation)


@transaction.atomic
def contract_countersign(*, actor: User, contract: Contract, http_request: HttpRequest | None) -> Signature:
    """The vendor's countersignature: an incremental revision of the customer-signed file."""
    if not may_countersign(actor, contract):
        raise NotFound(_("No such contract."))
    contract = _locked(contract)
    with across_organisations():
        signatures = {s.party: s for s in Signature.objects.filter(contract=contract)}
    customer = signatures.get(SignatureParty.CUSTOMER)
    if customer is None:
        raise Conflict(_("The customer has not signed this contract yet."), code=Code.NOT_SIGNED_BY_CUSTOMER)
    if SignatureParty.VENDOR in signatures:
        raise Conflict(_("This contract is already countersigned."), code=Code.ALREADY_COUNTERSIGNED)
    with customer.document.open("rb") as handle:
        customer_signed = handle.read()
    if _sha256(customer_signed) != customer.document_sha256:
        raise Conflict(_("The signed document does not match its recorded fingerprint."), code=Code.DOCUMENT_ALTERED)
    organisation = contract.organisation
    language = organisation.language
    facts = _facts(actor, VENDOR_NAME, http_request, customer.document_sha256)
    with translation.override(language):
        signed = sign_or_refuse(
            customer_signed,
            signer_name=facts.signer_name,
            reason=_("Contract %(number)s countersigned by the vendor") % {"number": contract.number},
            location=organisation.country,
            field_name=VENDOR_FIELD,
            stamp_lines=[facts.signer_name, facts.organisation_name, _when(facts.signed_at, organisation, language)],
        )
    signature = _store(contract, SignatureParty.VENDOR, actor, facts, signed)
    audit.record(
        "contract.countersigned",
        actor=actor,
        organisation=organisation,
        target=contract.number,
        data={"document_sha256": signature.document_sha256},
        request=http_request,
    )
    _tell(contract, [customer.signer, *_organisation_admins(organisation)], "contract_countersigned")
    return signature


def latest_signature(contract: Contract) -> Signature | None:
    """The most recent signed file of `contract` (the countersigned one when there is one)."""
    with across_organisations():
        return Signature.objects.filter(contract=contract).order_by("-signed_at", "-pk").first()
