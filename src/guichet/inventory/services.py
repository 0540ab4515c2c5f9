"""Writes on the inventory: one transaction each, with the audit row and the outbox e-mails."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from guichet.accounts import jurisdiction
from guichet.accounts.models import Organisation, User
from guichet.core import audit, cases, numbering
from guichet.core.calendar import calendar_of, today_for
from guichet.core.countries import country_name, is_world_country
from guichet.core.errors import Conflict, DomainError
from guichet.core.money import currency_for_country, round_money
from guichet.core.notifications.outbox import enqueue
from guichet.core.templatetags.locale_ui import day, money
from guichet.core.tenancy import across_organisations

from . import coverage, rules, selectors
from .cases import RELOCATION as RELOCATION_CASE
from .cases import REPAIR as REPAIR_CASE
from .cases import TRANSFER as TRANSFER_CASE
from .errors import Code
from .models import (
    CoverageState,
    EstimateStatus,
    ImportJob,
    Machine,
    Relocation,
    RelocationStatus,
    RepairRequest,
    RepairStatus,
    SiteChange,
    Transfer,
    TransferStatus,
)

REPAIR_PREFIX = "SR"
TRANSFER_PREFIX = "TR"
RELOCATION_PREFIX = "RL"

EDITABLE_FIELDS = (
    "site_name",
    "site_street",
    "site_postcode",
    "site_city",
    "contact_name",
    "contact_phone",
    "contact_email",
)


def next_number(prefix: str, country: str, year: int) -> str:
    """`SR-BE-2026-000001`: per kind, country and year (`core.numbering`), so never repeated even under load."""
    value = numbering.next_value(numbering.sequence_key("inventory", prefix, country, year))
    return f"{prefix}-{country}-{year}-{value:06d}"


def _ensure_present(machine: Machine) -> None:
    if machine.departed_on is not None:
        raise Conflict(_("This machine has left your organisation."), code=Code.MACHINE_DEPARTED)


# --- site and contact -------------------------------------------------------------------------


@transaction.atomic
def machine_update_site(
    *, actor: User, machine: Machine, changes: dict[str, str], http_request: HttpRequest | None = None
) -> Machine:
    """The customer moves a machine within their sites or names another contact; kept for review."""
    machine = Machine.objects.select_for_update().get(pk=machine.pk, organisation=machine.organisation)
    _ensure_present(machine)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here."), code=Code.NOT_EDITABLE, details={"fields": sorted(unknown)}
        )
    diff = {
        field: [getattr(machine, field), value.strip()]
        for field, value in changes.items()
        if getattr(machine, field) != value.strip()
    }
    if not diff:
        return machine
    for field, (_before, after) in diff.items():
        setattr(machine, field, after)
    machine.full_clean(exclude=["organisation"], validate_unique=False)
    machine.save(update_fields=list(diff))
    SiteChange.objects.create(organisation=machine.organisation, machine=machine, actor=actor, changes=diff)
    audit.record(
        "machine.site_changed",
        actor=actor,
        organisation=machine.organisation,
        target=str(machine),
        data={"changes": diff},
        request=http_request,
    )
    return machine


@transaction.atomic
def site_change_review(*, actor: User, change: SiteChange, http_request: HttpRequest | None = None) -> SiteChange:
    jurisdiction.ensure_serves(actor, change.organisation)
    change = SiteChange.objects.select_for_update().get(pk=change.pk, organisation=change.organisation)
    if change.reviewed_at is None:
        change.reviewed_at = timezone.now()
        change.reviewed_by = actor
        change.save(update_fields=["reviewed_at", "reviewed_by"])
        audit.record(
            "machine.site_change_reviewed",
            actor=actor,
            organisation=change.organisation,
            target=str(change.machine),
            request=http_request,
        )
    return change


# --- repairs ----------------------------------------------------------------------------------


class BillingNotAccepted(DomainError):
    code = Code.BILLING_NOT_ACCEPTED
    status = 400


@transaction.atomic
def repair_request(
    *,
    actor: User,
    machine: Machine,
    kind: str,
    description: str,
    accept_billing: bool = False,
    now: datetime | None = None,
    http_request: HttpRequest | None = None,
) -> RepairRequest:
    """A service request number, and the handling its coverage gives: a visit slot or mail-in.

    An uncovered machine is repaired only once the customer has accepted that parts and
    labour are billed; the acceptance (who, when, which wording) stays on the request.
    """
    now = now or timezone.now()
    _ensure_present(machine)
    if kind not in ("hardware", "software"):
        raise DomainError(_("Say whether the problem is hardware or software."), code=Code.INVALID_KIND)
    if not description.strip():
        raise DomainError(_("Describe the problem."), code=Code.EMPTY_DESCRIPTION)
    organisation = machine.organisation
    calendar = selectors.calendar_of_site(machine)
    coverage = selectors.coverage_of(machine, timezone.localtime(now, calendar.tz).date())
    if not coverage.covered and not accept_billing:
        raise BillingNotAccepted(
            _("This machine is not covered: accept that parts and labour are billed before filing the request.")
        )
    handling = rules.handling_for(coverage.service_level)
    slot = rules.proposed_slot(now, coverage.service_level, calendar) if handling == rules.ONSITE else None
    repair = RepairRequest.objects.create(
        organisation=organisation,
        machine=machine,
        number=next_number(REPAIR_PREFIX, organisation.country, timezone.localtime(now, calendar.tz).year),
        kind=kind,
        description=description.strip(),
        coverage=coverage.state,
        contract_number=coverage.contract_number,
        service_level=coverage.service_level,
        handling=handling,
        slot_start=slot.start if slot else None,
        slot_end=slot.end if slot else None,
        dispatch_due=rules.dispatch_due(now, handling, slot, calendar),
        billing_accepted_at=now if not coverage.covered else None,
        billing_accepted_by=actor if not coverage.covered else None,
        billing_wording_version=rules.BILLING_WORDING_VERSION if not coverage.covered else "",
        requester=actor,
        language=actor.language or organisation.language,
        created_at=now,
    )
    audit.record(
        "repair.requested",
        actor=actor,
        organisation=organisation,
        target=repair.number,
        data={
            "machine": str(machine),
            "coverage": coverage.state,
            "billing_accepted": repair.billing_accepted_at is not None,
            "wording": repair.billing_wording_version,
        },
        request=http_request,
    )
    enqueue(
        to=actor.email,
        language=repair.language,
        template="repair_received",
        context={
            "number": repair.number,
            "machine": str(machine),
            "first_name": actor.first_name,
            "handling": handling,
            "slot_start": repair.slot_start.isoformat() if repair.slot_start else "",
            "url": _url("inventory:repair", repair.language, number=repair.number),
        },
        thread_key=repair.number,
    )
    cases.notified(REPAIR_CASE, repair.pk, "repair_received")
    return repair


@transaction.atomic
def repair_dispatch(*, actor: User, repair: RepairRequest, http_request: HttpRequest | None = None) -> RepairRequest:
    jurisdiction.ensure_serves(actor, repair.organisation)
    repair = RepairRequest.objects.select_for_update().get(pk=repair.pk, organisation=repair.organisation)
    if repair.status != RepairStatus.SUBMITTED:
        raise Conflict(_("This repair has already been dispatched."), code=Code.ALREADY_DISPATCHED)
    if repair.estimate_status == EstimateStatus.PENDING:
        raise Conflict(
            _("This repair waits for the customer's acceptance of the cost estimate: it cannot be dispatched yet."),
            code=Code.ESTIMATE_PENDING,
        )
    repair.status = RepairStatus.DISPATCHED
    repair.dispatched_by = actor
    repair.dispatched_at = timezone.now()
    repair.save(update_fields=["status", "dispatched_by", "dispatched_at"])
    audit.record(
        "repair.dispatched", actor=actor, organisation=repair.organisation, target=repair.number, request=http_request
    )
    _tell_repair(repair, "repair_dispatched")
    return repair


@transaction.atomic
def repair_close(*, actor: User, repair: RepairRequest, http_request: HttpRequest | None = None) -> RepairRequest:
    """The technical service finished the repair: the request is done and its requester told."""
    jurisdiction.ensure_serves(actor, repair.organisation)
    repair = RepairRequest.objects.select_for_update().get(pk=repair.pk, organisation=repair.organisation)
    if repair.status != RepairStatus.DISPATCHED:
        raise Conflict(_("Only a dispatched repair can be marked done."), code=Code.NOT_DISPATCHED)
    repair.status = RepairStatus.CLOSED
    repair.closed_at = timezone.now()
    repair.save(update_fields=["status", "closed_at"])
    audit.record(
        "repair.closed", actor=actor, organisation=repair.organisation, target=repair.number, request=http_request
    )
    _tell_repair(repair, "repair_done")
    return repair


@transaction.atomic
def repair_estimate(
    *,
    actor: User,
    repair: RepairRequest,
    amount: Decimal,
    note: str,
    http_request: HttpRequest | None = None,
) -> RepairRequest:
    """The agent's cost estimate of an uncovered repair, in the organisation's currency: the repair
    then waits for the customer to accept or decline it (it cannot be dispatched meanwhile)."""
    jurisdiction.ensure_serves(actor, repair.organisation)
    repair = RepairRequest.objects.select_for_update().get(pk=repair.pk, organisation=repair.organisation)
    if repair.status != RepairStatus.SUBMITTED or repair.coverage != CoverageState.NONE:
        raise Conflict(
            _("A cost estimate is only for a repair not covered and not yet dispatched."),
            code=Code.ESTIMATE_NOT_ALLOWED,
        )
    if repair.estimate_status != EstimateStatus.NONE:
        raise Conflict(_("This repair already has a cost estimate."), code=Code.ESTIMATE_NOT_ALLOWED)
    currency = currency_for_country(repair.organisation.country)
    try:
        amount = Decimal(amount)
        valid = amount.is_finite() and 0 < amount <= rules.ESTIMATE_MAX and amount == round_money(amount, currency)
    except (ArithmeticError, ValueError, TypeError):
        valid = False
    if not valid:
        raise DomainError(
            _("Give an amount above zero and at most %(max)s, with at most two decimals.")
            % {"max": money(rules.ESTIMATE_MAX, currency)},  # in the reader's language: "100 000,00 €"
            code=Code.INVALID_AMOUNT,
        )
    note = note.strip()
    if not note or len(note) > rules.ESTIMATE_NOTE_MAX:
        raise DomainError(
            _("Say in a few words (%(max)s characters at most) which parts and labour the estimate covers.")
            % {"max": rules.ESTIMATE_NOTE_MAX},
            code=Code.NOTE_REQUIRED,
        )
    repair.estimate_status = EstimateStatus.PENDING
    repair.estimate_amount = amount
    repair.estimate_currency = currency
    repair.estimate_note = note
    repair.estimate_sent_at = timezone.now()
    repair.estimate_sent_by = actor
    repair.save(
        update_fields=[
            "estimate_status",
            "estimate_amount",
            "estimate_currency",
            "estimate_note",
            "estimate_sent_at",
            "estimate_sent_by",
        ]
    )
    audit.record(
        "repair.estimate_sent",
        actor=actor,
        organisation=repair.organisation,
        target=repair.number,
        data={"amount": str(amount), "currency": currency},
        request=http_request,
    )
    _tell_repair(repair, "repair_estimate", amount=str(amount), currency=currency, note=note)
    return repair


@transaction.atomic
def repair_estimate_answer(
    *, actor: User, repair: RepairRequest, accept: bool, http_request: HttpRequest | None = None
) -> RepairRequest:
    """The customer accepts the cost estimate (the agent may dispatch) or declines it (the repair
    closes as declined). Who and when stay on the repair; the agent who sent it is told."""
    repair = RepairRequest.objects.select_for_update().get(pk=repair.pk, organisation=repair.organisation)
    if repair.estimate_status != EstimateStatus.PENDING:
        raise Conflict(_("This repair has no cost estimate waiting for an answer."), code=Code.ESTIMATE_NOT_PENDING)
    now = timezone.now()
    repair.estimate_status = EstimateStatus.ACCEPTED if accept else EstimateStatus.DECLINED
    repair.estimate_answered_at = now
    repair.estimate_answered_by = actor
    fields = ["estimate_status", "estimate_answered_at", "estimate_answered_by"]
    if not accept:
        repair.status = RepairStatus.DECLINED
        fields.append("status")
    repair.save(update_fields=fields)
    audit.record(
        "repair.estimate_accepted" if accept else "repair.estimate_declined",
        actor=actor,
        organisation=repair.organisation,
        target=repair.number,
        data={"amount": str(repair.estimate_amount), "currency": repair.estimate_currency},
        request=http_request,
    )
    agent = repair.estimate_sent_by
    if agent is not None and agent.is_active:
        # The agent side is told as a customer's reply tells a request's assignee (support).
        enqueue(
            to=agent.email,
            language=agent.language,
            template="repair_estimate_accepted" if accept else "repair_estimate_declined",
            context={
                "number": repair.number,
                "machine": str(repair.machine),
                "first_name": agent.first_name,
                "organisation": repair.organisation.name,
                "amount": str(repair.estimate_amount),
                "currency": repair.estimate_currency,
                "url": _url("inventory_console:repair", agent.language, number=repair.number),
            },
            thread_key=repair.number,
        )
    return repair


def _tell(kind: str, pk: int, *, to: str, language: str, template: str, context: dict[str, Any], thread: str) -> None:
    """An e-mail through the outbox, and its step on the case's timeline (My requests, the home)."""
    enqueue(to=to, language=language, template=template, context=context, thread_key=thread)
    cases.notified(kind, pk, template)


