"""Claim, send, and mark outbox rows. At least once; the Message-ID never changes."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import OutboxMessage
from .rendering import render

log = logging.getLogger(__name__)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... capped at one hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _claim(message_id: int) -> OutboxMessage | None:
    """Take the row for this worker, unless it is sent or another worker holds it."""
    stale = timezone.now() - timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS)
    with transaction.atomic():
        claimable = Q(status=OutboxMessage.Status.PENDING) | Q(
            status=OutboxMessage.Status.SENDING, claimed_at__lt=stale
        )
        updated = OutboxMessage.objects.filter(claimable, pk=message_id).update(
            status=OutboxMessage.Status.SENDING, claimed_at=timezone.now()
        )
        if not updated:
            return None
        return OutboxMessage.objects.get(pk=message_id)


def deliver(message_id: int) -> bool:
    """Send one message; True when it went out now."""
    message = _claim(message_id)
    if message is None:
        return False
    try:
        render(message).send()
    except Exception as exc:  # any failure: keep the row, retry later
        attempts = message.attempts + 1
        gave_up = attempts >= settings.OUTBOX_MAX_ATTEMPTS
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxMessage.Status.FAILED if gave_up else OutboxMessage.Status.PENDING,
            attempts=attempts,
            available_at=timezone.now() + backoff(attempts),
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            claimed_at=None,
        )
        log.warning("outbox message %s not sent (attempt %s): %s", message.pk, attempts, exc)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), attempts=message.attempts + 1
    )
    log.info("outbox message %s sent (%s)", message.pk, message.template)  # the id, never the address
    return True


def due_ids(limit: int = 500) -> list[int]:
    """Rows that should be (re)sent now: pending and due, or stuck in sending."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS)
    return list(
        OutboxMessage.objects.filter(
            Q(status=OutboxMessage.Status.PENDING, available_at__lte=now)
            | Q(status=OutboxMessage.Status.SENDING, claimed_at__lt=stale)
        )
        .order_by("available_at")
        .values_list("pk", flat=True)[:limit]
    )
