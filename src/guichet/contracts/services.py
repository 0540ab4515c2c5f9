"""Writes on contracts: terminations (customer, vendor, licences), their processing, ServicePac activation.

One transaction each, with the audit row and the outbox e-mails. A customer's
termination is also a request (type "contracts") in the agents' queue, so it is
followed like any other request; the Termination row carries the dates and machines.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guichet.accounts import jurisdiction
from guichet.accounts.models import Membership, Organisation, User
from guichet.core import audit
from guichet.core.calendar import calendar_of, today_for
from guichet.core.countries import get_centre
from guichet.core.errors import Conflict, DomainError
from guichet.core.money import format_date, locale_for
from guichet.core.notifications.outbox import enqueue
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.inventory.models import Machine
from guichet.support import rules as request_rules
from guichet.support import selectors as request_selectors
from guichet.support import services as request_services

from . import documents, rules, selectors
from .errors import Code
from .models import (
    Contract,
    ContractKind,
    ContractStatus,
    CoveredMachine,
    ServicePacCode,
    Termination,
    TerminationKind,
    TerminationStatus,
)


def _long_date(day: date, organisation: Organisation, language: str | None = None) -> str:
    return format_date(day, locale_for(language or translation.get_language() or "en", organisation.country))


def _contract_url(contract: Contract, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("contracts:detail", kwargs={"number": contract.number})


def _machine_label(coverage: CoveredMachine) -> str:
    return f"{coverage.machine.machine_type}-{coverage.machine.model} {coverage.machine.serial}"


def _ensure_active(contract: Contract) -> None:
    if contract.status != ContractStatus.ACTIVE:
        raise Conflict(
            _("Only an active contract can be terminated; this one is “%(status)s”.")
            % {"status": contract.get_status_display()},
            code=Code.CONTRACT_NOT_ACTIVE,
        )


def _lock(contract: Contract) -> None:
    """Serialise terminations of one contract, so two notices cannot both take the same machine."""
    Contract.objects.select_for_update().filter(pk=contract.pk).values_list("pk", flat=True).first()


def _chosen_coverages(contract: Contract, coverage_ids: list[int]) -> list[CoveredMachine]:
    _lock(contract)
    wanted = set(coverage_ids)
    coverages = list(
        CoveredMachine.objects.filter(contract=contract, covered_until__isnull=True, pk__in=wanted).select_related(
            "machine"
        )
    )
    if not wanted or len(coverages) != len(wanted):
        raise DomainError(_("Choose one or more machines this contract covers."), code=rules.NOT_COVERED)
    busy = [c for c in coverages if c.pk in selectors.pending_coverage_ids(contract)]
    if busy:
        raise Conflict(
            _("A termination is already under way for %(machine)s.") % {"machine": _machine_label(busy[0])},
            code=Code.TERMINATION_PENDING,
        )
    return coverages


def _store_notice(termination: Termination, signer_name: str) -> None:
    pdf = documents.termination_notice_pdf(termination)
    signed = documents.sign_notice(
        pdf,
        signer_name=signer_name,
        organisation_name=termination.contract.organisation.name,
        contract_number=termination.contract.number,
    )
    termination.notice_sha256 = hashlib.sha256(signed).hexdigest()
    termination.notice_document.save(
        f"{termination.contract.number}-notice-{termination.pk}.pdf", ContentFile(signed), save=False
    )
    termination.save(update_fields=["notice_document", "notice_sha256"])


def _file_request(*, actor: User, contract: Contract, subject: str, description: str, contact: dict[str, str]) -> str:
    request = request_services.request_submit(
        actor=actor,
        organisation=contract.organisation,
        type="contracts",
        subject=subject[:200],
        description=description,
        details={"contract_number": contract.number},
        contact=contact,
    )
    return request.number


def _check_effective(requested: date | None, earliest: date, organisation: Organisation) -> date:
    effective = requested or earliest
    if rules.effective_date_problem(effective, earliest):
        raise DomainError(
            _("With the notice period, the earliest effective date is %(date)s.")
            % {"date": _long_date(earliest, organisation)},
            code=rules.TOO_EARLY,
            details={"earliest_effective": earliest.isoformat()},
        )
    return effective


# --- the customer's side ------------------------------------------------------------------------


def no_cancellation_message(kind: str) -> str:
    """Why a prepaid contract needs no termination (it simply runs out), or empty if it does need one."""
    if kind == ContractKind.PREPAID_LICENCE:
        return _(
            "A prepaid licence needs no cancellation: it is paid once and nothing renews. There is nothing to file."
        )
    if kind == ContractKind.SERVICEPAC:
        return _(
            "A ServicePac is prepaid: its coverage ends on its own when the period paid for is over. "
            "There is nothing to file."
        )
    return ""


def _refuse_if_nothing_to_file(contract: Contract) -> None:
    message = no_cancellation_message(contract.kind)
    if message:
        raise DomainError(message, code=Code.NO_CANCELLATION_NEEDED)


def _ensure_none_pending(contract: Contract) -> None:
    if Termination.objects.filter(
        contract=contract, status__in=[TerminationStatus.PENDING, TerminationStatus.ACCEPTED]
    ).exists():
        raise Conflict(_("A termination of this contract is already under way."), code=Code.TERMINATION_PENDING)


def _give_notice(
    *,
    actor: User,
    contract: Contract,
    kind: str,
    contact: dict[str, str],
    today: date,
    effective: date,
    subject: str,
    description: str,
    coverages: Sequence[CoveredMachine] = (),
    **fields: Any,
) -> Termination:
    """The customer's notice, whatever its kind: a request in the agents' queue, the row, the signed written notice."""
    request_number = _file_request(
        actor=actor, contract=contract, subject=subject, description=description, contact=contact
    )
    termination = Termination.objects.create(
        organisation=contract.organisation,
        contract=contract,
        kind=kind,
        notice_date=today,
        effective_date=effective,
        requested_by=actor,
        contact_name=contact["name"],
        contact_email=contact["email"],
        contact_phone=contact.get("phone", ""),
        request_number=request_number,
        **fields,
    )
    if coverages:
        termination.coverages.set(coverages)
    _store_notice(termination, actor.shown_as)
    return termination


@transaction.atomic
def hardware_termination_request(
    *,
    actor: User,
    contract: Contract,
    coverage_ids: list[int],
    contact: dict[str, str],
    effective_date: date | None = None,
    reason: str = "",
    today: date | None = None,
    http_request: HttpRequest | None = None,
) -> Termination:
    """The customer ends maintenance of some machines: each under contract ≥ 6 months, one month's notice."""
    if contract.kind != ContractKind.HARDWARE_MAINTENANCE:
        raise DomainError(_("Only hardware maintenance is ended machine by machine."), code=Code.WRONG_CONTRACT_TYPE)
    _ensure_active(contract)
    organisation = contract.organisation
    coverages = _chosen_coverages(contract, coverage_ids)
    today = today or today_for(organisation)
    earliest = today
    for coverage in coverages:
        decision = rules.customer_hardware_eligibility(coverage.covered_from, today)
        if not decision.eligible:
            raise DomainError(
                _(
                    "%(machine)s has been under contract only since %(since)s: maintenance can be ended once a "
                    "machine has been under contract 6 months, that is from %(first)s."
                )
                % {
                    "machine": _machine_label(coverage),
                    "since": _long_date(coverage.covered_from, organisation),
                    "first": _long_date(decision.first_eligible, organisation),
                },
                code=rules.NOT_YET_ELIGIBLE,
                details={
                    "machine": _machine_label(coverage),
                    "first_eligible": decision.first_eligible.isoformat(),
                    "earliest_effective": decision.earliest_effective.isoformat(),
                },
            )
        earliest = max(earliest, decision.earliest_effective)
    effective = _check_effective(effective_date, earliest, organisation)
    machines = ", ".join(_machine_label(c) for c in coverages)
    termination = _give_notice(
        actor=actor,
        contract=contract,
        kind=TerminationKind.HARDWARE_BY_CUSTOMER,
        contact=contact,
        today=today,
        effective=effective,
        subject=_("Termination of maintenance, contract %(number)s") % {"number": contract.number},
        description=_("End of maintenance for %(machines)s, effective %(date)s.")
        % {"machines": machines, "date": _long_date(effective, organisation)}
        + (f"\n\n{reason.strip()}" if reason.strip() else ""),
        coverages=coverages,
        reason=reason.strip()[:2000],
    )
    audit.record(
        "contract.termination_requested",
        actor=actor,
        organisation=organisation,
        target=contract.number,
        data={"termination": termination.pk, "effective": effective.isoformat(), "machines": machines},
        request=http_request,
    )
    return termination


