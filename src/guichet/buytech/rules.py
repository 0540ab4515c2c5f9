"""Buy Tech policy: eligibility, windows after delivery, confirmation deadline (pure: no ORM).

Every number of the program lives here, named. Dates are plain `date`s; the
business-day arithmetic comes in as a function (the country's calendar), so
these rules stay testable without a database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

# --- eligibility ------------------------------------------------------------------------------
PROGRAM_COUNTRY = "BE"
# The non-discrimination attestation's wording; a new wording must be signed again.
ATTESTATION_VERSION = "2026-1"

# Why an organisation may not order yet (stable codes; pages and API translate them).
NOT_BELGIAN = "not_belgian"
NOT_NONPROFIT = "not_nonprofit"
NOT_VERIFIED = "not_verified"
NO_PARTNER_ID = "no_partner_id"
PARTNER_PENDING = "partner_pending"
PARTNER_REFUSED = "partner_refused"
NO_ATTESTATION = "no_attestation"

ELIGIBLE = "eligible"
PENDING = "pending"
REFUSED = "refused"


def eligibility_gaps(
    *,
    country: str,
    is_nonprofit: bool,
    verified: bool,
    partner_id: str,
    partner_status: str | None,
    attestation_version: str | None,
) -> list[str]:
    """What is missing before the organisation may order; empty means eligible."""
    gaps = []
    if country != PROGRAM_COUNTRY:
        gaps.append(NOT_BELGIAN)
    if not is_nonprofit:
        gaps.append(NOT_NONPROFIT)
    if not verified:
        gaps.append(NOT_VERIFIED)
    if not partner_id.strip():
        gaps.append(NO_PARTNER_ID)
    if partner_status == REFUSED:
        gaps.append(PARTNER_REFUSED)
    elif partner_status != ELIGIBLE:
        gaps.append(PARTNER_PENDING)
    if attestation_version != ATTESTATION_VERSION:
        gaps.append(NO_ATTESTATION)
    return gaps


# --- order lifecycle ----------------------------------------------------------------------------
# The vendor contacts the organisation within this many business days of the reservation.
AGENT_CONFIRMATION_BUSINESS_DAYS = 2
# Validation and processing can take up to this long; tracked and shown on each order.
PROCESSING_TARGET = timedelta(weeks=8)
# Ground delivery after dispatch, in business days (shown as an estimate).
DELIVERY_ESTIMATE_BUSINESS_DAYS = (3, 5)

CANCELLATION_WINDOW = timedelta(days=14)  # after delivery
RETURN_WINDOW = timedelta(days=60)  # after delivery
WARRANTY = relativedelta(months=12)  # from delivery


def confirmation_due(reserved_on: date, add_business_days: Callable[[date, int], date]) -> date:
    return add_business_days(reserved_on, AGENT_CONFIRMATION_BUSINESS_DAYS)


def confirmation_state(today: date, due: date) -> str:
    """ "late" after the deadline, "at_risk" on it, else "ok"."""
    if today > due:
        return "late"
    if today == due:
        return "at_risk"
    return "ok"


def processing_due(reserved_on: date) -> date:
    return reserved_on + PROCESSING_TARGET


def may_cancel(today: date, delivered_on: date | None) -> bool:
    """Before delivery always; after it, up to and including the 14th day."""
    return delivered_on is None or today <= delivered_on + CANCELLATION_WINDOW


def cancellation_deadline(delivered_on: date) -> date:
    return delivered_on + CANCELLATION_WINDOW


def may_return(today: date, delivered_on: date | None) -> bool:
    """A return is asked for a delivered item, up to and including the 60th day."""
    return delivered_on is not None and today <= delivered_on + RETURN_WINDOW


def return_deadline(delivered_on: date) -> date:
    return delivered_on + RETURN_WINDOW


def warranty_end(delivered_on: date) -> date:
    return delivered_on + WARRANTY


def may_claim_warranty(today: date, delivered_on: date | None) -> bool:
    """After the cancellation window (cancel instead within it) and until 12 months after delivery."""
    if delivered_on is None:
        return False
    return delivered_on + CANCELLATION_WINDOW < today <= warranty_end(delivered_on)


def is_functional_equivalent(
    *, original_kind: str, original_score: int, candidate_kind: str, candidate_score: int
) -> bool:
    """At least the same functionality: the same kind of device, a functional score no lower."""
    return candidate_kind == original_kind and candidate_score >= original_score


# --- money ----------------------------------------------------------------------------------------


def line_total(price: Decimal, admin_fee: Decimal) -> Decimal:
    return price + admin_fee
