"""Writes on billing: one transaction each, rows locked where amounts move, audit row and outbox e-mail."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guichet.accounts import jurisdiction
from guichet.accounts.models import Organisation, User
from guichet.core import audit, csv_import, numbering
from guichet.core.calendar import today_for, today_in
from guichet.core.csv_import import ImportRejected
from guichet.core.errors import Conflict, DomainError
from guichet.core.models import Country
from guichet.core.money import ZERO, currency_for_country, round_money
from guichet.core.notifications.outbox import enqueue
from guichet.core.tenancy import across_organisations
from guichet.support import services as support_services

from . import rules
from .errors import Code
from .models import Allocation, BillingOptions, Dispute, Invoice, InvoiceLine, Kind, Payment, TaxLine

# --- numbers -------------------------------------------------------------------------------------


def _sequence_key(country: str, kind: str, year: int) -> str:
    return numbering.sequence_key("billing", kind, country, year)


def next_number(country: str, kind: str, year: int) -> str:
    """Gapless per country, kind and year (`core.numbering`): taken in the transaction that issues the document."""
    return rules.number_for(country, kind, year, numbering.next_value(_sequence_key(country, kind, year)))


def _claim_number(number: str, country: str, kind: str, year: int) -> None:
    """A number given from outside (import, demo): the series continues after it."""
    tail = number.rsplit("-", 1)[-1]
    if tail.isdigit():
        numbering.advance_to(_sequence_key(country, kind, year), int(tail))


# --- helpers ----------------------------------------------------------------------------------------


def options_of(organisation: Organisation) -> BillingOptions:
    options = BillingOptions.objects.filter(organisation=organisation).first()
    return options or BillingOptions(organisation=organisation)


def _locked_invoice(invoice: Invoice) -> Invoice:
    return (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=invoice.pk, organisation=invoice.organisation)
    )


def _refresh_status(invoice: Invoice, today: date | None = None) -> None:
    today = today or today_for(invoice.organisation)
    if invoice.is_credit_note:
        invoice.status = rules.PAID if invoice.settled >= invoice.total else rules.OPEN
    else:
        disputed = Dispute.objects.filter(invoice=invoice, state=Dispute.State.OPEN).exists()
        invoice.status = rules.invoice_status(
            total=invoice.total,
            settled=invoice.settled,
            due=invoice.due_date,
            today=today,
            disputed=disputed,
            cancelled=invoice.status == rules.CANCELLED,
        )


def _customer_url(name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(name, kwargs=kwargs or None)


# --- invoices ------------------------------------------------------------------------------------------


@transaction.atomic
def invoice_issue(
    *,
    actor: User | None,
    organisation: Organisation,
    lines: Sequence[rules.LineIn],
    issue_date: date,
    due_date: date | None = None,
    po_reference: str = "",
    kind: str = Kind.INVOICE,
    credited_invoice: Invoice | None = None,
    number: str = "",
    currency: str = "",
    http_request: HttpRequest | None = None,
) -> Invoice:
    """An invoice (or credit note) with its lines and taxes; the stored totals are the rules' totals."""
    if not lines:
        raise DomainError(_("An invoice needs at least one line."), code=Code.NO_LINES)
    if any(line.quantity <= 0 or line.unit_price < 0 for line in lines):
        raise DomainError(_("Quantities must be positive and prices not negative."), code=Code.INVALID_LINE)
    options = options_of(organisation)
    if kind == Kind.INVOICE and options.po_required and not po_reference.strip():
        raise DomainError(_("This customer requires a purchase order number on invoices."), code=Code.PO_REQUIRED)
    if kind == Kind.CREDIT_NOTE and credited_invoice is None:
        raise DomainError(_("A credit note names the invoice it credits."), code=Code.CREDITED_INVOICE_MISSING)
    currency = currency or (
        credited_invoice.currency if credited_invoice else currency_for_country(organisation.country)
    )
    try:
        totals = rules.invoice_totals(
            lines, country=organisation.country, province=organisation.province, currency=currency, on=issue_date
        )
    except rules.UnknownTaxCode as error:
        raise DomainError(
            _("This tax rate does not apply in the customer's country."), code=Code.INVALID_TAX
        ) from error
    if kind == Kind.CREDIT_NOTE:
        due_date = issue_date
    due_date = due_date or rules.due_date(issue_date, organisation.country)
    if due_date < issue_date:
        raise DomainError(_("The due date cannot come before the issue date."), code=Code.INVALID_DUE_DATE)
    if number:
        _claim_number(number, organisation.country, kind, issue_date.year)
    else:
        number = next_number(organisation.country, kind, issue_date.year)
    invoice = Invoice.objects.create(
        organisation=organisation,
        kind=kind,
        number=number,
        issue_date=issue_date,
        due_date=due_date,
        currency=currency,
        po_reference=po_reference.strip(),
        net_total=totals.net,
        tax_total=totals.tax,
        total=totals.total,
        credited_invoice=credited_invoice,
        country=organisation.country,
        province=organisation.province,
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            organisation=organisation,
            invoice=invoice,
            position=i,
            description=line.description[:200],
            quantity=line.quantity,
            unit_price=line.unit_price,
            tax_code=line.tax_code,
            net=line.net,
            tax=line.tax,
        )
        for i, line in enumerate(totals.lines, start=1)
    )
    TaxLine.objects.bulk_create(
        TaxLine(
            organisation=organisation,
            invoice=invoice,
            name=t.name,
            code=t.code,
            rate=t.rate,
            base=t.base,
            amount=t.amount,
        )
        for t in totals.taxes
    )
    _refresh_status(invoice, issue_date)
    invoice.save(update_fields=["status"])
    audit.record(
        "invoice.issued" if kind == Kind.INVOICE else "credit_note.issued",
        actor=actor,
        organisation=organisation,
        target=number,
        data={"total": str(totals.total), "currency": currency},
        request=http_request,
    )
    if options.email_delivery and options.delivery_email:
        language = organisation.language
        enqueue(
            to=options.delivery_email,
            language=language,
            template="billing_invoice_issued",
            context={
                "number": number,
                "kind": kind,
                "total": str(totals.total),
                "currency": currency,
                "due": due_date.isoformat(),
                "organisation": organisation.name,
                "url": _customer_url("billing:invoice", language, number=number),
            },
            thread_key=number,
        )
    return invoice


