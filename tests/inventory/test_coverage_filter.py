"""My inventory's coverage filter, now in SQL, finds exactly the machines whose computed coverage is that state."""

from __future__ import annotations

from datetime import timedelta

import pytest

from guichet.core.tenancy import tenant_scope
from guichet.inventory import rules, selectors
from tests.inventory.conftest import cover, make_machine, today

pytestmark = pytest.mark.django_db


def test_the_sql_filter_agrees_with_the_computed_coverage(org_a, org_b) -> None:  # type: ignore[no-untyped-def]
    day = today()
    past, soon = day - timedelta(days=1), day + timedelta(days=30)
    cover(make_machine(org_a, "78CV001"), number="BE-CV-1")  # a line in force
    cover(make_machine(org_a, "78CV002"), number="BE-CV-2", covered_until=past)  # the line ended yesterday
    cover(make_machine(org_a, "78CV003"), number="BE-CV-3", end_date=past)  # the contract ended yesterday
    cover(make_machine(org_a, "78CV004"), number="BE-CV-4", status="terminated")  # not an active contract
    cover(make_machine(org_a, "78CV005"), number="BE-CV-5", covered_from=soon)  # not yet
    cover(make_machine(org_a, "78CV006", warranty_end=soon), number="BE-CV-6", covered_until=day)  # both: contract
    cover(make_machine(org_a, "78CV007", warranty_end=soon), number="BE-CV-7", covered_until=past)  # warranty
    make_machine(org_a, "78CV008", warranty_end=day)  # the warranty's last day
    make_machine(org_a, "78CV009", warranty_end=past)
    make_machine(org_a, "78CV010", warranty_end=None)
    cover(make_machine(org_b, "78CV011"), number="LU-CV-1")  # another organisation's
    with tenant_scope(org_a):
        every = list(selectors.machines_of(org_a))
        computed = selectors.coverages_of(every, day)
        found = {}
        for state in (rules.CONTRACT, rules.WARRANTY, rules.NOT_COVERED):
            filtered = selectors.machines_of(org_a, selectors.MachineFilters(coverage=state))
            found[state] = sorted(m.serial for m in filtered)
            assert found[state] == sorted(m.serial for m in every if computed[m.pk].state == state), state
    assert found[rules.CONTRACT] == ["78CV001", "78CV006"]
    assert found[rules.WARRANTY] == ["78CV007", "78CV008"]
    assert len(every) == 10
