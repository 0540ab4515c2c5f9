"""Writes of the Buy Tech program, one module per stage of an order's life: one transaction each, with
an audit event and the e-mails it owes.

- `eligibility`: the partner's verdict, the attestation, the partner's import;
- `reservation`: the cart becomes an order, its devices reserved, the fee asked for;
- `payment`: the fee to the partner, the vendor's confirmation, the price to the vendor;
- `shipping`: shipments, deliveries, substitutions;
- `after_sales`: cancellations, returns, warranty claims and their refunds;
- `shared` (totals, references, e-mails, locks) and `clock` (the Belgian business calendar) serve them all.

Callers use the names below (`services.order_reserve`); tests set the clock with `services.clock.today`.
"""

from . import clock
from .after_sales import (
    claim_resolve,
    order_cancel,
    order_vendor_cancel,
    replacement_for,
    return_decide,
    return_receive,
    return_request,
    warranty_claim,
)
from .cart import CartChanges, CartLine, cart_clear, cart_count, cart_lines, cart_of, cart_recheck, cart_set
from .eligibility import (
    ImportRejected,
    NotEligible,
    attestation_sign,
    eligibility_set,
    gap_messages,
    gaps_of,
    may_sign_attestation,
    partner_import,
    require_eligible,
)
from .payment import (
    PAYMENT_BENEFICIARY,
    PAYMENT_IBAN,
    VENDOR_BENEFICIARY,
    VENDOR_IBAN,
    agreements_signed,
    order_confirm,
    order_record_fee,
    order_record_payment,
)
from .reservation import (
    order_reserve,
)
from .shared import (
    contract_url,
    fee_reference,
    order_fees,
    order_price,
    order_total,
    order_url,
    price_reference,
)
from .shipping import (
    line_substitute,
    shipment_create,
    shipment_deliver,
)

__all__ = [
    "PAYMENT_BENEFICIARY",
    "PAYMENT_IBAN",
    "VENDOR_BENEFICIARY",
    "VENDOR_IBAN",
    "CartChanges",
    "CartLine",
    "ImportRejected",
    "NotEligible",
    "agreements_signed",
    "attestation_sign",
    "cart_clear",
    "cart_count",
    "cart_lines",
    "cart_of",
    "cart_recheck",
    "cart_set",
    "claim_resolve",
    "clock",
    "contract_url",
    "eligibility_set",
    "fee_reference",
    "gap_messages",
    "gaps_of",
    "line_substitute",
    "may_sign_attestation",
    "order_cancel",
    "order_confirm",
    "order_fees",
    "order_price",
    "order_record_fee",
    "order_record_payment",
    "order_reserve",
    "order_total",
    "order_url",
    "order_vendor_cancel",
    "partner_import",
    "price_reference",
    "replacement_for",
    "require_eligible",
    "return_decide",
    "return_receive",
    "return_request",
    "shipment_create",
    "shipment_deliver",
    "warranty_claim",
]
