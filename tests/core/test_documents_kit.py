"""The shared document pieces: Code 128 barcodes, postal addresses in each country's order."""

from __future__ import annotations

import re

from barcode import Code128

from guichet.core.addresses import postal_lines
from guichet.core.barcodes import code128_svg


def test_a_code_128_barcode_of_the_number_with_its_text() -> None:
    svg = code128_svg("SR-BE-2026-000001")
    assert svg.startswith("<svg") and "<?xml" not in svg
    bars = re.findall(r"<rect[^>]*style=\"fill:black", svg)
    # Code 128: three bars per symbol (start, data, check), four for the stop: dozens of bars, not text.
    assert len(bars) > 40
    assert "SR-BE-2026-000001" in svg
    assert Code128("SR-BE-2026-000001").get_fullcode() == "SR-BE-2026-000001"


def test_postal_addresses_in_each_countrys_order() -> None:
    assert postal_lines(
        street="1000 rue De La Gauchetière", postcode="H3B 4W5", city="Montréal", country="CA", province="QC"
    ) == [
        "1000 rue De La Gauchetière",
        "Montréal QC  H3B 4W5",
    ]
    assert postal_lines(street="Rue Haute 1", postcode="1000", city="Bruxelles", country="BE") == [
        "Rue Haute 1",
        "1000 Bruxelles",
    ]
    assert postal_lines(street="", postcode="013681", city="București", country="RO") == ["013681 București"]
