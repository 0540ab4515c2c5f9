"""Who may order: the partner's verdict, the attestation, the partner's CSV import."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Membership, Organisation, User
from guichet.core import audit
from guichet.core.errors import DomainError, PermissionDenied
from guichet.core.tenancy import across_organisations

from .. import rules
from ..models import (
    Attestation,
    Eligibility,
    EligibilitySource,
    EligibilityStatus,
    PartnerImport,
)


class NotEligible(PermissionDenied):
    code = "not_eligible"


def gaps_of(organisation: Organisation) -> list[str]:
    with across_organisations():
        eligibility = Eligibility.objects.filter(organisation=organisation).first()
        attestation = (
            Attestation.objects.filter(organisation=organisation, wording_version=rules.ATTESTATION_VERSION)
            .values_list("wording_version", flat=True)
            .first()
        )
    return rules.eligibility_gaps(
        country=organisation.country,
        is_nonprofit=organisation.is_nonprofit,
        verified=organisation.verified,
        partner_id=organisation.partner_id,
        partner_status=eligibility.status if eligibility else None,
        attestation_version=attestation,
    )


GAP_MESSAGES = {
    rules.NOT_BELGIAN: _("Buy Tech is open to organisations established in Belgium."),
    rules.NOT_NONPROFIT: _("Buy Tech is for nonprofit organisations; yours is not registered as one."),
    rules.NOT_VERIFIED: _("Your organisation's registration has not been verified yet."),
    rules.NO_PARTNER_ID: _(
        "Register your organisation with our partner SOCIALware and give us its partner identifier."
    ),
    rules.PARTNER_PENDING: _("Our partner has not yet confirmed that your organisation is eligible."),
    rules.PARTNER_REFUSED: _("Our partner found your organisation not eligible."),
    rules.NO_ATTESTATION: _("Sign the non-discrimination attestation."),
}


def gap_messages(gaps: Iterable[str]) -> list[dict[str, str]]:
    return [{"code": gap, "message": str(GAP_MESSAGES[gap])} for gap in gaps]


def require_eligible(organisation: Organisation) -> None:
    gaps = gaps_of(organisation)
    if gaps:
        raise NotEligible(
            _("Your organisation cannot order from Buy Tech yet."),
            details={"missing": gap_messages(gaps)},
        )


def may_sign_attestation(user: User, organisation: Organisation) -> bool:
    return (
        Membership.objects.filter(user=user, organisation=organisation).filter(role=Membership.Role.ADMIN).exists()
        or Membership.objects.filter(user=user, organisation=organisation, is_signatory=True).exists()
    )


@transaction.atomic
def attestation_sign(
    *, actor: User, organisation: Organisation, http_request: HttpRequest | None = None
) -> Attestation:
    if not may_sign_attestation(actor, organisation):
        raise PermissionDenied(
            _("Only a customer admin or a signatory of the organisation may sign the attestation."),
            code="not_signatory",
        )
    existing = Attestation.objects.filter(organisation=organisation, wording_version=rules.ATTESTATION_VERSION).first()
    if existing is not None:
        return existing
    attestation = Attestation.objects.create(
        organisation=organisation,
        wording_version=rules.ATTESTATION_VERSION,
        language=translation.get_language() or actor.language,
        signer=actor,
        signer_name=actor.get_full_name(),
        ip=audit.client_ip(http_request),
    )
    audit.record(
        "buytech.attestation_signed",
        actor=actor,
        organisation=organisation,
        target=rules.ATTESTATION_VERSION,
        request=http_request,
    )
    return attestation


@transaction.atomic
def eligibility_set(
    *,
    actor: User | None,
    organisation: Organisation,
    status: str,
    source: str = EligibilitySource.AGENT,
    note: str = "",
    http_request: HttpRequest | None = None,
) -> Eligibility:
    if status not in EligibilityStatus.values:
        raise DomainError(_("Unknown eligibility status."), code="invalid_status")
    with across_organisations():
        eligibility, _created = Eligibility.objects.update_or_create(
            organisation=organisation,
            defaults={
                "status": status,
                "source": source,
                "confirmed_by": actor if source == EligibilitySource.AGENT else None,
                "confirmed_at": timezone.now(),
                "note": note[:300],
            },
        )
    audit.record(
        "buytech.eligibility_set",
        actor=actor,
        organisation=organisation,
        target=status,
        data={"source": source},
        request=http_request,
        actor_label="" if actor else "partner import",
    )
    return eligibility


@dataclass(frozen=True)
class ImportRowError:
    line: int
    message: str


class ImportRejected(DomainError):
    code = "import_rejected"


PARTNER_CSV_COLUMNS = ("customer_number", "partner_id", "status")


def partner_import(
    *,
    actor: User | None,
    file_name: str,
    content: str,
    progress: Callable[[int, int], None] | None = None,
) -> PartnerImport:
    """Apply the partner's CSV (customer_number, partner_id, status): every row valid, or nothing changes."""
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    if reader.fieldnames is None or not set(PARTNER_CSV_COLUMNS) <= {f.strip() for f in reader.fieldnames}:
        raise ImportRejected(
            _("The file must have the columns %(columns)s.") % {"columns": ", ".join(PARTNER_CSV_COLUMNS)},
            details={"errors": []},
        )
    rows = [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]
    errors: list[ImportRowError] = []
    plan: list[tuple[Organisation, str, str]] = []
    organisations = {
        o.customer_number: o
        for o in Organisation.objects.filter(customer_number__in=[r["customer_number"] for r in rows])
    }
    for index, row in enumerate(rows, start=2):
        organisation = organisations.get(row["customer_number"])
        status = row["status"].lower()
        if organisation is None:
            errors.append(ImportRowError(index, gettext("unknown customer number %s") % row["customer_number"]))
            continue
        if organisation.country != rules.PROGRAM_COUNTRY:
            errors.append(ImportRowError(index, gettext("%s is not a Belgian organisation") % row["customer_number"]))
            continue
        if not row["partner_id"]:
            errors.append(ImportRowError(index, gettext("the partner identifier is missing")))
            continue
        if organisation.partner_id and organisation.partner_id != row["partner_id"]:
            errors.append(ImportRowError(index, gettext("the partner identifier does not match the organisation's")))
            continue
        if status not in (rules.ELIGIBLE, rules.REFUSED, rules.PENDING):
            errors.append(ImportRowError(index, gettext("status must be eligible, refused or pending")))
            continue
        plan.append((organisation, row["partner_id"], status))
    if errors:
        raise ImportRejected(
            _("The file was not imported: %(n)s rows have errors.") % {"n": len(errors)},
            details={"errors": [{"line": e.line, "message": e.message} for e in errors]},
        )
    with transaction.atomic():
        record = PartnerImport.objects.create(file_name=file_name[:200], rows=len(plan), imported_by=actor)
        for done, (organisation, partner_id, status) in enumerate(plan, start=1):
            if not organisation.partner_id:
                organisation.partner_id = partner_id
                organisation.save(update_fields=["partner_id"])
            eligibility_set(
                actor=None, organisation=organisation, status=status, source=EligibilitySource.PARTNER_IMPORT
            )
            record.eligible += status == rules.ELIGIBLE
            record.refused += status == rules.REFUSED
            if progress is not None:
                progress(done, len(plan))
        record.save(update_fields=["eligible", "refused"])
        audit.record("buytech.partner_import", actor=actor, target=file_name, data={"rows": len(plan)})
    return record
