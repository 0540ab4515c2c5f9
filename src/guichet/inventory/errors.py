"""The inventory context's error codes: stable values API clients switch on; the message is for people.

Listed in the OpenAPI error schema (`config/api.py`); a code is added here before it is raised.
"""

from enum import StrEnum


class Code(StrEnum):
    ADDRESS_REQUIRED = "address_required"
    ALREADY_CONFIRMED = "already_confirmed"
    ALREADY_DISPATCHED = "already_dispatched"
    NOT_DISPATCHED = "not_dispatched"
    AMBIGUOUS_SERIAL = "ambiguous_serial"
    BILLING_NOT_ACCEPTED = "billing_not_accepted"
    BUYER_REQUIRED = "buyer_required"
    EMPTY_DESCRIPTION = "empty_description"
    EMPTY_REASON = "empty_reason"
    ESTIMATE_NOT_ALLOWED = "estimate_not_allowed"
    ESTIMATE_NOT_PENDING = "estimate_not_pending"
    ESTIMATE_PENDING = "estimate_pending"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_COUNTRY = "invalid_country"
    INVALID_KIND = "invalid_kind"
    INVALID_TRANSITION = "invalid_transition"
    MACHINE_DEPARTED = "machine_departed"
    NOTE_REQUIRED = "note_required"
    NOT_EDITABLE = "not_editable"
    REASON_REQUIRED = "reason_required"
    SAME_COUNTRY = "same_country"
    TOO_SOON = "too_soon"
    TRANSFER_PENDING = "transfer_pending"
