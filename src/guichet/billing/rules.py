"""Billing policy, pure: taxes per country, totals and rounding, status, aging, statement, terms.

No ORM here: plain values in, plain values out (tests/billing/test_rules.py, with
hypothesis). See docs/decisions/0007-billing.md for the sources and the choices.

Rounding (one rule everywhere): a line's net is quantity x unit price rounded
half-up to the currency's minor unit; tax is computed once per tax and rate on
the sum of the nets that bear it (not per line), rounded half-up; the invoice
total is Σ nets + Σ taxes, exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from guichet.core.money import ZERO, round_money
from guichet.core.structured_communication import structured_communication_for

# --- tax rates ---------------------------------------------------------------------------------

# Belgium, VAT (TVA/BTW): 21 % standard, 12 % and 6 % reduced (Code TVA, art. 37 and
# Royal Decree no. 20). Unchanged since 1996.
BE_VAT_STANDARD = Decimal("0.21")
BE_VAT_INTERMEDIATE = Decimal("0.12")
BE_VAT_REDUCED = Decimal("0.06")

# Romania, TVA: 21 % standard and one 11 % reduced rate since 1 August 2025 (Law 141/2025,
# Monitorul Oficial no. 699 of 25 July 2025); before: 19 % and 9 % (5 % dropped).
RO_VAT_CHANGE = date(2025, 8, 1)
RO_VAT_STANDARD = Decimal("0.21")
RO_VAT_REDUCED = Decimal("0.11")
RO_VAT_STANDARD_BEFORE = Decimal("0.19")
RO_VAT_REDUCED_BEFORE = Decimal("0.09")

# Canada: GST 5 % (Excise Tax Act); HST replaces GST + provincial tax in ON 13 %, NB/NL/PE 15 %,
# NS 14 % from 1 April 2025 (CRA GST/HST Notice 342; 15 % before). Quebec: GST 5 % + QST 9.975 %
# (Revenu Québec), computed on the price without GST since 2013.
CA_GST = Decimal("0.05")
CA_QST = Decimal("0.09975")
NS_HST_CHANGE = date(2025, 4, 1)
CA_HST: dict[str, Decimal] = {
    "ON": Decimal("0.13"),
    "NB": Decimal("0.15"),
    "NL": Decimal("0.15"),
    "PE": Decimal("0.15"),
    "NS": Decimal("0.14"),
}
NS_HST_BEFORE = Decimal("0.15")
# Assumption (decision 0007): BC/MB/SK PST is not collected by the vendor (no provincial registration);
# those customers self-assess it. They are invoiced GST only, like AB and the territories.

# Tax codes a line carries; what they mean depends on the customer's country (and province).
STANDARD = "standard"
REDUCED = "reduced"  # BE 12 %, RO 11 %
REDUCED_LOW = "reduced_low"  # BE 6 %
EXEMPT = "exempt"
REVERSE_CHARGE = "reverse_charge"  # intra-EU B2B: the customer accounts for the VAT (BE: autoliquidation)
TAX_CODES = (STANDARD, REDUCED, REDUCED_LOW, EXEMPT, REVERSE_CHARGE)


class UnknownTaxCode(ValueError):
    pass


@dataclass(frozen=True)
class Tax:
    name: str  # "VAT", "GST", "HST", "QST"
    rate: Decimal


def taxes_for(country: str, province: str, code: str, on: date) -> tuple[Tax, ...]:
    """The taxes a line with `code` bears for a customer in `country`/`province` on the tax point `on`."""
    if code not in TAX_CODES:
        raise UnknownTaxCode(code)
    if code in (EXEMPT, REVERSE_CHARGE):
        return ()
    if country == "BE":
        rate = {STANDARD: BE_VAT_STANDARD, REDUCED: BE_VAT_INTERMEDIATE, REDUCED_LOW: BE_VAT_REDUCED}[code]
        return (Tax("VAT", rate),)
    if country == "RO":
        if code == REDUCED_LOW:
            raise UnknownTaxCode(code)
        after = on >= RO_VAT_CHANGE
        if code == STANDARD:
            return (Tax("VAT", RO_VAT_STANDARD if after else RO_VAT_STANDARD_BEFORE),)
        return (Tax("VAT", RO_VAT_REDUCED if after else RO_VAT_REDUCED_BEFORE),)
    if country == "CA":
        if code != STANDARD:
            raise UnknownTaxCode(code)
        if province == "QC":
            return (Tax("GST", CA_GST), Tax("QST", CA_QST))
        if province in CA_HST:
            rate = NS_HST_BEFORE if province == "NS" and on < NS_HST_CHANGE else CA_HST[province]
            return (Tax("HST", rate),)
        return (Tax("GST", CA_GST),)
    raise UnknownTaxCode(f"{country}:{code}")


# --- totals --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineIn:
    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_code: str = STANDARD


@dataclass(frozen=True)
class LineTotal:
    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_code: str
    net: Decimal
    tax: Decimal  # informational share; the invoice's tax is computed per rate, see the module note


@dataclass(frozen=True)
class TaxTotal:
    name: str
    code: str
    rate: Decimal
    base: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Totals:
    lines: tuple[LineTotal, ...]
    taxes: tuple[TaxTotal, ...]
    net: Decimal
    tax: Decimal
    total: Decimal


def line_net(quantity: Decimal, unit_price: Decimal, currency: str) -> Decimal:
    return round_money(quantity * unit_price, currency)


def invoice_totals(lines: Sequence[LineIn], *, country: str, province: str, currency: str, on: date) -> Totals:
    """Nets per line, tax per (tax, rate) on the sum of the nets, total = Σ nets + Σ taxes."""
    out_lines = []
    bases: dict[tuple[str, str, Decimal], Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        net = line_net(line.quantity, line.unit_price, currency)
        taxes = taxes_for(country, province, line.tax_code, on)
        share = sum((round_money(net * t.rate, currency) for t in taxes), ZERO)
        out_lines.append(LineTotal(line.description, line.quantity, line.unit_price, line.tax_code, net, share))
        for tax in taxes:
            bases[(tax.name, line.tax_code, tax.rate)] += net
    tax_totals = tuple(
        TaxTotal(name, code, rate, base, round_money(base * rate, currency))
        for (name, code, rate), base in sorted(bases.items(), key=lambda kv: (kv[0][0], -kv[0][2]))
    )
    net_total = sum((line.net for line in out_lines), ZERO)
    tax_total = sum((t.amount for t in tax_totals), ZERO)
    return Totals(tuple(out_lines), tax_totals, net_total, tax_total, net_total + tax_total)


# --- status ------------------------------------------------------------------------------------------

OPEN = "open"
PARTIALLY_PAID = "partially_paid"
PAID = "paid"
OVERDUE = "overdue"
DISPUTED = "disputed"
CANCELLED = "cancelled"
UNPAID_STATUSES = frozenset({OPEN, PARTIALLY_PAID, OVERDUE, DISPUTED})
DISPUTABLE_STATUSES = frozenset({OPEN, PARTIALLY_PAID, OVERDUE})


def may_dispute(*, is_credit_note: bool, status: str) -> bool:
    """An unpaid invoice may be disputed; a credit note may not, and a disputed one is being looked at already."""
    return not is_credit_note and status in DISPUTABLE_STATUSES


def invoice_status(
    *, total: Decimal, settled: Decimal, due: date, today: date, disputed: bool = False, cancelled: bool = False
) -> str:
    """Cancelled, then disputed (an open dispute freezes collection), paid, overdue, partially paid, open."""
    if cancelled:
        return CANCELLED
    if disputed and settled < total:
        return DISPUTED
    if settled >= total:
        return PAID
    if today > due:
        return OVERDUE
    if settled > ZERO:
        return PARTIALLY_PAID
    return OPEN


def may_allocate(*, amount: Decimal, source_unallocated: Decimal, invoice_open: Decimal) -> bool:
    """An allocation is positive and exceeds neither what is left of its source nor the invoice's open amount."""
    return ZERO < amount <= source_unallocated and amount <= invoice_open