def _tell_repair(repair: RepairRequest, template: str, **extra: Any) -> None:
    requester = repair.requester
    _tell(
        REPAIR_CASE,
        repair.pk,
        to=requester.email,
        language=repair.language,
        template=template,
        context={
            "number": repair.number,
            "machine": str(repair.machine),
            "first_name": requester.first_name,
            "url": _url("inventory:repair", repair.language, number=repair.number),
            **extra,
        },
        thread=repair.number,
    )


# --- machine leaving the customer -------------------------------------------------------------


@transaction.atomic
def transfer_report(
    *,
    actor: User,
    machine: Machine,
    kind: str,
    leaves_on: date,
    reason: str,
    financing_quote: str = "",
    buyer: str = "",
    today: date | None = None,
    http_request: HttpRequest | None = None,
) -> Transfer:
    """The customer reports a lease return or a sale; the report fixes the last day charged."""
    _ensure_present(machine)
    organisation = machine.organisation
    today = today or today_for(organisation)
    if kind not in ("lease_return", "sale"):
        raise DomainError(_("Say whether the machine is returned at lease end or sold."), code=Code.INVALID_KIND)
    if not reason.strip():
        raise DomainError(_("Give the reason for the change of ownership."), code=Code.EMPTY_REASON)
    if kind == "sale" and not buyer.strip():
        raise DomainError(_("Name the company that buys the machine."), code=Code.BUYER_REQUIRED)
    if Transfer.objects.filter(
        organisation=organisation, machine=machine, status__in=(TransferStatus.REPORTED, TransferStatus.CONFIRMED)
    ).exists():
        raise Conflict(_("A change of ownership is already reported for this machine."), code=Code.TRANSFER_PENDING)
    coverage = selectors.coverage_of(machine, today)
    calendar = calendar_of(organisation)
    transfer = Transfer.objects.create(
        organisation=organisation,
        machine=machine,
        number=next_number(TRANSFER_PREFIX, organisation.country, today.year),
        kind=kind,
        leaves_on=leaves_on,
        financing_quote=financing_quote.strip()[:40] if kind == "lease_return" else "",
        buyer=buyer.strip()[:200] if kind == "sale" else "",
        reason=reason.strip(),
        reported_on=today,
        last_charged_day=rules.last_charged_day(today, leaves_on),
        contract_number=coverage.contract_number,
        confirm_due=calendar.add_business_days(today, rules.TRANSFER_CONFIRM_BUSINESS_DAYS),
        requester=actor,
    )
    audit.record(
        "transfer.reported",
        actor=actor,
        organisation=organisation,
        target=transfer.number,
        data={"machine": str(machine), "kind": kind, "last_charged_day": transfer.last_charged_day.isoformat()},
        request=http_request,
    )
    language = actor.language or organisation.language
    with translation.override(language):
        leaves_on_text = day(transfer.leaves_on, "long")
        last_charged_text = day(transfer.last_charged_day, "long")
    _tell(
        TRANSFER_CASE,
        transfer.pk,
        to=actor.email,
        language=language,
        template="transfer_recorded",
        context={
            "number": transfer.number,
            "machine": str(machine),
            "first_name": actor.first_name,
            "leaves_on": leaves_on_text,
            "last_charged_day": last_charged_text,
            "url": _url("inventory:detail", language, serial=machine.serial),
        },
        thread=transfer.number,
    )
    return transfer


