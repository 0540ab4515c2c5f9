"""The carriers a customer in Belgium, Canada or Romania meets: tracking links and number formats.

Pure data and functions, no database. Formats come from the carriers' public help
pages and the UPU S10 standard for postal items; where a carrier publishes no exact
format (the Romanian couriers), the patterns accept what their AWB numbers look like
in practice and are written down as assumptions in docs/decisions/0006-orders.md.
A number is normalised (spaces and dashes removed, upper case) before it is checked
or put in a link, so `1z 999 aa1 01 2345 6784` and `1Z999AA10123456784` are the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from guichet.core.errors import DomainError

from .errors import Code

# UPU S10 (postal items): 2 service letters, 8 serial digits, 1 check digit, the country's ISO code.
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
MAX_TRACKING_NUMBER_LENGTH = 40
_SEPARATORS = re.compile(r"[\s\-]+")


def normalise(number: str) -> str:
    return _SEPARATORS.sub("", number or "").upper()


def s10_check_digit(serial: str) -> int:
    """The S10 check digit of 8 serial digits (weights 8 6 4 2 3 5 9 7, modulus 11)."""
    remainder = 11 - sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(remainder, remainder)


def _s10_valid(number: str) -> bool:
    """Applies only to S10-shaped numbers; other shapes of the same carrier have no check digit here."""
    match = re.fullmatch(r"[A-Z]{2}(\d{8})(\d)[A-Z]{2}", number)
    if match is None:
        return True
    return s10_check_digit(match.group(1)) == int(match.group(2))


@dataclass(frozen=True)
class Carrier:
    code: str
    name: str
    countries: frozenset[str]
    url_template: str  # `{number}` is replaced by the URL-quoted, normalised number
    patterns: tuple[str, ...]
    examples: tuple[str, ...] = ()
    check: Callable[[str], bool] | None = field(default=None, compare=False)
    # The carrier's own page in another language, where its site has one: (language, template). A
    # language the carrier does not offer falls back to `url_template` (no invented parameter).
    localised: tuple[tuple[str, str], ...] = ()

    def validates(self, number: str) -> bool:
        value = normalise(number)
        if not value or len(value) > MAX_TRACKING_NUMBER_LENGTH:
            return False
        if not any(re.fullmatch(pattern, value) for pattern in self.patterns):
            return False
        return self.check(value) if self.check is not None else True

    def tracking_url(self, number: str, language: str | None = None) -> str:
        """The carrier's tracking page in `language` (by default the active one: the reader's) where the
        carrier has one, else its default page."""
        wanted = (language or translation.get_language() or "en").split("-")[0]
        template = dict(self.localised).get(wanted, self.url_template)
        return template.format(number=quote(normalise(number), safe=""))

    @property
    def format_hint(self) -> str:
        return ", ".join(self.examples)


def _carrier(
    code: str,
    name: str,
    countries: str,
    url: str,
    patterns: tuple[str, ...],
    examples: tuple[str, ...],
    check: Callable[[str], bool] | None = None,
    localised: tuple[tuple[str, str], ...] = (),
) -> Carrier:
    return Carrier(code, name, frozenset(countries.split()), url, patterns, examples, check, localised)


CARRIERS: dict[str, Carrier] = {
    carrier.code: carrier
    for carrier in (
        # 1Z + 6-character shipper account + 2-digit service + 8 digits (the last a check digit).
        _carrier(
            "ups",
            "UPS",
            "BE CA RO",
            "https://www.ups.com/track?tracknum={number}",
            (r"1Z[0-9A-Z]{16}",),
            ("1Z999AA10123456784",),
        ),
        # Express 12 digits, Ground 15, SmartPost 20/22 (often shown with a 96/92 prefix).
        _carrier(
            "fedex",
            "FedEx",
            "BE CA RO",
            "https://www.fedex.com/fedextrack/?trknbr={number}",
            (r"\d{12}", r"\d{15}", r"\d{20}", r"\d{22}"),
            ("123456789012", "123456789012345"),
        ),
        # The air waybill: 10 digits (11 on some older documents).
        _carrier(
            "dhl_express",
            "DHL Express",
            "BE CA RO",
            "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id={number}",
            (r"\d{10}", r"\d{11}"),
            ("1234567890",),
        ),
        # Domestic parcels: 24 digits (barcode `3232…`); international: S10 ending in BE.
        _carrier(
            "bpost",
            "bpost",
            "BE",
            "https://track.bpost.cloud/btr/web/#/search?itemCode={number}",
            (r"\d{24}", r"[A-Z]{2}\d{9}BE"),
            ("323212345678901234567890", "CD123456785BE"),
            _s10_valid,
        ),
        # A 12-digit PIN; some freight shipments carry 3 letters + 9 digits.
        _carrier(
            "purolator",
            "Purolator",
            "CA",
            "https://www.purolator.com/en/shipping/tracker?pin={number}",
            (r"\d{12}", r"[A-Z]{3}\d{9}"),
            ("123456789012",),
            # Purolator's site is bilingual: the language is the first segment of the path.
            localised=(("fr", "https://www.purolator.com/fr/shipping/tracker?pin={number}"),),
        ),
        # Domestic parcels: 16 digits (12 on some older labels); international: S10 ending in CA.
        _carrier(
            "canada_post",
            "Canada Post",
            "CA",
            "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={number}",
            (r"\d{16}", r"\d{12}", r"[A-Z]{2}\d{9}CA"),
            ("1234567890123456", "RR123456785CA"),
            _s10_valid,
            # Canada Post's tracker is bilingual: `/track-reperage/en` or `/track-reperage/fr`.
            localised=(("fr", "https://www.canadapost-postescanada.ca/track-reperage/fr#/search?searchFor={number}"),),
        ),
        # AWB numbers of 13 digits in practice (assumption: 11 to 14 accepted).
        _carrier(
            "fan_courier",
            "FAN Courier",
            "RO",
            "https://www.fancourier.ro/awb-tracking/?tracking={number}",
            (r"\d{11,14}",),
            ("2150123456789",),
        ),
        # AWB numbers of 10 to 12 digits.
        _carrier(
            "cargus",
            "Cargus",
            "RO",
            "https://www.cargus.ro/personal/urmareste-coletul/?tracking_number={number}",
            (r"\d{10,12}",),
            ("1234567890",),
        ),
        # AWBs like `1ONBLN123456789` (1 + letters + digits) or long digit-only ones.
        _carrier(
            "sameday",
            "Sameday",
            "RO",
            "https://sameday.ro/#awb={number}",
            (r"1[A-Z]{2,6}\d{6,14}", r"\d{10,16}"),
            ("1ONBLN123456789",),
        ),
    )
}


class UnknownCarrier(DomainError):
    code = Code.UNKNOWN_CARRIER
    status = 400


def get_carrier(code: str) -> Carrier:
    try:
        return CARRIERS[code]
    except KeyError:
        raise UnknownCarrier(_("Unknown carrier."), details={"carrier": code, "known": sorted(CARRIERS)}) from None


def carriers_for(country: str) -> list[Carrier]:
    """The carriers that deliver to customers of `country`, local ones first, then by name."""
    found = [carrier for carrier in CARRIERS.values() if country in carrier.countries]
    return sorted(found, key=lambda c: (len(c.countries) > 1, c.name.lower()))


def check_tracking_number(carrier: Carrier, number: str) -> str:
    """The normalised number, or a translated error saying what the carrier's numbers look like."""
    if not carrier.validates(number):
        raise DomainError(
            _("This is not a %(carrier)s tracking number (for example: %(examples)s).")
            % {"carrier": carrier.name, "examples": carrier.format_hint},
            code=Code.INVALID_TRACKING_NUMBER,
            details={"carrier": carrier.code},
        )
    return normalise(number)