def invoices_refresh_statuses(today: date | None = None) -> int:
    """Nightly: open invoices past their due date become overdue (pages also work it out on the fly)."""
    changed = 0
    with across_organisations():
        # Each country's invoices fall due on its own clock.
        for country in Country.values:
            changed += Invoice.objects.filter(
                kind=Kind.INVOICE,
                status__in=(rules.OPEN, rules.PARTIALLY_PAID),
                organisation__country=country,
                due_date__lt=today or today_in(country),
            ).update(status=rules.OVERDUE)
    return changed


# --- allocations and payments ---------------------------------------------------------------------------


def _allocate(
    invoice: Invoice, amount: Decimal, *, payment: Payment | None = None, credit_note: Invoice | None = None
) -> Allocation:
    """Lock the invoice and the source, check the amounts, move them. Callers hold the transaction."""
    invoice = _locked_invoice(invoice)
    if invoice.is_credit_note or invoice.status == rules.CANCELLED:
        raise Conflict(_("Only open invoices can be settled."), code=Code.NOT_SETTLEABLE)
    if payment is not None:
        source = Payment.objects.select_for_update().get(pk=payment.pk, organisation=payment.organisation)
        left, currency, organisation = source.unallocated, source.currency, source.organisation_id
    else:
        assert credit_note is not None
        source_note = _locked_invoice(credit_note)
        left, currency, organisation = source_note.open_amount, source_note.currency, source_note.organisation_id
    if organisation != invoice.organisation_id:
        raise DomainError(_("The invoice belongs to another customer."), code=Code.OTHER_ORGANISATION)
    if currency != invoice.currency:
        raise DomainError(_("The currencies differ."), code=Code.CURRENCY_MISMATCH)
    amount = round_money(amount, currency)
    if not rules.may_allocate(amount=amount, source_unallocated=left, invoice_open=invoice.open_amount):
        raise DomainError(
            _("The amount must be positive and at most %(max)s.") % {"max": min(left, invoice.open_amount)},
            code=Code.ALLOCATION_TOO_LARGE,
        )
    allocation = Allocation.objects.create(
        organisation=invoice.organisation, invoice=invoice, payment=payment, credit_note=credit_note, amount=amount
    )
    invoice.settled += amount
    _refresh_status(invoice)
    invoice.save(update_fields=["settled", "status"])
    if payment is not None:
        source.allocated += amount
        source.save(update_fields=["allocated"])
    else:
        source_note.settled += amount
        _refresh_status(source_note)
        source_note.save(update_fields=["settled", "status"])
    return allocation


