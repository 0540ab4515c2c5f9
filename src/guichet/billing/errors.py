"""The billing context's error codes: stable values API clients switch on; the message is for people.

Listed in the OpenAPI error schema (`config/api.py`); a code is added here before it is raised.
"""

from enum import StrEnum


class Code(StrEnum):
    ALLOCATION_TOO_LARGE = "allocation_too_large"
    ALREADY_DISPUTED = "already_disputed"
    ALREADY_RESOLVED = "already_resolved"
    CREDITED_INVOICE_MISSING = "credited_invoice_missing"
    CURRENCY_MISMATCH = "currency_mismatch"
    DELIVERY_EMAIL_MISSING = "delivery_email_missing"
    DUPLICATE_REFERENCE = "duplicate_reference"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_DUE_DATE = "invalid_due_date"
    INVALID_LINE = "invalid_line"
    INVALID_LINES = "invalid_lines"
    INVALID_METHOD = "invalid_method"
    INVALID_TAX = "invalid_tax"
    INVOICE = "invoice"
    NO_LINES = "no_lines"
    NOT_DISPUTABLE = "not_disputable"
    NOT_SETTLEABLE = "not_settleable"
    OTHER_ORGANISATION = "other_organisation"
    PO_REQUIRED = "po_required"
    REASON_MISSING = "reason_missing"
    REFERENCE_MISSING = "reference_missing"
