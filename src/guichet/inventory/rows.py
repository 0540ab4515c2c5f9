"""My inventory's rows, prepared once per row (issue 17; decision 0016): every string a cell prints."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from guichet.core.rows import day_text, url_for

from . import rules
from .models import Machine
from .templatetags.inventory_ui import coverage_css, coverage_label


@dataclass(frozen=True, slots=True)
class MachineRow:
    serial: str
    url: str
    name: str  # "8286-42A 78CA123"
    description: str
    site: str  # "Head office (BE)"
    state: str  # rules.CONTRACT, WARRANTY or NOT_COVERED
    coverage: str
    coverage_css: str
    until: str  # "until 31 Dec 2027", or ""


def machine_rows(page: Iterable[Machine], coverages: dict[int, rules.Coverage]) -> list[MachineRow]:
    """The rows in the active language, with each machine's coverage (selectors.coverages_of, for the page at once)."""
    states = {state: rules.Coverage(state) for state in (rules.CONTRACT, rules.WARRANTY, rules.NOT_COVERED)}
    css = {state: coverage_css(coverage) for state, coverage in states.items()}
    texts = {state: coverage_label(coverage) for state, coverage in states.items()}
    built = []
    for machine in page:
        covered = coverages[machine.pk]
        page_url = url_for("inventory:detail", {"serial": machine.serial})
        until = _("until %(until)s") % {"until": day_text(covered.until)} if covered.until else ""
        built.append(
            MachineRow(
                serial=machine.serial,
                # As views.portal.machine_url: the type rides along (a serial is unique per type only).
                url=f"{page_url}?{urlencode({'type': machine.machine_type})}",
                name=f"{machine.machine_type}-{machine.model} {machine.serial}",
                description=machine.description,
                site=f"{machine.site_name or machine.site_city} ({machine.site_country})",
                state=covered.state,
                coverage=texts[covered.state],
                coverage_css=css[covered.state],
                until=until,
            )
        )
    return built
