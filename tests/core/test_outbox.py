"""The outbox: written with the change, delivered after commit over real SMTP, retried, never lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from guichet.core.models import OutboxMessage
from guichet.core.notifications import delivery
from guichet.core.notifications.outbox import enqueue
from guichet.core.notifications.rendering import thread_root_id

pytestmark = pytest.mark.django_db(transaction=True)

CONTEXT = {
    "first_name": "Ana",
    "organisation": "Tipografia",
    "application": "invoices",
    "reason": "",
    "url": "http://x/",
}


def test_message_is_sent_after_commit_in_the_recipients_language(smtp_sink) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        row = enqueue(
            to="ana@example.ro", template="access_granted", language="ro", context=CONTEXT, thread_key="access-7"
        )
        assert smtp_sink.messages == []  # nothing leaves before the commit
    [received] = smtp_sink.wait_for(1)
    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.SENT and row.attempts == 1
    assert received["Message-ID"] == row.message_id
    assert received["In-Reply-To"] == thread_root_id("access-7")
    assert received["References"] == thread_root_id("access-7")
    assert "Facturile mele" in received["Subject"]
    assert received.get_body(preferencelist=("html",)) is not None
    assert "Ana" in smtp_sink.text(received)


def test_rolled_back_change_sends_nothing(smtp_sink) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(to="x@example.com", template="access_granted", language="en", context=CONTEXT)
        raise RuntimeError("the change failed")
    assert OutboxMessage.objects.count() == 0
    assert smtp_sink.messages == []


def test_unreachable_server_keeps_the_row_for_a_retry_with_backoff(settings, smtp_sink) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_PORT = 9  # nothing listens there
    with transaction.atomic():
        row = enqueue(to="x@example.com", template="access_granted", language="en", context=CONTEXT)
    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.PENDING and row.attempts == 1
    assert row.available_at > timezone.now() + timedelta(seconds=20)
    assert row.last_error

    # The server is back and the retry time has come: the sweeper's pass delivers it once.
    settings.EMAIL_PORT = smtp_sink.port
    OutboxMessage.objects.filter(pk=row.pk).update(available_at=timezone.now())
    assert delivery.due_ids() == [row.pk]
    assert delivery.deliver(row.pk) is True
    assert delivery.deliver(row.pk) is False  # already sent: not sent twice
    assert len(smtp_sink.wait_for(1)) == 1


def test_row_stuck_in_sending_is_taken_again_after_the_deadline(settings, smtp_sink) -> None:  # type: ignore[no-untyped-def]
    row = OutboxMessage.objects.create(
        to="x@example.com",
        template="access_granted",
        language="en",
        context=CONTEXT,
        message_id=OutboxMessage.new_message_id(),
        status=OutboxMessage.Status.SENDING,
        claimed_at=timezone.now(),
    )
    assert delivery.due_ids() == []  # a worker may still be on it
    OutboxMessage.objects.filter(pk=row.pk).update(
        claimed_at=timezone.now() - timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS + 1)
    )
    assert delivery.due_ids() == [row.pk]
    assert delivery.deliver(row.pk)
    assert smtp_sink.wait_for(1)[0]["Message-ID"] == row.message_id


def test_gives_up_after_the_maximum_attempts(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    row = OutboxMessage.objects.create(
        to="x@example.com",
        template="access_granted",
        language="en",
        context=CONTEXT,
        message_id=OutboxMessage.new_message_id(),
        attempts=settings.OUTBOX_MAX_ATTEMPTS - 1,
    )
    delivery.deliver(row.pk)
    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.FAILED


@pytest.mark.parametrize(("attempts", "seconds"), [(1, 30), (2, 60), (3, 120), (20, 3600)])
def test_backoff_doubles_and_is_capped(attempts: int, seconds: int) -> None:
    assert delivery.backoff(attempts) == timedelta(seconds=seconds)