# --- aging --------------------------------------------------------------------------------------------

NOT_DUE = "not_due"
DAYS_1_30 = "1_30"
DAYS_31_60 = "31_60"
DAYS_61_90 = "61_90"
OVER_90 = "over_90"
AGING_BUCKETS = (NOT_DUE, DAYS_1_30, DAYS_31_60, DAYS_61_90, OVER_90)
AGING_LIMITS = ((0, NOT_DUE), (30, DAYS_1_30), (60, DAYS_31_60), (90, DAYS_61_90))


def aging_bucket(due: date, today: date) -> str:
    late = (today - due).days
    for limit, bucket in AGING_LIMITS:
        if late <= limit:
            return bucket
    return OVER_90


def aging(open_items: Iterable[tuple[date, Decimal]], today: date) -> dict[str, Decimal]:
    """Open amounts by bucket of days past due, every bucket present (zero when empty)."""
    buckets = dict.fromkeys(AGING_BUCKETS, ZERO)
    for due, amount in open_items:
        buckets[aging_bucket(due, today)] += amount
    return buckets


# --- statement ---------------------------------------------------------------------------------------

INVOICE = "invoice"
CREDIT_NOTE = "credit_note"
PAYMENT = "payment"


@dataclass(frozen=True)
class Operation:
    day: date
    kind: str  # INVOICE, CREDIT_NOTE, PAYMENT
    reference: str
    amount: Decimal  # always positive; the kind says which way it goes


