"""The Belgian structured communication (OGM/VCS, `+++123/4567/89002+++`) a payer quotes with a
transfer: ten digits, then their remainder modulo 97 (97 when it is 0)."""

from __future__ import annotations

DIGITS = 10
ASCII_DIGITS = frozenset("0123456789")  # str.isdigit() also takes "²", which int() refuses


def structured_communication(base: int) -> str:
    """The communication carrying `base` (its last ten digits)."""
    base %= 10**DIGITS
    full = f"{base:0{DIGITS}d}{base % 97 or 97:02d}"
    return f"+++{full[:3]}/{full[3:7]}/{full[7:]}+++"


def structured_communication_for(number: str) -> str:
    """The communication of a document number (`BE-INV-2026-0312`): the digits it contains."""
    digits = "".join(ch for ch in number if ch in ASCII_DIGITS)
    return structured_communication(int(digits[-DIGITS:] or "0"))


def is_valid(text: str) -> bool:
    digits = "".join(ch for ch in text if ch in ASCII_DIGITS)
    if len(digits) != DIGITS + 2:
        return False
    base, check = int(digits[:DIGITS]), int(digits[DIGITS:])
    return (base % 97 or 97) == check