@transaction.atomic
def transfer_confirm(
    *, actor: User, transfer: Transfer, today: date | None = None, http_request: HttpRequest | None = None
) -> Transfer:
    jurisdiction.ensure_serves(actor, transfer.organisation)
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk, organisation=transfer.organisation)
    if transfer.status != TransferStatus.REPORTED:
        raise Conflict(_("This transfer is already confirmed."), code=Code.ALREADY_CONFIRMED)
    transfer.status = TransferStatus.CONFIRMED
    transfer.confirmed_by = actor
    transfer.confirmed_at = timezone.now()
    transfer.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    audit.record(
        "transfer.confirmed",
        actor=actor,
        organisation=transfer.organisation,
        target=transfer.number,
        request=http_request,
    )
    today = today or today_for(transfer.organisation)
    if rules.transfer_takes_effect(today, transfer.leaves_on):
        _apply_transfer(transfer)
    return transfer


def _apply_transfer(transfer: Transfer) -> None:
    """The machine leaves: its contract line ends on the last charged day, the machine is marked gone."""
    machine = Machine.objects.select_for_update().get(pk=transfer.machine_id, organisation=transfer.organisation)
    ended = coverage.end_lines(
        machine_id=machine.pk, organisation=transfer.organisation, last_day=transfer.last_charged_day
    )
    machine.departed_on = transfer.leaves_on
    machine.save(update_fields=["departed_on"])
    transfer.status = TransferStatus.DONE
    transfer.effective_at = timezone.now()
    transfer.save(update_fields=["status", "effective_at"])
    audit.record(
        "transfer.effective",
        organisation=transfer.organisation,
        target=transfer.number,
        data={"contracts": ended, "covered_until": transfer.last_charged_day.isoformat()},
        actor_label="system",
    )