@transaction.atomic
def licence_termination_request(
    *,
    actor: User,
    contract: Contract,
    contact: dict[str, str],
    effective_date: date | None = None,
    today: date | None = None,
    http_request: HttpRequest | None = None,
) -> Termination:
    """A monthly licence ends ≥ 30 days after notice; its copies are destroyed then (licence_destruction_confirm)."""
    _refuse_if_nothing_to_file(contract)
    if contract.kind != ContractKind.MONTHLY_LICENCE:
        raise DomainError(_("This contract is not a monthly licence."), code=Code.WRONG_CONTRACT_TYPE)
    _ensure_active(contract)
    _lock(contract)
    _ensure_none_pending(contract)
    organisation = contract.organisation
    today = today or today_for(organisation)
    effective = _check_effective(effective_date, rules.monthly_licence_earliest_end(today), organisation)
    termination = _give_notice(
        actor=actor,
        contract=contract,
        kind=TerminationKind.MONTHLY_LICENCE,
        contact=contact,
        today=today,
        effective=effective,
        subject=_("Cancellation of the monthly licence %(number)s") % {"number": contract.number},
        description=_(
            "Cancellation effective %(date)s. Every copy of the software is destroyed at the cancellation, "
            "and the destruction confirmed in Contracts online then."
        )
        % {"date": _long_date(effective, organisation)},
    )
    audit.record(
        "contract.licence_cancellation_requested",
        actor=actor,
        organisation=organisation,
        target=contract.number,
        data={"termination": termination.pk, "effective": effective.isoformat()},
        request=http_request,
    )
    return termination