@transaction.atomic
def payment_record(
    *,
    actor: User | None,
    organisation: Organisation,
    day: date,
    amount: Decimal,
    currency: str,
    method: str,
    reference: str,
    allocations: Iterable[tuple[Invoice, Decimal]] = (),
    source: str = Payment.Source.MANUAL,
    http_request: HttpRequest | None = None,
) -> Payment:
    if actor is not None and source == Payment.Source.MANUAL:
        jurisdiction.ensure_serves(actor, organisation)
    amount = round_money(amount, currency)
    if amount <= ZERO:
        raise DomainError(_("The amount must be positive."), code=Code.INVALID_AMOUNT)
    if method not in rules.ALL_METHODS:
        raise DomainError(_("Unknown payment method."), code=Code.INVALID_METHOD)
    reference = reference.strip()
    if not reference:
        raise DomainError(_("Give the bank's reference of the payment."), code=Code.REFERENCE_MISSING)
    if Payment.objects.filter(reference=reference).exists():
        raise Conflict(_("A payment with this reference is already recorded."), code=Code.DUPLICATE_REFERENCE)
    payment = Payment.objects.create(
        organisation=organisation,
        date=day,
        amount=amount,
        currency=currency,
        method=method,
        reference=reference,
        source=source,
        recorded_by=actor,
    )
    for invoice, part in allocations:
        _allocate(invoice, part, payment=payment)
    audit.record(
        "payment.recorded",
        actor=actor,
        organisation=organisation,
        target=reference,
        data={"amount": str(amount), "currency": currency, "source": source},
        request=http_request,
    )
    return payment


@transaction.atomic
def payment_allocate(
    *, actor: User, payment: Payment, invoice: Invoice, amount: Decimal, http_request: HttpRequest | None = None
) -> Allocation:
    jurisdiction.ensure_serves(actor, payment.organisation)
    allocation = _allocate(invoice, amount, payment=payment)
    audit.record(
        "payment.allocated",
        actor=actor,
        organisation=payment.organisation,
        target=payment.reference,
        data={"invoice": invoice.number, "amount": str(allocation.amount)},
        request=http_request,
    )
    return allocation


# --- bank file import ----------------------------------------------------------------------------------

IMPORT_COLUMNS = ("date", "amount", "currency", "reference", "customer_number", "invoice_number", "method")
REQUIRED_COLUMNS = ("date", "amount", "currency", "reference", "customer_number")
MAX_IMPORT_ROWS = 50_000


@dataclass
class ImportReport(csv_import.ImportReport):
    imported: int = 0
    already_imported: int = 0
    allocated: Decimal = ZERO


@dataclass
class _Row:
    line: int
    day: date
    amount: Decimal
    currency: str
    reference: str
    organisation: Organisation
    invoice: Invoice | None
    method: str


