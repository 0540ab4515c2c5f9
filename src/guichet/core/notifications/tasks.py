"""Thin Celery tasks over `delivery`: take ids, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import delivery, digest


@shared_task(acks_late=True, ignore_result=True)
def deliver_outbox_message(message_id: int) -> None:
    delivery.deliver(message_id)


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    """Periodic: re-dispatch rows whose worker died or whose retry time has come."""
    ids = delivery.due_ids()
    for message_id in ids:
        deliver_outbox_message.delay(message_id)
    return len(ids)


@shared_task(ignore_result=True)
def send_notification_digests() -> int:
    """Daily: one e-mail per person who chose digests, with what they received since the last."""
    return digest.send_digests()