@transaction.atomic
def end_of_term_request(
    *,
    actor: User,
    contract: Contract,
    contact: dict[str, str],
    lapse_acknowledged: bool,
    effective_date: date | None = None,
    today: date | None = None,
    http_request: HttpRequest | None = None,
) -> Termination:
    """A subscription or program agreement is not renewed: it ends with its term (see rules.end_of_term_effective)."""
    _refuse_if_nothing_to_file(contract)
    if contract.kind not in rules.ENDS_AT_TERM:
        raise DomainError(_("This contract is not ended at its term."), code=Code.WRONG_CONTRACT_TYPE)
    _ensure_active(contract)
    _lock(contract)
    _ensure_none_pending(contract)
    if not lapse_acknowledged:
        raise DomainError(
            _("Confirm that you have read what stops when the contract ends."), code=Code.LAPSE_NOT_ACKNOWLEDGED
        )
    organisation = contract.organisation
    today = today or today_for(organisation)
    earliest, fixed = rules.end_of_term_effective(rules.term_end(contract.end_date, contract.renewal_date), today)
    if fixed and effective_date not in (None, earliest):
        raise DomainError(
            _("This contract ends with its term, on %(date)s; no other date can be chosen.")
            % {"date": _long_date(earliest, organisation)},
            code=rules.NOT_TERM_END,
            details={"earliest_effective": earliest.isoformat()},
        )
    effective = _check_effective(effective_date, earliest, organisation)
    termination = _give_notice(
        actor=actor,
        contract=contract,
        kind=TerminationKind.END_OF_TERM,
        contact=contact,
        today=today,
        effective=effective,
        subject=_("Contract %(number)s not to be renewed") % {"number": contract.number},
        description=_("Contract %(number)s is not to be renewed: it ends on %(date)s.")
        % {"number": contract.number, "date": _long_date(effective, organisation)},
    )
    audit.record(
        "contract.end_of_term_requested",
        actor=actor,
        organisation=organisation,
        target=contract.number,
        data={"termination": termination.pk, "effective": effective.isoformat()},
        request=http_request,
    )
    return termination


