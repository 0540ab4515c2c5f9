"""The orders context's error codes: stable values API clients switch on; the message is for people.

Listed in the OpenAPI error schema (`config/api.py`); a code is added here before it is raised.
"""

from enum import StrEnum


class Code(StrEnum):
    BAD_PRICE = "bad_price"
    BAD_QUANTITY = "bad_quantity"
    BAD_SIGNATURE = "bad_signature"
    BAD_TIMESTAMP = "bad_timestamp"
    CARRIER_NOT_ALLOWED = "carrier_not_allowed"
    DUPLICATE_NUMBER = "duplicate_number"
    DUPLICATE_TRACKING_NUMBER = "duplicate_tracking_number"
    EMPTY_SHIPMENT = "empty_shipment"
    EVENT_ID_REUSED = "event_id_reused"
    INVALID_STATUS = "invalid_status"
    INVALID_TRACKING_NUMBER = "invalid_tracking_number"
    NO_LINES = "no_lines"
    OCCURRED_IN_FUTURE = "occurred_in_future"
    ORDER_CANCELLED = "order_cancelled"
    SHIPPED = "shipped"
    STALE_TIMESTAMP = "stale_timestamp"
    TOO_MANY_LINES = "too_many_lines"
    TOO_MANY_SHIPPED = "too_many_shipped"
    UNKNOWN_CARRIER = "unknown_carrier"
    UNKNOWN_LINE = "unknown_line"
    UNKNOWN_SHIPMENT = "unknown_shipment"
    UNKNOWN_STATUS = "unknown_status"
    WEBHOOK_NOT_CONFIGURED = "webhook_not_configured"
