"""Termination and ServicePac rules of docs/domain.md, as pure functions of dates and strings.

Month arithmetic follows `dateutil.relativedelta`: adding months keeps the day of
the month, clamped to the last day of a shorter month. So a machine under contract
since 31 August becomes eligible on 28 February (29 in a leap year), and a notice
given on 31 January takes effect no earlier than 28/29 February. A machine under
contract since 29 February 2024 reaches one year on 28 February 2025. Every date
here is a calendar date in the support centre's time zone; "on or after" is inclusive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .errors import Code
from .models import ContractKind

# Hardware maintenance ended by the customer, machine by machine.
CUSTOMER_MIN_COVERAGE = relativedelta(months=6)
CUSTOMER_NOTICE = relativedelta(months=1)
# Hardware maintenance ended by the vendor: written notice.
VENDOR_MIN_COVERAGE = relativedelta(years=1)
VENDOR_NOTICE = relativedelta(months=3)
# Monthly software licences: notice before the cancellation date.
MONTHLY_LICENCE_NOTICE = timedelta(days=30)
# Contracts with a term (software subscription and support, program agreements) are ended by not
# renewing them: notice given before the term ends takes effect on its last day. domain.md names
# no notice for them, so one without a term still running takes the customer's notice for
# maintenance, one month, rather than an invented period.
OPEN_ENDED_NOTICE = CUSTOMER_NOTICE
# The contract types ended that way.
ENDS_AT_TERM = frozenset({ContractKind.SOFTWARE_SUBSCRIPTION, ContractKind.PROGRAM_AGREEMENT})

# How a contract of each kind is ended online (the pages and the API follow this one answer).
PER_MACHINE = "per_machine"  # hardware maintenance: machine by machine, after the minimum term
MONTHLY_LICENCE = "monthly_licence"  # 30 days' notice, copies destroyed at cancellation
AT_TERM = "at_term"  # not renewed: ends on the last day of its term
NOTHING_TO_FILE = "nothing_to_file"  # prepaid (licences, ServicePacs): runs out on its own


def termination_route(kind: str) -> str:
    if kind == ContractKind.HARDWARE_MAINTENANCE:
        return PER_MACHINE
    if kind == ContractKind.MONTHLY_LICENCE:
        return MONTHLY_LICENCE
    if kind in ENDS_AT_TERM:
        return AT_TERM
    return NOTHING_TO_FILE


def vendor_may_terminate(kind: str, *, active: bool, covers_machines: bool) -> bool:
    """The vendor's written notice (three months, after a year) is for maintenance of machines it covers."""
    return kind == ContractKind.HARDWARE_MAINTENANCE and active and covers_machines


def offers_maintenance_quote(kind: str) -> bool:
    return kind == ContractKind.HARDWARE_MAINTENANCE


# The console lists renewals coming due within this window.
RENEWAL_WINDOW = timedelta(days=90)

# Refusal codes (stable: the API returns them), named for the rules that give them.
NOT_YET_ELIGIBLE = Code.NOT_YET_ELIGIBLE
TOO_EARLY = Code.EFFECTIVE_DATE_TOO_EARLY
NOT_TERM_END = Code.EFFECTIVE_DATE_NOT_TERM_END
NOT_COVERED = Code.MACHINE_NOT_COVERED


@dataclass(frozen=True)
class Eligibility:
    """Whether a machine may leave maintenance now, and the dates that decide it."""

    eligible: bool
    first_eligible: date  # the first notice date the rule allows
    earliest_effective: date  # for a notice given on the day asked about (or on first_eligible if not yet)
    reason: str = ""  # one of the refusal codes, empty when eligible


def _eligibility(covered_from: date, notice: date, min_coverage: relativedelta, period: relativedelta) -> Eligibility:
    first = covered_from + min_coverage
    if notice < first:
        return Eligibility(False, first, first + period, NOT_YET_ELIGIBLE)
    return Eligibility(True, first, notice + period)


def customer_hardware_eligibility(covered_from: date, notice: date) -> Eligibility:
    """The customer may end a machine's maintenance once it has been under contract 6 months, with 1 month's notice."""
    return _eligibility(covered_from, notice, CUSTOMER_MIN_COVERAGE, CUSTOMER_NOTICE)


def vendor_hardware_eligibility(covered_from: date, notice: date) -> Eligibility:
    """The vendor may end it once the machine has been under contract a year, with 3 months' written notice."""
    return _eligibility(covered_from, notice, VENDOR_MIN_COVERAGE, VENDOR_NOTICE)


def monthly_licence_earliest_end(notice: date) -> date:
    return notice + MONTHLY_LICENCE_NOTICE


def term_end(end_date: date | None, renewal_date: date | None) -> date | None:
    """The last day of the current term: the renewal date when the contract renews, else its end date."""
    return renewal_date or end_date


def end_of_term_effective(term: date | None, notice: date) -> tuple[date, bool]:
    """When a notice not to renew takes effect, and whether that day is fixed by the term.

    While the term runs (it ends after the notice day), the contract ends with it and no other
    date may be asked for. Without a running term, one month's notice, and any later date.
    """
    if term is not None and term > notice:
        return term, True
    return notice + OPEN_ENDED_NOTICE, False


def effective_date_problem(requested: date, earliest: date) -> str:
    """Empty if `requested` may be the effective date, else the refusal code."""
    return TOO_EARLY if requested < earliest else ""


def renewal_due(renewal: date | None, today: date) -> bool:
    return renewal is not None and today <= renewal <= today + RENEWAL_WINDOW


# --- ServicePac codes ----------------------------------------------------------------------------
#
# `SP-XXXX-XXXX-C`: eight characters from an alphabet without look-alikes (no I, O, 0, 1), then a
# Luhn mod N check character over them, so a mistyped or swapped character is caught before any
# database lookup.

SERVICEPAC_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
SERVICEPAC_PREFIX = "SP"
SERVICEPAC_BODY_LENGTH = 8


def _luhn_check_character(body: str) -> str:
    n = len(SERVICEPAC_ALPHABET)
    total, factor = 0, 2
    for char in reversed(body):
        addend = factor * SERVICEPAC_ALPHABET.index(char)
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return SERVICEPAC_ALPHABET[(n - total % n) % n]


def servicepac_code(body: str) -> str:
    """The full code for an 8-character body: `SP-ABCD-EFGH-K`."""
    body = body.upper()
    assert len(body) == SERVICEPAC_BODY_LENGTH and all(c in SERVICEPAC_ALPHABET for c in body), body
    return f"{SERVICEPAC_PREFIX}-{body[:4]}-{body[4:]}-{_luhn_check_character(body)}"


def normalise_servicepac_code(raw: str) -> str | None:
    """The canonical form of a typed code (spaces, dashes and case forgiven), or None if malformed."""
    compact = "".join(ch for ch in raw.upper() if ch not in " -\t")
    if not compact.startswith(SERVICEPAC_PREFIX):
        return None
    rest = compact[len(SERVICEPAC_PREFIX) :]
    if len(rest) != SERVICEPAC_BODY_LENGTH + 1 or any(ch not in SERVICEPAC_ALPHABET for ch in rest):
        return None
    body, check = rest[:-1], rest[-1]
    if _luhn_check_character(body) != check:
        return None
    return servicepac_code(body)
