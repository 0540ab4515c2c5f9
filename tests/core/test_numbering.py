"""core.numbering: one series per key, consecutive values, never repeated under concurrency, no gaps on rollback."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from guichet.core import numbering
from guichet.core.models import NumberSequence


@pytest.mark.django_db
def test_each_key_is_its_own_series() -> None:
    first = [numbering.next_value("test:BE:2026") for _ in range(3)]
    other = numbering.next_value("test:RO:2026")
    assert first == [1, 2, 3] and other == 1
    assert numbering.next_value("test:BE:2026") == 4
    assert dict(NumberSequence.objects.values_list("key", "last")) == {"test:BE:2026": 4, "test:RO:2026": 1}


@pytest.mark.django_db
def test_keys_are_built_from_their_parts() -> None:
    assert numbering.sequence_key("inventory", "SR", "BE", 2026) == "inventory:SR:BE:2026"


@pytest.mark.django_db
def test_a_value_rolled_back_is_given_again_so_a_series_has_no_gaps() -> None:
    assert numbering.next_value("test:gapless") == 1
    with pytest.raises(RuntimeError), transaction.atomic():  # the document carrying number 2 fails
        assert numbering.next_value("test:gapless") == 2
        raise RuntimeError("the invoice could not be written")
    assert numbering.next_value("test:gapless") == 2


@pytest.mark.django_db
def test_a_number_given_from_outside_moves_the_series_past_it_never_back() -> None:
    numbering.advance_to("test:imported", 41)  # a new series starts after it
    assert numbering.next_value("test:imported") == 42
    numbering.advance_to("test:imported", 10)  # behind: ignored
    assert numbering.next_value("test:imported") == 43
    numbering.advance_to("test:imported", 43)  # the last one given: ignored too
    assert numbering.next_value("test:imported") == 44


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "x" * 65])
def test_an_unusable_key_is_refused(key: str) -> None:
    with pytest.raises(ValueError, match="invalid numbering key"):
        numbering.next_value(key)


@pytest.mark.django_db(transaction=True)
def test_values_are_taken_only_inside_a_transaction() -> None:
    # Outside one, the increment would commit before the numbered record exists.
    with pytest.raises(TransactionManagementError):
        numbering.next_value("test:autocommit")
    assert not NumberSequence.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_get_distinct_consecutive_values() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer; concurrent numbering is exercised on PostgreSQL")
    start = threading.Barrier(4)
    values: dict[str, list[int]] = {"test:race": [], "test:other": []}
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()  # all four create the new series at the same moment
            for _ in range(5):
                with transaction.atomic():
                    values["test:race"].append(numbering.next_value("test:race"))
                    values["test:other"].append(numbering.next_value("test:other"))
        except BaseException as error:  # reported below, from the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(values["test:race"]) == list(range(1, 21))
    assert sorted(values["test:other"]) == list(range(1, 21))


@pytest.mark.django_db
def test_a_number_taken_in_an_insert_is_formatted_as_in_python() -> None:
    """`in_insert`'s SQL function (PostgreSQL) pads as `formatted` does, and goes on past the width."""
    if connection.vendor != "postgresql":
        pytest.skip("the SQL function is PostgreSQL's; elsewhere in_insert takes the value with next_value")
    with transaction.atomic():
        numbering.advance_to("test:wide", 999_998)
        with connection.cursor() as cursor:
            taken = []
            for _ in range(2):
                cursor.execute(f"SELECT {numbering.FUNCTION}(%s, %s, %s)", ["test:wide", "BE-2031-", 6])
                taken.append(cursor.fetchone()[0])
    assert taken == [numbering.formatted("BE-2031-", 999_999, 6), numbering.formatted("BE-2031-", 1_000_000, 6)]
    assert taken == ["BE-2031-999999", "BE-2031-1000000"]
