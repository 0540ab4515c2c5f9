"""The contracts context's error codes: stable values API clients switch on; the message is for people.

Listed in the OpenAPI error schema (`config/api.py`); a code is added here before it is raised.
"""

from enum import StrEnum


class Code(StrEnum):
    ALREADY_CONFIRMED = "already_confirmed"
    ALREADY_COUNTERSIGNED = "already_countersigned"
    ALREADY_COVERED = "already_covered"
    ALREADY_PROCESSED = "already_processed"
    CODE_ALREADY_USED = "code_already_used"
    CONTRACT_NOT_ACTIVE = "contract_not_active"
    DOCUMENT_ALTERED = "document_altered"
    EFFECTIVE_DATE_NOT_TERM_END = "effective_date_not_term_end"
    EFFECTIVE_DATE_TOO_EARLY = "effective_date_too_early"
    INVALID_CODE_FORMAT = "invalid_code_format"
    INVALID_FILTER = "invalid_filter"
    INVALID_LANGUAGE = "invalid_language"
    INVALID_PASSWORD = "invalid_password"  # noqa: S105 - an error code, not a password
    LAPSE_NOT_ACKNOWLEDGED = "lapse_not_acknowledged"
    MACHINE_NOT_COVERED = "machine_not_covered"
    MACHINE_NOT_FOUND = "machine_not_found"
    NOT_AWAITING_SIGNATURE = "not_awaiting_signature"
    NOT_EFFECTIVE_YET = "not_effective_yet"
    NOT_SIGNATORY = "not_signatory"
    NOT_SIGNED = "not_signed"
    NOT_SIGNED_BY_CUSTOMER = "not_signed_by_customer"
    NOT_WITHDRAWABLE = "not_withdrawable"
    NOT_YET_ELIGIBLE = "not_yet_eligible"
    NO_CANCELLATION_NEEDED = "no_cancellation_needed"
    OTP_INVALID = "otp_invalid"
    OTP_REQUIRED = "otp_required"
    REASON_REQUIRED = "reason_required"
    REAUTHENTICATION_REQUIRED = "reauthentication_required"
    SIGNATURE_KEPT = "signature_kept"
    SIGNED = "signed"
    TERMINATION_PENDING = "termination_pending"
    TERMS_NOT_ACCEPTED = "terms_not_accepted"
    THROTTLED = "throttled"
    UNKNOWN_CODE = "unknown_code"
    WRONG_CONTRACT_TYPE = "wrong_contract_type"
