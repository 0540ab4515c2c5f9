"""core.inserts: new rows of several tables in one statement on PostgreSQL, each with its id, a row
pointing at an earlier one of the batch; at once outside a block; nothing when the block fails."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from guichet.core import inserts
from guichet.core.models import AuditEvent, Notification, OutboxMessage

pytestmark = pytest.mark.django_db


def _message(n: int) -> OutboxMessage:
    return OutboxMessage(
        to=f"p{n}@example.com", template="request_received", language="fr", context={"n": n}, message_id=f"<{n}@t>"
    )


def test_rows_written_together_get_their_ids_and_point_at_each_other(customer_a) -> None:  # type: ignore[no-untyped-def]
    message = _message(1)
    notification = Notification(
        user=customer_a, template="request_received", category="requests", context={"n": 1}, outbox=message
    )
    audit = AuditEvent(action="test.together", actor=customer_a, target="T-1", data={"a": [1, 2]})
    with transaction.atomic(), CaptureQueriesContext(connection) as captured, inserts.together():
        inserts.add(message, notification)
        inserts.add(audit)
        assert message.pk is None  # kept until the block ends
    writes = [query["sql"] for query in captured.captured_queries if "INSERT" in query["sql"]]
    assert len(writes) == (1 if connection.vendor == "postgresql" else 3)
    assert message.pk and notification.pk and audit.pk
    stored = Notification.objects.select_related("outbox").get(pk=notification.pk)
    assert stored.outbox == message and notification.outbox_id == message.pk
    assert stored.outbox.context == {"n": 1} and stored.context == {"n": 1}
    assert AuditEvent.objects.get(pk=audit.pk).data == {"a": [1, 2]}


def test_outside_a_block_a_row_is_written_at_once() -> None:
    message = _message(2)
    inserts.add(message)
    assert OutboxMessage.objects.get(pk=message.pk).to == "p2@example.com"


def test_a_failing_block_writes_nothing() -> None:
    with pytest.raises(RuntimeError), transaction.atomic(), inserts.together():
        inserts.add(_message(3))
        raise RuntimeError("before the end of the block")
    assert not OutboxMessage.objects.filter(message_id="<3@t>").exists()


def test_a_failing_statement_writes_none_of_its_rows() -> None:
    OutboxMessage.objects.create(to="x@example.com", template="t", language="fr", message_id="<taken@t>")
    duplicate = OutboxMessage(to="y@example.com", template="t", language="fr", message_id="<taken@t>")
    with pytest.raises(Exception), transaction.atomic(), inserts.together():  # noqa: B017 (the backend's IntegrityError)
        inserts.add(_message(4), duplicate)
    assert not OutboxMessage.objects.filter(message_id="<4@t>").exists()


@pytest.mark.django_db(transaction=True)  # outside the test's own transaction
def test_a_block_belongs_inside_a_transaction_and_alone() -> None:
    with pytest.raises(TransactionManagementError), inserts.together():
        pass
    with pytest.raises(TransactionManagementError), transaction.atomic(), inserts.together(), inserts.together():
        pass


def _computed(sql: str, value: str) -> object:
    """What the database computes as the first row is written (as `numbering.in_insert` does)."""
    from django.db.models import CharField
    from django.db.models.expressions import RawSQL

    if connection.vendor != "postgresql":
        return value
    return RawSQL(sql, (), output_field=CharField())  # noqa: S611 (a constant of the test)


def test_rows_built_from_stand_ins_carry_what_the_first_row_was_written_with(customer_a) -> None:  # type: ignore[no-untyped-def]
    message = _message(1)
    with transaction.atomic(), CaptureQueriesContext(connection) as captured, inserts.together():
        inserts.stand_in(message, thread_key=_computed("upper('thread-' || 'k')", "THREAD-K"))
        stand_in, stand_in_id = message.thread_key, message.pk
        assert stand_in_id < 0 and stand_in.isalnum()
        notification = Notification(
            user=customer_a,
            template="request_received",
            category="requests",
            context={"t": [stand_in]},
            link=f"/x/{stand_in}/",
            outbox=message,
        )
        audit = AuditEvent(action="test.stand-in", target=stand_in, data={"id": message.pk, "k": f"<{stand_in}>"})
        inserts.add(notification, audit)
    writes = [query["sql"] for query in captured.captured_queries if "INSERT" in query["sql"]]
    assert len(writes) == (1 if connection.vendor == "postgresql" else 3)
    assert message.pk > 0 and message.thread_key == "THREAD-K"
    assert (notification.outbox_id, notification.context, notification.link) == (
        message.pk,
        {"t": ["THREAD-K"]},
        "/x/THREAD-K/",
    )
    assert (audit.target, audit.data) == ("THREAD-K", {"id": message.pk, "k": "<THREAD-K>"})
    stored = Notification.objects.get(pk=notification.pk)
    assert (stored.outbox_id, stored.context, stored.link) == (message.pk, {"t": ["THREAD-K"]}, "/x/THREAD-K/")
    assert AuditEvent.objects.filter(
        pk=audit.pk, target="THREAD-K", data={"id": message.pk, "k": "<THREAD-K>"}
    ).exists()
    assert OutboxMessage.objects.get(pk=message.pk).thread_key == "THREAD-K"


def test_stand_ins_come_first_in_a_block() -> None:
    with transaction.atomic(), inserts.together():
        inserts.add(_message(1))
        with pytest.raises(TransactionManagementError):
            inserts.stand_in(_message(2), thread_key="x")


def test_batches_of_one_shape_each_write_their_own_values(customer_a) -> None:  # type: ignore[no-untyped-def]
    """The SQL of a shape is compiled once (PostgreSQL): the next batch still writes its own values."""
    for n in (11, 12):
        message = _message(n)
        notification = Notification(
            user=customer_a, template="request_received", category="requests", context={"n": n}, outbox=message
        )
        audit = AuditEvent(action=f"test.shape{n}", actor=customer_a, target=f"T-{n}", data={"n": [n]})
        with transaction.atomic(), inserts.together():
            inserts.add(message, notification, audit)
        stored = Notification.objects.select_related("outbox").get(pk=notification.pk)
        assert stored.outbox_id == message.pk and stored.context == {"n": n}
        assert (stored.outbox.to, stored.outbox.message_id) == (f"p{n}@example.com", f"<{n}@t>")
        assert AuditEvent.objects.values_list("action", "target", "data").get(pk=audit.pk) == (
            f"test.shape{n}",
            f"T-{n}",
            {"n": [n]},
        )
