"""The daily digest: one e-mail per person gathering the notifications they chose to receive so."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from ..models import Notification, OutboxMessage
from . import inbox
from .outbox import enqueue

log = logging.getLogger(__name__)

DIGEST_TEMPLATE = "digest"
# Twice in one day sends one digest: the second run finds the first one's e-mail this recent.
ONCE_A_DAY = timedelta(hours=20)
MAX_ITEMS = 100  # the rest are in the portal; the e-mail says how many more


def users_due() -> list[int]:
    return list(
        Notification.objects.filter(email=Notification.Email.DIGEST)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )


def send_digest(user_id: int) -> bool:
    """Enqueue this person's digest and mark its notifications digested, in one transaction."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    address = str(getattr(user, "email", ""))
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update()
            .filter(user_id=user_id, email=Notification.Email.DIGEST)
            .order_by("id")
        )
        if not waiting:
            return False
        recent = OutboxMessage.objects.filter(
            to=address, template=DIGEST_TEMPLATE, created_at__gte=timezone.now() - ONCE_A_DAY
        )
        if recent.exists():
            return False
        language = str(getattr(user, "language", "") or settings.LANGUAGE_CODE)
        with translation.override(language):
            items = [
                {"title": inbox.title(n), "summary": inbox.summary(n), "url": _absolute(inbox.link(n))}
                for n in waiting[:MAX_ITEMS]
            ]
            notifications_url = _absolute(translate_notifications_url(language))
        enqueue(
            to=address,
            template=DIGEST_TEMPLATE,
            language=language,
            context={
                "first_name": str(getattr(user, "first_name", "")),
                "items": items,
                "more": max(len(waiting) - MAX_ITEMS, 0),
                "url": notifications_url,
            },
            notify=False,
        )
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(email=Notification.Email.DIGESTED)
    log.info("digest enqueued for user %s (%s notifications)", user_id, len(waiting))
    return True


def translate_notifications_url(language: str) -> str:
    with translation.override(language):
        return reverse("portal:notifications")


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path if path else ""


def send_digests() -> int:
    return sum(send_digest(user_id) for user_id in users_due())