def _parse(data: bytes, report: ImportReport) -> list[_Row]:
    try:
        file = csv_import.read_csv_bytes(io.BytesIO(data))
        csv_import.check_header(report, file.header, REQUIRED_COLUMNS, known=IMPORT_COLUMNS)
        if not report.ok:
            return []
        raw_rows = list(file.rows)
    except (UnicodeDecodeError, csv.Error) as problem:
        report.add(0, "", csv_import.unreadable(problem))
        return []
    if not raw_rows:
        report.add(1, "", _("The file has no payment lines."))
        return []
    if len(raw_rows) > MAX_IMPORT_ROWS:
        report.add(0, "", _("At most %(n)s lines per file.") % {"n": MAX_IMPORT_ROWS})
        return []
    customers = {r.get("customer_number", "") for _line, r in raw_rows}
    invoice_numbers = {r.get("invoice_number", "") for _line, r in raw_rows} - {""}
    with across_organisations():
        orgs = {o.customer_number: o for o in Organisation.objects.filter(customer_number__in=customers)}
        invoices = {i.number: i for i in Invoice.objects.filter(number__in=invoice_numbers)}
        known = set(
            Payment.objects.filter(reference__in=[r.get("reference", "") for _line, r in raw_rows]).values_list(
                "reference", flat=True
            )
        )
    seen: set[str] = set()
    rows: list[_Row] = []
    for line, values in raw_rows:
        errors_before = report.error_count

        def error(column: str, message: str, line: int = line) -> None:
            report.add(line, column, message)

        day = None
        try:
            day = date.fromisoformat(values.get("date", ""))
        except ValueError:
            error("date", _("Not a date (YYYY-MM-DD)."))
        amount = None
        try:
            amount = Decimal(values.get("amount", "").replace(" ", ""))
            if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
                raise InvalidOperation
        except InvalidOperation:
            error("amount", _("Not a positive amount with at most two decimals."))
            amount = None
        currency = values.get("currency", "").upper()
        if currency not in ("EUR", "CAD", "RON"):
            error("currency", _("Unknown currency."))
        reference = values.get("reference", "")
        if not reference or len(reference) > 64:
            error("reference", _("A reference of 1 to 64 characters is required."))
        elif reference in seen:
            error("reference", _("This reference appears twice in the file."))
        seen.add(reference)
        organisation = orgs.get(values.get("customer_number", ""))
        if organisation is None:
            error("customer_number", _("Unknown customer number."))
        elif currency and currency != currency_for_country(organisation.country):
            error("currency", _("This customer is billed in another currency."))
        invoice = None
        if values.get("invoice_number"):
            invoice = invoices.get(values["invoice_number"])
            if invoice is None or organisation is None or invoice.organisation_id != organisation.pk:
                error("invoice_number", _("No such invoice for this customer."))
                invoice = None
            elif invoice.kind != Kind.INVOICE or invoice.status == rules.CANCELLED:
                error("invoice_number", _("Only open invoices can be settled."))
        method = values.get("method") or rules.BANK_TRANSFER
        if method not in rules.ALL_METHODS:
            error("method", _("Unknown payment method."))
        if reference in known:
            report.already_imported += 1
            continue
        if report.error_count == errors_before:
            assert day and amount and organisation
            rows.append(_Row(line, day, amount, currency, reference, organisation, invoice, method))
    report.rows = len(raw_rows)
    return rows


