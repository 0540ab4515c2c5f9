"""Where a machine's coverage lines come from, without inventory knowing who provides them.

Inventory knows machines and their warranties; which maintenance contract covers a machine is
the contracts context's business, and contracts stands on inventory (it lists covered machines).
So contracts registers a `CoverageSource` here when the apps are ready (contracts/apps.py), and
inventory asks it: the dependency points one way only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol

from django.apps import apps
from django.db.models import QuerySet

from guichet.accounts.models import Organisation
from guichet.core import data_versions

from .rules import CoverageLine

# A list page's lines are kept at most for this many machines (an API page's most): an export's
# thousands are read once, not kept.
KEPT_MACHINES = 100


class CoverageSource(Protocol):
    def lines_for(self, machine_ids: list[int]) -> dict[int, list[CoverageLine]]:
        """The coverage lines of these machines (already resolved within their organisation)."""
        ...

    def end_lines(self, *, machine_id: int, organisation: Organisation, last_day: date) -> list[str]:
        """End every line still covering the machine after `last_day`; the numbers of what covered it."""
        ...

    def covered_on(self, organisation: Organisation, day: date) -> QuerySet[Any]:
        """The ids (`machine_id` values) of the organisation's machines a line covers on `day`, as a
        subquery: counting the machines left uncovered stays one query whatever their number."""
        ...


_sources: list[CoverageSource] = []


def register(source: CoverageSource) -> None:
    if source not in _sources:
        _sources.append(source)


def lines_for(machine_ids: Iterable[int]) -> dict[int, list[CoverageLine]]:
    ids = list(machine_ids)
    lines: dict[int, list[CoverageLine]] = defaultdict(list)
    if not ids:
        return lines
    for source in _sources:
        for machine_id, found in source.lines_for(ids).items():
            lines[machine_id].extend(found)
    return lines


def kept_lines_for(machine_ids: Iterable[int]) -> dict[int, list[CoverageLine]]:
    """`lines_for`, kept in the shared cache under the versions of the sources' applications
    (core/data_versions.py): a list page shown again reads no coverage row until a contract or its
    machines change. Only for a page (up to KEPT_MACHINES machines)."""
    ids = sorted(set(machine_ids))
    if not ids or len(ids) > KEPT_MACHINES:
        return lines_for(ids)
    return data_versions.kept("inventory.coverage", reads(), tuple(ids), lambda: dict(lines_for(ids)))


def end_lines(*, machine_id: int, organisation: Organisation, last_day: date) -> list[str]:
    return [
        number
        for source in _sources
        for number in source.end_lines(machine_id=machine_id, organisation=organisation, last_day=last_day)
    ]


def reads() -> tuple[str, ...]:
    """The applications whose rows the sources' answers come from (what a kept coverage figure depends on)."""
    return tuple(apps.get_containing_app_config(type(source).__module__).label for source in _sources)  # type: ignore[union-attr]


data_versions.watch(reads)  # a write to a source's tables replaces what kept_lines_for kept


def covered_on(organisation: Organisation, day: date) -> list[QuerySet[Any]]:
    """Each source's subquery of the machines it covers on `day` (see CoverageSource.covered_on)."""
    return [source.covered_on(organisation, day) for source in _sources]
