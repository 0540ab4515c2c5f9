"""The accounts context's error codes: stable values API clients switch on; the message is for people.

Listed in the OpenAPI error schema (`config/api.py`); a code is added here before it is raised.
"""

from enum import StrEnum


class Code(StrEnum):
    ALREADY_DECIDED = "already_decided"
    ALREADY_GRANTED = "already_granted"
    ALREADY_MEMBER = "already_member"
    ALREADY_REQUESTED = "already_requested"
    APPLICATION_NOT_GRANTED = "application_not_granted"
    CUSTOMER_ONLY = "customer_only"
    EMAIL_UNVERIFIED = "email_unverified"
    INVALID_CREDENTIALS = "invalid_credentials"
    MFA_REQUIRED = "mfa_required"
    NO_ORGANISATION = "no_organisation"
    OTHER_ADDRESS = "other_address"
    OTHER_COUNTRY = "other_country"
    OTP_INVALID = "otp_invalid"
    OTP_REQUIRED = "otp_required"
    REASON_REQUIRED = "reason_required"
    SIGN_IN_UNAVAILABLE = "sign_in_unavailable"
    THROTTLED = "throttled"
    UNKNOWN_APPLICATION = "unknown_application"
