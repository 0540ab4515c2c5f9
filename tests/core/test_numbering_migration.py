"""The contexts' old counters carried into core.NumberSequence: numbering goes on where it stopped."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from guichet.billing import services as billing
from guichet.buytech.services import reservation as buytech
from guichet.core import numbering
from guichet.core.tenancy import across_organisations
from guichet.inventory import services as inventory
from guichet.orders import services as orders
from guichet.support import services as support

pytestmark = pytest.mark.django_db(transaction=True)

CARRY = ("core", "0004_carry_counters")
BEFORE = [("core", "0003_numbersequence")]  # undoes the carry and, after it, every counter's removal


@pytest.fixture
def before_the_carry() -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    try:
        yield executor
    finally:
        executor = MigrationExecutor(connection)  # a fresh graph: the one above has moved
        executor.migrate(latest)


def test_every_counter_continues_in_its_series(before_the_carry: MigrationExecutor) -> None:
    graph = before_the_carry.loader.graph
    old = before_the_carry.loader.project_state([parent.key for parent in graph.node_map[CARRY].parents]).apps
    old.get_model("support", "RequestCounter").objects.create(country="BE", year=2026, last=41)
    old.get_model("inventory", "ServiceCounter").objects.create(prefix="SR", country="BE", year=2026, last=12)
    old.get_model("orders", "OrderCounter").objects.create(country="CA", year=2026, last=88)
    old.get_model("billing", "InvoiceCounter").objects.create(country="RO", kind="credit_note", year=2026, last=5)
    old.get_model("buytech", "OrderCounter").objects.create(year=2026, last=9)
    old.get_model("core", "NumberSequence").objects.create(key="support:RO:2026", last=3)  # untouched

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    # The keys written by the migration are the ones each context reads: the next numbers follow on.
    with transaction.atomic(), across_organisations():  # orders look for imported numbers in every organisation
        assert numbering.next_value(support.sequence_key("BE", 2026)) == 42  # BE-2026-000042
        assert numbering.next_value(support.sequence_key("RO", 2026)) == 4
        assert inventory.next_number("SR", "BE", 2026) == "SR-BE-2026-000013"
        assert orders.next_number("CA", 2026) == "CA-ORD-2026-0089"
        assert billing.next_number("RO", "credit_note", 2026) == "RO-CN-2026-0006"
        assert buytech._next_sequence(2026) == 2026_000010
    assert "support_requestcounter" not in connection.introspection.table_names()
