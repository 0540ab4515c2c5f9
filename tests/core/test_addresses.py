"""Postal addresses in each country's order, through one helper and the `address` filter."""

from __future__ import annotations

import pytest
from django.template import engines

from tests.accounts.factories import OrganisationFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "lines"),
    [
        (
            {
                "country": "CA",
                "province": "QC",
                "address_line": "1250 boul. René-Lévesque O.",
                "postal_code": "H3B 4W8",
                "city": "Montréal",
            },
            ["1250 boul. René-Lévesque O.", "Montréal QC  H3B 4W8"],
        ),
        (
            {"country": "BE", "address_line": "Rue Haute 1", "postal_code": "1000", "city": "Bruxelles"},
            ["Rue Haute 1", "1000 Bruxelles"],
        ),
        (
            {"country": "RO", "address_line": "Str. Lipscani 5", "postal_code": "030031", "city": "București"},
            ["Str. Lipscani 5", "030031 București"],
        ),
    ],
)
def test_an_organisations_address_in_its_countrys_order(fields: dict[str, str], lines: list[str]) -> None:
    organisation = OrganisationFactory(**fields)
    assert organisation.postal_lines == lines
    assert organisation.registered_address == ", ".join(lines)
    template = engines["django"].from_string("{{ o|address }}|{{ o|address:'inline' }}")
    assert template.render({"o": organisation}) == f"{'<br>'.join(lines)}|{', '.join(lines)}"


@pytest.mark.django_db
def test_the_filter_escapes_each_line_and_shows_nothing_without_an_address() -> None:
    organisation = OrganisationFactory(country="BE", address_line="<b>Rue</b> 1", postal_code="", city="")
    template = engines["django"].from_string("[{{ o|address }}][{{ none|address }}]")
    assert template.render({"o": organisation, "none": None}) == "[&lt;b&gt;Rue&lt;/b&gt; 1][]"