def payments_import(
    *,
    actor: User | None,
    data: bytes,
    http_request: HttpRequest | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """A bank file, all or nothing: any bad row rejects the file with a report of every problem.

    Lines whose reference is already recorded are skipped (the same file imported twice adds nothing).
    Each payment settles its invoice up to the invoice's open amount; the rest stays on account.
    """
    report = ImportReport()
    rows = _parse(data, report)
    if not report.ok:
        raise ImportRejected(report)
    if actor is not None and any(not jurisdiction.may_serve(actor, r.organisation) for r in rows):
        report.add(0, "customer_number", _("Some customers belong to another country's team."))
        raise ImportRejected(report)
    with transaction.atomic(), across_organisations():
        for done, row in enumerate(rows, start=1):
            allocations: list[tuple[Invoice, Decimal]] = []
            if row.invoice is not None:
                invoice = _locked_invoice(row.invoice)
                part = min(row.amount, invoice.open_amount)
                if part > ZERO:
                    allocations.append((invoice, part))
                    report.allocated += part
            payment_record(
                actor=None,
                organisation=row.organisation,
                day=row.day,
                amount=row.amount,
                currency=row.currency,
                method=row.method,
                reference=row.reference,
                allocations=allocations,
                source=Payment.Source.IMPORT,
            )
            report.imported += 1
            if progress is not None:
                progress(done)
        audit.record(
            "payments.imported",
            actor=actor,
            target=f"{report.imported} payments",
            data={"imported": report.imported, "already_imported": report.already_imported},
            request=http_request,
            actor_label="" if actor else "import",
        )
    return report


# --- billing options ------------------------------------------------------------------------------------


@transaction.atomic
def options_update(
    *,
    actor: User | None,
    organisation: Organisation,
    email_delivery: bool,
    delivery_email: str,
    po_required: bool,
    http_request: HttpRequest | None = None,
) -> BillingOptions:
    if email_delivery and not delivery_email.strip():
        raise DomainError(_("Give the address invoices should be sent to."), code=Code.DELIVERY_EMAIL_MISSING)
    options, _created = BillingOptions.objects.update_or_create(
        organisation=organisation,
        defaults={
            "email_delivery": email_delivery,
            "delivery_email": delivery_email.strip(),
            "po_required": po_required,
            "updated_at": timezone.now(),
        },
    )
    audit.record(
        "billing.options",
        actor=actor,
        organisation=organisation,
        target=organisation.customer_number,
        data={"email_delivery": email_delivery, "po_required": po_required},
        request=http_request,
    )
    return options


# --- disputes -------------------------------------------------------------------------------------------


@transaction.atomic
def dispute_open(
    *,
    actor: User,
    invoice: Invoice,
    amount: Decimal,
    reason: str,
    positions: Sequence[int] = (),
    files: Iterable[tuple[str, bytes]] = (),
    http_request: HttpRequest | None = None,
) -> Dispute:
    """The customer disputes (part of) an invoice: a billing request for the agents, the invoice marked disputed."""
    invoice = _locked_invoice(invoice)
    organisation = invoice.organisation
    if Dispute.objects.filter(invoice=invoice, state=Dispute.State.OPEN).exists():
        raise Conflict(_("This invoice is already disputed."), code=Code.ALREADY_DISPUTED)
    if not rules.may_dispute(is_credit_note=invoice.is_credit_note, status=invoice.current_status()):
        raise Conflict(_("Only an unpaid invoice can be disputed."), code=Code.NOT_DISPUTABLE)
    amount = round_money(amount, invoice.currency)
    if not ZERO < amount <= invoice.open_amount:
        raise DomainError(
            _("The disputed amount must be positive and at most the open amount, %(max)s.")
            % {"max": invoice.open_amount},
            code=Code.INVALID_AMOUNT,
        )
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why you dispute this invoice."), code=Code.REASON_MISSING)
    valid_positions = set(invoice.lines.values_list("position", flat=True))
    chosen = sorted({int(p) for p in positions})
    if any(p not in valid_positions for p in chosen):
        raise DomainError(_("Choose lines of this invoice."), code=Code.INVALID_LINES)
    with translation.override(actor.language or organisation.language):
        subject = _("Dispute of invoice %(number)s") % {"number": invoice.number}
        description = _("Disputed amount: %(amount)s %(currency)s\nLines: %(lines)s\n\n%(reason)s") % {
            "amount": amount,
            "currency": invoice.currency,
            "lines": ", ".join(str(p) for p in chosen) or _("all"),
            "reason": reason,
        }
    request = support_services.request_submit(
        actor=actor,
        organisation=organisation,
        type="invoices",
        subject=subject,
        description=description,
        details={"invoice_number": invoice.number},
        contact={"name": actor.get_full_name(), "email": actor.email, "phone": actor.phone},
        files=files,
        http_request=http_request,
    )
    dispute = Dispute.objects.create(
        organisation=organisation,
        invoice=invoice,
        request=request,
        positions=chosen,
        amount=amount,
        reason=reason,
        opened_by=actor,
    )
    invoice.status = rules.DISPUTED
    invoice.save(update_fields=["status"])
    audit.record(
        "invoice.disputed",
        actor=actor,
        organisation=organisation,
        target=invoice.number,
        data={"amount": str(amount), "request": request.number},
        request=http_request,
    )
    return dispute


def _locked_dispute(dispute: Dispute) -> Dispute:
    locked = (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("organisation", "invoice", "request", "opened_by")
        .get(pk=dispute.pk, organisation=dispute.organisation)
    )
    if locked.state != Dispute.State.OPEN:
        raise Conflict(_("This dispute is already resolved."), code=Code.ALREADY_RESOLVED)
    return locked


def _tell_disputer(dispute: Dispute, template: str, **extra: Any) -> None:
    customer = dispute.opened_by
    language = customer.language or dispute.organisation.language
    enqueue(
        to=customer.email,
        language=language,
        template=template,
        context={
            "first_name": customer.first_name,
            "number": dispute.invoice.number,
            "request": dispute.request.number if dispute.request else "",
            "url": _customer_url("billing:invoice", language, number=dispute.invoice.number),
            **extra,
        },
        thread_key=dispute.request.number if dispute.request else dispute.invoice.number,
    )


def _close_request(dispute: Dispute, actor: User, body: str) -> None:
    if dispute.request is None or dispute.request.status in ("resolved", "closed"):
        return
    support_services.agent_comment(actor=actor, request=dispute.request, body=body, then="resolved")


@transaction.atomic
def dispute_credit(
    *,
    actor: User,
    dispute: Dispute,
    amount: Decimal | None = None,
    note: str = "",
    http_request: HttpRequest | None = None,
) -> Invoice:
    """Resolve in the customer's favour: a credit note for `amount` (tax included), set against the invoice."""
    dispute = _locked_dispute(dispute)
    jurisdiction.ensure_serves(actor, dispute.organisation)
    invoice = _locked_invoice(dispute.invoice)
    amount = round_money(amount if amount is not None else dispute.amount, invoice.currency)
    if not ZERO < amount <= invoice.open_amount:
        raise DomainError(
            _("The credit must be positive and at most the open amount, %(max)s.") % {"max": invoice.open_amount},
            code=Code.INVALID_AMOUNT,
        )
    # One line at the invoice's main tax code whose net is the gross amount without its tax; the
    # credit note's total is then within a cent of the amount and at most the invoice's open amount.
    first = invoice.lines.order_by("position").first()
    tax_code = first.tax_code if first else rules.STANDARD
    taxes = rules.taxes_for(invoice.country, invoice.province, tax_code, today_for(invoice.organisation))
    rate = sum((t.rate for t in taxes), ZERO)
    net = round_money(amount / (1 + rate), invoice.currency)
    language = dispute.organisation.language
    with translation.override(language):
        description = _("Credit on invoice %(number)s") % {"number": invoice.number}
    while True:
        totals = rules.invoice_totals(
            [rules.LineIn(description, Decimal(1), net, tax_code)],
            country=invoice.country,
            province=invoice.province,
            currency=invoice.currency,
            on=today_for(invoice.organisation),
        )
        if totals.total <= invoice.open_amount or net <= ZERO:
            break
        net -= Decimal("0.01")
    credit_note = invoice_issue(
        actor=actor,
        organisation=dispute.organisation,
        lines=[rules.LineIn(description, Decimal(1), net, tax_code)],
        issue_date=today_for(invoice.organisation),
        kind=Kind.CREDIT_NOTE,
        credited_invoice=invoice,
        currency=invoice.currency,
        http_request=http_request,
    )
    dispute.state = Dispute.State.CREDITED
    dispute.credit_note = credit_note
    dispute.resolution_note = note.strip()
    dispute.resolved_by = actor
    dispute.resolved_at = timezone.now()
    dispute.save(update_fields=["state", "credit_note", "resolution_note", "resolved_by", "resolved_at"])
    _allocate(invoice, min(credit_note.total, invoice.open_amount), credit_note=credit_note)
    invoice.refresh_from_db()
    _refresh_status(invoice)
    invoice.save(update_fields=["status"])
    audit.record(
        "dispute.credited",
        actor=actor,
        organisation=dispute.organisation,
        target=invoice.number,
        data={"credit_note": credit_note.number, "amount": str(credit_note.total)},
        request=http_request,
    )
    _tell_disputer(
        dispute,
        "billing_dispute_credited",
        credit_note=credit_note.number,
        amount=str(credit_note.total),
        currency=credit_note.currency,
        note=dispute.resolution_note,
        credit_url=_customer_url("billing:invoice", dispute.opened_by.language or language, number=credit_note.number),
    )
    with translation.override(dispute.opened_by.language or language):
        body = _("We issued credit note %(credit_note)s for %(amount)s %(currency)s against invoice %(number)s.") % {
            "credit_note": credit_note.number,
            "amount": credit_note.total,
            "currency": credit_note.currency,
            "number": invoice.number,
        }
    _close_request(dispute, actor, body + (f"\n\n{dispute.resolution_note}" if dispute.resolution_note else ""))
    return credit_note


@transaction.atomic
def dispute_reject(*, actor: User, dispute: Dispute, reason: str, http_request: HttpRequest | None = None) -> Dispute:
    dispute = _locked_dispute(dispute)
    jurisdiction.ensure_serves(actor, dispute.organisation)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the customer the reason for the rejection."), code=Code.REASON_MISSING)
    dispute.state = Dispute.State.REJECTED
    dispute.resolution_note = reason
    dispute.resolved_by = actor
    dispute.resolved_at = timezone.now()
    dispute.save(update_fields=["state", "resolution_note", "resolved_by", "resolved_at"])
    invoice = _locked_invoice(dispute.invoice)
    _refresh_status(invoice)
    invoice.save(update_fields=["status"])
    audit.record(
        "dispute.rejected",
        actor=actor,
        organisation=dispute.organisation,
        target=invoice.number,
        data={"reason": reason[:200]},
        request=http_request,
    )
    _tell_disputer(dispute, "billing_dispute_rejected", reason=reason)
    _close_request(dispute, actor, reason)
    return dispute
