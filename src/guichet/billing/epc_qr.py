"""The EPC ("SEPA credit transfer") QR code a Belgian invoice carries: a banking app scans it and fills in
the beneficiary, the IBAN, the amount due and the structured communication (EPC069-12, drawn by segno)."""

from __future__ import annotations

from decimal import Decimal

import segno

from guichet.core.structured_communication import ASCII_DIGITS


def epc_payload(*, beneficiary: str, iban: str, bic: str, amount: Decimal, communication: str) -> str:
    """EPC069-12 version 002, UTF-8: the Belgian structured communication is the structured remittance
    (its twelve digits), so the payer's bank checks it as it checks a typed one."""
    reference = "".join(ch for ch in communication if ch in ASCII_DIGITS)
    fields = ["BCD", "002", "1", "SCT", bic, beneficiary[:70], iban.replace(" ", ""), f"EUR{amount:.2f}", "", reference]
    return "\n".join(fields)


def epc_qr_svg(*, beneficiary: str, iban: str, bic: str, amount: Decimal, communication: str) -> str:
    """An inline SVG to place in the invoice's HTML; empty when nothing is due."""
    if amount <= 0:
        return ""
    payload = epc_payload(beneficiary=beneficiary, iban=iban, bic=bic, amount=amount, communication=communication)
    # Error level M and no micro code, as EPC069-12 asks.
    return segno.make_qr(payload, error="m", boost_error=False).svg_inline(scale=3, border=4)