def transfers_take_effect(today: date | None = None) -> int:
    """Apply confirmed transfers whose machine has left (daily; idempotent)."""
    applied = 0
    with across_organisations():
        due = list(Transfer.objects.filter(status=TransferStatus.CONFIRMED).select_related("organisation"))
    for candidate in due:
        day = today or today_for(candidate.organisation)
        if not rules.transfer_takes_effect(day, candidate.leaves_on):
            continue
        with transaction.atomic(), across_organisations():
            transfer = Transfer.objects.select_for_update().get(pk=candidate.pk)
            if transfer.status == TransferStatus.CONFIRMED:
                _apply_transfer(transfer)
                applied += 1
    return applied


# --- relocations ------------------------------------------------------------------------------


def _url(name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(name, kwargs=kwargs)


def _tell_relocation(relocation: Relocation, template: str, **extra: Any) -> None:
    _tell(
        RELOCATION_CASE,
        relocation.pk,
        to=relocation.contact_email,
        language=relocation.language,
        template=template,
        context={
            "number": relocation.number,
            "machine": str(relocation.machine),
            "first_name": relocation.requester.first_name,
            "from_country": country_name(relocation.from_country, relocation.language),
            "to_country": country_name(relocation.to_country, relocation.language),
            "url": _url("inventory:relocation", relocation.language, number=relocation.number),
            **extra,
        },
        thread=relocation.number,
    )


@transaction.atomic
def relocation_request(
    *,
    actor: User,
    machine: Machine,
    from_country: str,
    from_address: str,
    to_country: str,
    to_address: str,
    desired_date: date,
    notes: str = "",
    today: date | None = None,
    http_request: HttpRequest | None = None,
) -> Relocation:
    _ensure_present(machine)
    organisation = machine.organisation
    today = today or today_for(organisation)
    if not is_world_country(from_country) or not is_world_country(to_country):
        raise DomainError(_("Choose the countries from the list."), code=Code.INVALID_COUNTRY)
    if not rules.is_cross_border(from_country, to_country):
        raise DomainError(
            _("A relocation here crosses a border: choose another destination country."), code=Code.SAME_COUNTRY
        )
    if not from_address.strip() or not to_address.strip():
        raise DomainError(_("Give both addresses."), code=Code.ADDRESS_REQUIRED)
    calendar = calendar_of(organisation)
    earliest = calendar.add_business_days(today, settings.RELOCATION_MIN_LEAD_BUSINESS_DAYS)
    if desired_date < earliest:
        raise DomainError(
            _("A relocation takes several days: choose %(date)s or later.") % {"date": earliest.isoformat()},
            code=Code.TOO_SOON,
            details={"earliest": earliest.isoformat()},
        )
    relocation = Relocation.objects.create(
        organisation=organisation,
        machine=machine,
        number=next_number(RELOCATION_PREFIX, organisation.country, today.year),
        from_country=from_country.upper(),
        from_address=from_address.strip(),
        to_country=to_country.upper(),
        to_address=to_address.strip(),
        desired_date=desired_date,
        notes=notes.strip(),
        evaluate_due=calendar.add_business_days(today, settings.RELOCATION_EVALUATE_BUSINESS_DAYS),
        requester=actor,
        contact_email=actor.email,
        language=actor.language or organisation.language,
    )
    audit.record(
        "relocation.requested", actor=actor, organisation=organisation, target=relocation.number, request=http_request
    )
    _tell_relocation(relocation, "relocation_submitted")
    return relocation


def _move_relocation(relocation: Relocation, target: str) -> Relocation:
    relocation = (
        Relocation.objects.select_for_update(of=("self",))
        .select_related("organisation", "machine", "requester")
        .get(pk=relocation.pk, organisation=relocation.organisation)
    )
    if not rules.relocation_may_move(relocation.status, target):
        raise Conflict(_("That step is not possible from here."), code=Code.INVALID_TRANSITION)
    relocation.status = target
    return relocation


@transaction.atomic
def relocation_assign(
    *, actor: User, relocation: Relocation, assignee: User, http_request: HttpRequest | None = None
) -> Relocation:
    jurisdiction.ensure_serves(actor, relocation.organisation)
    jurisdiction.ensure_serves(assignee, relocation.organisation)
    relocation = _move_relocation(relocation, RelocationStatus.ASSIGNED)
    relocation.assignee = assignee
    relocation.save(update_fields=["status", "assignee"])
    audit.record(
        "relocation.assigned",
        actor=actor,
        organisation=relocation.organisation,
        target=relocation.number,
        data={"assignee": assignee.email},
        request=http_request,
    )
    _tell_relocation(relocation, "relocation_assigned", agent=assignee.get_full_name())
    return relocation


@transaction.atomic
def relocation_decide(
    *, actor: User, relocation: Relocation, approve: bool, reason: str = "", http_request: HttpRequest | None = None
) -> Relocation:
    jurisdiction.ensure_serves(actor, relocation.organisation)
    if not approve and not reason.strip():
        raise DomainError(_("Give the reason for the refusal."), code=Code.REASON_REQUIRED)
    relocation = _move_relocation(relocation, RelocationStatus.APPROVED if approve else RelocationStatus.REFUSED)
    relocation.decision_reason = reason.strip()
    relocation.decided_at = timezone.now()
    relocation.save(update_fields=["status", "decision_reason", "decided_at"])
    audit.record(
        "relocation.approved" if approve else "relocation.refused",
        actor=actor,
        organisation=relocation.organisation,
        target=relocation.number,
        request=http_request,
    )
    if not approve:
        _tell_relocation(relocation, "relocation_refused", reason=relocation.decision_reason)
    return relocation


@transaction.atomic
def relocation_carry_out(*, actor: User, relocation: Relocation, http_request: HttpRequest | None = None) -> Relocation:
    """Done: the machine now stands at the destination site."""
    jurisdiction.ensure_serves(actor, relocation.organisation)
    relocation = _move_relocation(relocation, RelocationStatus.CARRIED_OUT)
    relocation.carried_out_at = timezone.now()
    relocation.save(update_fields=["status", "carried_out_at"])
    machine = Machine.objects.select_for_update().get(pk=relocation.machine_id, organisation=relocation.organisation)
    machine.site_country = relocation.to_country
    machine.site_street = relocation.to_address.splitlines()[0][:200] if relocation.to_address else ""
    machine.site_postcode = ""
    machine.site_city = ""
    machine.save(update_fields=["site_country", "site_street", "site_postcode", "site_city"])
    audit.record(
        "relocation.carried_out",
        actor=actor,
        organisation=relocation.organisation,
        target=relocation.number,
        request=http_request,
    )
    _tell_relocation(relocation, "relocation_carried_out")
    return relocation


# --- CSV import from the console --------------------------------------------------------------


@transaction.atomic
def import_job_create(
    *, actor: User, organisation: Organisation, upload: Any, http_request: HttpRequest | None = None
) -> ImportJob:
    """Keep the uploaded file and import it after commit (in a worker when a broker is set)."""
    from .importer import count_rows
    from .tasks import import_inventory_file

    jurisdiction.ensure_serves(actor, organisation)
    name = "".join(ch for ch in (upload.name or "inventory.csv") if ch.isprintable() and ch not in '/\\"')[:200]
    job = ImportJob(organisation=organisation, created_by=actor, original_name=name, rows_total=count_rows(upload))
    job.file.save(f"{organisation.customer_number}-{name}", upload, save=False)
    job.save()
    audit.record(
        "inventory.import_uploaded",
        actor=actor,
        organisation=organisation,
        target=organisation.customer_number,
        data={"file": name, "rows": job.rows_total},
        request=http_request,
    )
    transaction.on_commit(lambda: import_inventory_file.delay(job.pk))
    return job