def _open_request_of(termination: Termination) -> Any:
    """The request the customer's notice filed, unless it is closed (or was never filed: the vendor's notices)."""
    return request_selectors.open_request_for(termination.organisation, termination.request_number)


@transaction.atomic
def termination_withdraw(
    *, actor: User, termination: Termination, http_request: HttpRequest | None = None
) -> Termination:
    """The customer takes back a notice the vendor has not processed yet; its request is closed with a word why."""
    termination = Termination.objects.select_for_update().get(pk=termination.pk)
    if termination.status != TerminationStatus.PENDING or termination.by_vendor:
        raise Conflict(
            _("Only a termination the vendor has not processed yet can be withdrawn."), code=Code.NOT_WITHDRAWABLE
        )
    termination.status = TerminationStatus.WITHDRAWN
    termination.decided_at = timezone.now()
    termination.save(update_fields=["status", "decided_at"])
    request = _open_request_of(termination)
    if request is not None:
        language = request.language or termination.organisation.language
        with translation.override(language):
            request_services.customer_reply(
                actor=actor, request=request, body=_("We withdraw this termination notice.")
            )
        request_services.customer_close(actor=actor, request=request, http_request=http_request)
    audit.record(
        "contract.termination_withdrawn",
        actor=actor,
        organisation=termination.organisation,
        target=termination.contract.number,
        data={"termination": termination.pk},
        request=http_request,
    )
    return termination


@transaction.atomic
def licence_destruction_confirm(
    *, actor: User, termination: Termination, http_request: HttpRequest | None = None
) -> Termination:
    """The customer confirms, once the cancellation has taken effect, that every copy is destroyed.

    The portal keeps the confirmation (who, when); where the vendor names an address for these
    confirmations (the support centre's licence e-mail: Romania), it is forwarded there too.
    """
    termination = (
        Termination.objects.select_for_update()
        .select_related("contract", "organisation")
        .get(pk=termination.pk, organisation=termination.organisation)
    )
    if termination.kind != TerminationKind.MONTHLY_LICENCE or termination.status != TerminationStatus.EFFECTIVE:
        raise Conflict(
            _("The destruction is confirmed once the licence's cancellation has taken effect."),
            code=Code.NOT_EFFECTIVE_YET,
        )
    if termination.copies_destroyed:
        raise Conflict(_("The destruction is already confirmed."), code=Code.ALREADY_CONFIRMED)
    termination.copies_destroyed = True
    termination.copies_destroyed_at = timezone.now()
    termination.save(update_fields=["copies_destroyed", "copies_destroyed_at"])
    organisation = termination.organisation
    centre = get_centre(organisation.country)
    if centre.licence_email:
        vendor_language = centre.language_codes[0] if centre.language_codes else "en"
        enqueue(
            to=centre.licence_email,
            language=vendor_language,
            template="contract_destruction_confirmed",
            context={
                "number": termination.contract.number,
                "organisation": organisation.name,
                "customer_number": organisation.customer_number,
                "contact": actor.get_full_name(),
                "contact_email": actor.email,
                "effective": _long_date(termination.effective_date, organisation, vendor_language),
                "request_number": termination.request_number,
            },
            thread_key=termination.request_number or f"contract-{termination.contract.number}",
        )
    audit.record(
        "contract.licence_destruction_confirmed",
        actor=actor,
        organisation=organisation,
        target=termination.contract.number,
        data={"termination": termination.pk},
        request=http_request,
    )
    return termination


# --- the vendor's side --------------------------------------------------------------------------


def _customer_recipients(organisation: Organisation) -> list[User]:
    with across_organisations():
        memberships = Membership.objects.filter(organisation=organisation).filter(
            Q(role=Membership.Role.ADMIN) | Q(is_signatory=True)
        )
        return [m.user for m in memberships.select_related("user") if m.user.is_active]


