"""The contracts context's answer to inventory: which contract lines cover which machines."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from guichet.accounts.models import Organisation
from guichet.core.tenancy import across_organisations
from guichet.inventory.rules import CoverageLine

from .models import ContractStatus, CoveredMachine


class ContractCoverage:
    def lines_for(self, machine_ids: list[int]) -> dict[int, list[CoverageLine]]:
        lines: dict[int, list[CoverageLine]] = defaultdict(list)
        # The machines were already resolved within the organisation; their coverage rows follow them.
        with across_organisations():
            # The seven values a line needs, not two models per row (a list page asks for 50 machines).
            rows = CoveredMachine.objects.filter(machine_id__in=machine_ids).values_list(
                "machine_id",
                "contract__number",
                "contract__status",
                "service_level",
                "covered_from",
                "covered_until",
                "contract__end_date",
            )
            for machine_id, number, status, service_level, covered_from, covered_until, contract_end in rows:
                lines[machine_id].append(
                    CoverageLine(
                        contract_number=number,
                        contract_active=status == ContractStatus.ACTIVE,
                        service_level=service_level,
                        covered_from=covered_from,
                        covered_until=covered_until,
                        contract_end=contract_end,
                    )
                )
        return lines

    def end_lines(self, *, machine_id: int, organisation: Organisation, last_day: date) -> list[str]:
        with across_organisations():
            covering = CoveredMachine.objects.filter(machine_id=machine_id, contract__organisation=organisation)
            still_open = covering.filter(covered_until__isnull=True) | covering.filter(covered_until__gt=last_day)
            ended = [line.contract.number for line in still_open.select_related("contract")]
            still_open.update(covered_until=last_day)
        return ended

    def covered_on(self, organisation: Organisation, day: date) -> QuerySet[Any]:
        # The same test as inventory.rules.coverage_on: an active contract's line in force that day,
        # bounded by the line's own end and the contract's.
        with across_organisations():
            return CoveredMachine.objects.filter(
                Q(covered_until__isnull=True) | Q(covered_until__gte=day),
                Q(contract__end_date__isnull=True) | Q(contract__end_date__gte=day),
                contract__organisation=organisation,
                contract__status=ContractStatus.ACTIVE,
                covered_from__lte=day,
            ).values("machine_id")
