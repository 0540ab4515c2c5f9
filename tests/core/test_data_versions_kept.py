"""`data_versions.kept`: an answer kept under the versions of what it reads, computed again once any
of them is written (whatever the write), never under a label nothing replaces."""

from __future__ import annotations

import pytest
from django.db import connection

from guichet.core import data_versions
from guichet.core.tenancy import across_organisations
from guichet.inventory.models import Machine
from tests.inventory.conftest import make_machine

pytestmark = pytest.mark.django_db


def test_kept_until_a_write_to_what_it_reads(org_a) -> None:  # type: ignore[no-untyped-def]
    calls: list[int] = []

    def serials() -> list[str]:
        calls.append(1)
        with across_organisations():
            return sorted(Machine.objects.filter(organisation=org_a).values_list("serial", flat=True))

    def read() -> list[str]:
        return data_versions.kept("test.serials", ("inventory",), (org_a.pk,), serials)

    make_machine(org_a, "78AB001")
    assert read() == ["78AB001"] and read() == ["78AB001"]
    assert len(calls) == 1  # the second from the cache
    make_machine(org_a, "78AB002")  # a save
    assert read() == ["78AB001", "78AB002"]
    with connection.cursor() as cursor:  # raw SQL through Django's cursor is a write too
        cursor.execute("UPDATE inventory_machine SET serial = %s WHERE serial = %s", ["78AB009", "78AB002"])
    assert read() == ["78AB001", "78AB009"]
    assert len(calls) == 3


def test_another_scope_or_an_empty_answer_is_its_own_entry(org_a, org_b) -> None:  # type: ignore[no-untyped-def]
    calls: list[int] = []

    def empty() -> list[str]:
        calls.append(1)
        return []

    assert data_versions.kept("test.empty", ("inventory",), (org_a.pk,), empty) == []
    assert data_versions.kept("test.empty", ("inventory",), (org_a.pk,), empty) == []
    assert len(calls) == 1  # an empty answer is kept too
    data_versions.kept("test.empty", ("inventory",), (org_b.pk,), empty)
    assert len(calls) == 2


def test_a_label_no_write_replaces_is_refused() -> None:
    with pytest.raises(LookupError, match="nothing replaces"):
        data_versions.kept("test.stale", ("nowhere",), (), list)


def test_a_write_marked_unkept_replaces_no_version(org_a) -> None:  # type: ignore[no-untyped-def]
    make_machine(org_a, "78AB001")
    before = data_versions.current(["inventory"])
    with data_versions.unkept(), connection.cursor() as cursor:
        cursor.execute("UPDATE inventory_machine SET serial = %s WHERE serial = %s", ["78AB002", "78AB001"])
    assert data_versions.current(["inventory"]) == before
    with connection.cursor() as cursor:  # after the block, writes replace it again
        cursor.execute("UPDATE inventory_machine SET serial = %s WHERE serial = %s", ["78AB003", "78AB002"])
    assert data_versions.current(["inventory"]) != before