@transaction.atomic
def vendor_termination(
    *,
    actor: User,
    contract: Contract,
    coverage_ids: list[int],
    effective_date: date | None = None,
    reason: str = "",
    today: date | None = None,
    http_request: HttpRequest | None = None,
) -> Termination:
    """The vendor ends maintenance: each machine under contract ≥ 1 year, three months' written notice."""
    jurisdiction.ensure_serves(actor, contract.organisation)
    if contract.kind != ContractKind.HARDWARE_MAINTENANCE:
        raise DomainError(_("Only hardware maintenance is ended machine by machine."), code=Code.WRONG_CONTRACT_TYPE)
    _ensure_active(contract)
    organisation = contract.organisation
    with tenant_scope(organisation):
        coverages = _chosen_coverages(contract, coverage_ids)
        today = today or today_for(organisation)
        earliest = today
        for coverage in coverages:
            decision = rules.vendor_hardware_eligibility(coverage.covered_from, today)
            if not decision.eligible:
                raise DomainError(
                    _(
                        "%(machine)s has been under contract only since %(since)s: the vendor may end maintenance "
                        "once a machine has been under contract a year, that is from %(first)s."
                    )
                    % {
                        "machine": _machine_label(coverage),
                        "since": _long_date(coverage.covered_from, organisation),
                        "first": _long_date(decision.first_eligible, organisation),
                    },
                    code=rules.NOT_YET_ELIGIBLE,
                    details={"first_eligible": decision.first_eligible.isoformat()},
                )
            earliest = max(earliest, decision.earliest_effective)
        effective = _check_effective(effective_date, earliest, organisation)
        termination = Termination.objects.create(
            organisation=organisation,
            contract=contract,
            kind=TerminationKind.HARDWARE_BY_VENDOR,
            status=TerminationStatus.ACCEPTED,
            notice_date=today,
            effective_date=effective,
            requested_by=actor,
            contact_name=actor.shown_as,
            contact_email=actor.email,
            reason=reason.strip()[:2000],
            decided_by=actor,
            decided_at=timezone.now(),
        )
        termination.coverages.set(coverages)
        _store_notice(termination, actor.shown_as)
        machines = ", ".join(_machine_label(c) for c in coverages)
        for user in _customer_recipients(organisation):
            language = user.language or organisation.language
            enqueue(
                to=user.email,
                language=language,
                template="contract_vendor_termination",
                context={
                    "number": contract.number,
                    "first_name": user.first_name,
                    "machines": machines,
                    "effective": _long_date(effective, organisation, language),
                    "reason": termination.reason,
                    "url": _contract_url(contract, language),
                },
                thread_key=f"contract-{contract.number}",
            )
        audit.record(
            "contract.vendor_termination",
            actor=actor,
            organisation=organisation,
            target=contract.number,
            data={"termination": termination.pk, "effective": effective.isoformat(), "machines": machines},
            request=http_request,
        )
    return termination


@transaction.atomic
def termination_decide(
    *,
    actor: User,
    termination: Termination,
    accept: bool,
    note: str = "",
    http_request: HttpRequest | None = None,
) -> Termination:
    """An agent accepts (it then takes effect on its date) or refuses (with the reason) a customer's termination."""
    organisation = termination.organisation
    jurisdiction.ensure_serves(actor, organisation)
    with tenant_scope(organisation):
        termination = Termination.objects.select_for_update().get(pk=termination.pk)
        if termination.status != TerminationStatus.PENDING:
            raise Conflict(_("This termination has already been processed."), code=Code.ALREADY_PROCESSED)
        if not accept and not note.strip():
            raise DomainError(_("Give the customer the reason for the refusal."), code=Code.REASON_REQUIRED)
        termination.status = TerminationStatus.ACCEPTED if accept else TerminationStatus.REFUSED
        termination.decided_by = actor
        termination.decided_at = timezone.now()
        termination.decision_note = note.strip()[:2000]
        termination.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        _reply_on_request(actor, termination, accept)
        audit.record(
            "contract.termination_accepted" if accept else "contract.termination_refused",
            actor=actor,
            organisation=organisation,
            target=termination.contract.number,
            data={"termination": termination.pk, "note": termination.decision_note},
            request=http_request,
        )
    return termination