@dataclass(frozen=True)
class StatementLine:
    operation: Operation
    debit: Decimal
    credit: Decimal
    balance: Decimal


@dataclass
class Statement:
    start: date
    end: date
    opening: Decimal
    lines: list[StatementLine] = field(default_factory=list)
    closing: Decimal = ZERO
    invoiced: Decimal = ZERO
    credited: Decimal = ZERO
    paid: Decimal = ZERO


def signed(operation: Operation) -> Decimal:
    """What the operation does to the customer's balance: invoices raise it, the rest lower it."""
    return operation.amount if operation.kind == INVOICE else -operation.amount


_KIND_ORDER = {INVOICE: 0, CREDIT_NOTE: 1, PAYMENT: 2}


def statement(opening: Decimal, operations: Iterable[Operation], start: date, end: date) -> Statement:
    """Opening balance, then each operation of the period in date order with the running balance.

    closing = opening + Σ invoices - Σ credit notes - Σ payments.
    """
    result = Statement(start=start, end=end, opening=opening)
    balance = opening
    for op in sorted(operations, key=lambda o: (o.day, _KIND_ORDER[o.kind], o.reference)):
        if not start <= op.day <= end:
            continue
        balance += signed(op)
        debit = op.amount if op.kind == INVOICE else ZERO
        credit = ZERO if op.kind == INVOICE else op.amount
        result.lines.append(StatementLine(op, debit, credit, balance))
        if op.kind == INVOICE:
            result.invoiced += op.amount
        elif op.kind == CREDIT_NOTE:
            result.credited += op.amount
        else:
            result.paid += op.amount
    result.closing = balance
    return result


MAX_STATEMENT_PERIOD = timedelta(days=3 * 366)
DEFAULT_STATEMENT_PERIOD = timedelta(days=365)
# No receivable is a century older than the portal: an earlier date is a typing error (and year 1
# broke the date arithmetic of the default period, a 500).
EARLIEST_STATEMENT_DATE = date(1900, 1, 1)

# --- payment terms and methods --------------------------------------------------------------------------

PAYMENT_TERM_DAYS: dict[str, int] = {"BE": 30, "CA": 30, "RO": 30}
BANK_TRANSFER = "bank_transfer"
EFT = "eft"
CHEQUE = "cheque"
CARD = "card"
DIRECT_DEBIT = "direct_debit"
OTHER = "other"
PAYMENT_METHODS: dict[str, tuple[str, ...]] = {
    "BE": (BANK_TRANSFER, DIRECT_DEBIT),
    "CA": (EFT, CHEQUE),
    "RO": (BANK_TRANSFER,),
}
ALL_METHODS = (BANK_TRANSFER, EFT, CHEQUE, CARD, DIRECT_DEBIT, OTHER)


def due_date(issue: date, country: str) -> date:
    return issue + timedelta(days=PAYMENT_TERM_DAYS.get(country, 30))


def payment_reference(country: str, *, is_credit_note: bool, number: str) -> str | None:
    """What the customer quotes with a transfer: Belgian invoices carry a structured communication."""
    if country == "BE" and not is_credit_note:
        return structured_communication_for(number)
    return None


def number_for(country: str, kind: str, year: int, sequence: int) -> str:
    """`BE-INV-2026-0312`, `RO-CN-2026-0001`: per country, kind and year."""
    prefix = "CN" if kind == CREDIT_NOTE else "INV"
    return f"{country}-{prefix}-{year}-{sequence:04d}"