def _reply_on_request(actor: User, termination: Termination, accept: bool) -> None:
    """The decision is the agent's answer on the customer's request: it e-mails them and resolves it."""
    request = _open_request_of(termination)
    if request is None:
        return
    language = request.language or termination.organisation.language
    with translation.override(language):
        if accept:
            body = _("Your termination of contract %(number)s is accepted. It takes effect on %(date)s.") % {
                "number": termination.contract.number,
                "date": _long_date(termination.effective_date, termination.organisation, language),
            }
        else:
            body = _("Your termination of contract %(number)s is refused: %(reason)s") % {
                "number": termination.contract.number,
                "reason": termination.decision_note,
            }
    then = request_rules.RESOLVED if request_rules.agent_may_move(request.status, request_rules.RESOLVED) else None
    request_services.agent_comment(actor=actor, request=request, body=body, then=then)


def terminations_apply_due(*, today: date | None = None) -> int:
    """Accepted terminations whose date has come: the machines leave the contract. Safe to run twice."""
    with across_organisations():
        due = list(
            Termination.objects.filter(status=TerminationStatus.ACCEPTED)
            # Wherever the customer is, its today is at most a day after UTC's; each is checked on its own clock below.
            .filter(effective_date__lte=today or timezone.now().date() + timedelta(days=1))
            .values_list("pk", flat=True)
        )
    applied = 0
    for pk in due:
        applied += _apply_one(pk, today)
    return applied


@transaction.atomic
def _apply_one(pk: int, today: date | None) -> int:
    with across_organisations():
        termination = (
            Termination.objects.select_for_update().select_related("contract", "organisation").filter(pk=pk).first()
        )
        if termination is None or termination.status != TerminationStatus.ACCEPTED:
            return 0
        organisation = termination.organisation
        if termination.effective_date > (today or today_for(organisation)):
            return 0
        contract = termination.contract
        termination.coverages.filter(covered_until__isnull=True).update(covered_until=termination.effective_date)
        ends_contract = (
            termination.kind in (TerminationKind.MONTHLY_LICENCE, TerminationKind.END_OF_TERM)
            or not CoveredMachine.objects.filter(contract=contract, covered_until__isnull=True).exists()
        )
        if ends_contract and contract.status == ContractStatus.ACTIVE:
            contract.status = ContractStatus.TERMINATED
            contract.end_date = termination.effective_date
            contract.renewal_date = None
            contract.save(update_fields=["status", "end_date", "renewal_date"])
        termination.status = TerminationStatus.EFFECTIVE
        termination.effective_at = timezone.now()
        termination.save(update_fields=["status", "effective_at"])
        audit.record(
            "contract.termination_effective",
            organisation=organisation,
            target=contract.number,
            data={"termination": termination.pk, "contract_terminated": ends_contract},
            actor_label="system",
        )
        _tell_effective(termination, ends_contract)
    return 1


def _tell_effective(termination: Termination, contract_ended: bool) -> None:
    """The day it takes effect, whoever gave notice hears of it: the customer's contact, or, for the
    vendor's notice, the organisation's administrators and signatories."""
    organisation = termination.organisation
    if termination.by_vendor:
        recipients = [
            (u.email, u.first_name, u.language or organisation.language) for u in _customer_recipients(organisation)
        ]
    else:
        recipients = [(termination.contact_email, termination.contact_name, organisation.language)]
    machines = ", ".join(_machine_label(c) for c in termination.coverages.select_related("machine"))
    for email, name, language in recipients:
        enqueue(
            to=email,
            language=language,
            template="contract_termination_effective",
            context={
                "number": termination.contract.number,
                "name": name,
                "machines": machines,
                "contract_ended": contract_ended,
                "destroy_copies": termination.kind == TerminationKind.MONTHLY_LICENCE,
                "effective": _long_date(termination.effective_date, organisation, language),
                "url": _contract_url(termination.contract, language),
            },
            thread_key=termination.request_number or f"contract-{termination.contract.number}",
        )


# --- ServicePac ---------------------------------------------------------------------------------


@transaction.atomic
def servicepac_activate(
    *,
    actor: User,
    organisation: Organisation,
    code: str,
    machine_type: str,
    serial: str,
    http_request: HttpRequest | None = None,
) -> CoveredMachine:
    """Register a ServicePac code on a machine: the machine comes under the ServicePac contract from today."""
    canonical = rules.normalise_servicepac_code(code)
    if canonical is None:
        raise DomainError(
            _("This is not a valid ServicePac code. It looks like SP-ABCD-EFGH-K: check each character."),
            code=Code.INVALID_CODE_FORMAT,
        )
    # Another organisation's code answers exactly like a code that does not exist.
    row = (
        ServicePacCode.objects.select_for_update()
        .filter(organisation=organisation, code=canonical)
        .select_related("contract")
        .first()
    )
    if row is None:
        raise DomainError(
            _("We do not know this ServicePac code. Check it against your confirmation e-mail."), code=Code.UNKNOWN_CODE
        )
    if row.used_at is not None:
        raise Conflict(
            _("This ServicePac code has already been activated on %(date)s.")
            % {"date": _long_date(calendar_of(organisation).local(row.used_at).date(), organisation)},
            code=Code.CODE_ALREADY_USED,
        )
    machine = Machine.objects.filter(
        organisation=organisation, machine_type=machine_type.strip().upper(), serial=serial.strip().upper()
    ).first()
    if machine is None:
        raise DomainError(
            _("No machine of type %(type)s with serial number %(serial)s is in your inventory.")
            % {"type": machine_type.strip().upper(), "serial": serial.strip().upper()},
            code=Code.MACHINE_NOT_FOUND,
        )
    contract = row.contract
    if CoveredMachine.objects.filter(contract=contract, machine=machine, covered_until__isnull=True).exists():
        raise Conflict(_("This machine is already covered by this ServicePac."), code=Code.ALREADY_COVERED)
    today = today_for(organisation)
    coverage = CoveredMachine.objects.create(
        contract=contract, machine=machine, service_level=row.service_level, covered_from=today
    )
    row.used_at = timezone.now()
    row.used_by = actor
    row.machine = machine
    row.save(update_fields=["used_at", "used_by", "machine"])
    if contract.status in (ContractStatus.DRAFT, ContractStatus.EXPIRED) or contract.end_date is None:
        from dateutil.relativedelta import relativedelta

        contract.status = ContractStatus.ACTIVE
        contract.end_date = today + relativedelta(months=row.months)
        contract.save(update_fields=["status", "end_date"])
    language = actor.language or organisation.language
    enqueue(
        to=actor.email,
        language=language,
        template="contract_servicepac_activated",
        context={
            "number": contract.number,
            "first_name": actor.first_name,
            "machine": str(machine),
            "code": canonical,
            "until": _long_date(contract.end_date, organisation, language) if contract.end_date else "",
            "url": _contract_url(contract, language),
        },
        thread_key=f"contract-{contract.number}",
    )
    audit.record(
        "contract.servicepac_activated",
        actor=actor,
        organisation=organisation,
        target=contract.number,
        data={"code": canonical, "machine": str(machine)},
        request=http_request,
    )
    return coverage


def contact_of(user: User) -> dict[str, Any]:
    return {"name": user.shown_as, "email": user.email, "phone": user.phone}


# --- program agreements issued by other contexts (Buy Tech) ------------------------------------------


def program_agreement_issue(
    *, organisation: Organisation, number: str, title: str, currency: str, start_date: date
) -> Contract:
    """An agreement of a program (Buy Tech's two), awaiting the customer's signature on the contracts pages."""
    return Contract.objects.create(
        organisation=organisation,
        number=number,
        kind=ContractKind.PROGRAM_AGREEMENT,
        status=ContractStatus.AWAITING_SIGNATURE,
        title=title,
        start_date=start_date,
        currency=currency,
        amount=Decimal("0"),
    )


def program_agreements_withdraw(*, organisation: Organisation, contract_ids: Sequence[int | None]) -> None:
    """Agreements nobody signed leave the signing queue (signed ones stay as they are)."""
    Contract.objects.filter(
        organisation=organisation, pk__in=[pk for pk in contract_ids if pk], status=ContractStatus.AWAITING_SIGNATURE
    ).update(status=ContractStatus.TERMINATED)
