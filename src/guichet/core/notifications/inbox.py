"""In-portal notifications: the twin of every outbox e-mail addressed to a person with an account.

Why the title is rendered when read rather than stored: the e-mail's own subject template,
rendered with the JSON context the outbox keeps, in the language of the page (or API call)
that reads it. A person who changes language reads every notification in the new one, a
language added later needs no backfill, and no wording lives twice. Values the sender
translated into the context itself (a status label, a long date) stay in the sender's language.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils import timezone, translation

from .. import inserts, shapes
from ..models import EmailChoice, Notification, NotificationCategory, NotificationPreference, OutboxMessage
from .categories import MANDATORY_CATEGORIES, category_of, is_mandatory

# Context keys never copied into a notification: a pre-rendered e-mail (allauth's, with its
# one-time links) stays in the outbox alone.
_PRIVATE_KEYS = frozenset({"text", "html"})
# Templates whose link carries a secret (a signed invitation): the notification has no link.
_NO_LINK = frozenset({"invitation"})
# What a notification's one-line summary is made of, first found first.
_SUMMARY_KEYS = ("subject", "title", "machine", "organisation", "applicant")


def recipient_for(address: str) -> models.Model | None:
    """The active account whose address this is, if any (vendor mailboxes and strangers have none)."""
    return get_user_model().objects.filter(email__iexact=address.strip(), is_active=True).first()


def _preference(values: shapes.Values) -> QuerySet[NotificationPreference]:
    return NotificationPreference.objects.filter(user_id=values["user"], category=values["category"])


def _any_scope(_values: shapes.Values) -> AbstractContextManager[None]:
    # Preferences belong to a person, not to an organisation: no tenant filter whatever scope is active.
    return nullcontext()


def email_choice(user_id: int, template: str) -> EmailChoice:
    if is_mandatory(template):
        return EmailChoice.EACH
    # At most one row (unique per person and category), read through a statement compiled once
    # (core/shapes.py): the ORM took ~0.6 ms of CPU to build this one-column read, three times
    # what its round trip costs, once per new request (issue 17).
    chosen = shapes.read(
        _preference,
        {"user": user_id, "category": category_of(template)},
        fields=("email",),
        limit=1,
        around=_any_scope,
    )
    return EmailChoice(chosen[0][0]) if chosen and chosen[0][0] else EmailChoice.EACH


def _path(url: str) -> str:
    """The portal path of an absolute link the e-mail carries; nothing for a link elsewhere."""
    site = settings.SITE_URL.rstrip("/")
    if url.startswith(site + "/"):
        url = url[len(site) :]
    return url if url.startswith("/") and not url.startswith("//") else ""


_EMAIL_STATE = {
    EmailChoice.EACH: Notification.Email.SENT,
    EmailChoice.DIGEST: Notification.Email.DIGEST,
    EmailChoice.OFF: Notification.Email.OFF,
}


def record(
    *, user_id: int, template: str, context: dict[str, Any], choice: EmailChoice, outbox: OutboxMessage | None
) -> Notification:
    """Write the person's notification (in the caller's transaction, with the outbox row)."""
    kept = {key: value for key, value in context.items() if key not in _PRIVATE_KEYS}
    link = "" if template in _NO_LINK else _path(str(context.get("url", "")))
    notification = Notification(
        user_id=user_id,
        template=template,
        category=category_of(template),
        mandatory=is_mandatory(template),
        context=kept,
        link=link[:500],
        email=_EMAIL_STATE[choice],
        outbox=outbox,
    )
    inserts.add(notification)  # after its e-mail, which it may point at before either has an id
    return notification


# --- reading ------------------------------------------------------------------------------------


def unread_count(user_id: int) -> int:
    """The bell: one count on the partial index of unread rows."""
    return Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()


def of_user(user_id: int, *, unread_only: bool = False) -> QuerySet[Notification]:
    """Newest first; `-id` follows creation order and is the index's."""
    rows = Notification.objects.filter(user_id=user_id)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-id")


def title(notification: Notification) -> str:
    """The e-mail's subject, in the active language."""
    context = {**notification.context, "site_url": settings.SITE_URL, "LANGUAGE_CODE": translation.get_language()}
    try:
        text = render_to_string(f"notifications/{notification.template}/subject.txt", context)
    except TemplateDoesNotExist:  # a template since retired: its category still says what it was
        return str(NotificationCategory(notification.category).label)
    return " ".join(text.split())


def summary(notification: Notification) -> str:
    for key in _SUMMARY_KEYS:
        value = notification.context.get(key)
        if value and isinstance(value, str):
            return " ".join(value.split())[:200]
    return ""


def link(notification: Notification) -> str:
    """The object's page in the active language (the e-mail's link was in the sender's)."""
    if not notification.link:
        return ""
    reader = translation.get_language() or settings.LANGUAGE_CODE
    written_in = notification.link.split("/")[1]
    if written_in not in dict(settings.LANGUAGES):
        return notification.link
    with translation.override(written_in):  # the resolver knows only the active language's prefix
        return translate_url(notification.link, reader)


@dataclass(frozen=True)
class Shown:
    """A notification as people and the API read it."""

    id: int
    category: str
    category_label: str
    title: str
    summary: str
    url: str
    created_at: Any
    read: bool
    mandatory: bool


def shown(notification: Notification) -> Shown:
    return Shown(
        id=notification.pk,
        category=notification.category,
        category_label=str(NotificationCategory(notification.category).label),
        title=title(notification),
        summary=summary(notification),
        url=link(notification),
        created_at=notification.created_at,
        read=notification.read_at is not None,
        mandatory=notification.mandatory,
    )


# --- writing ------------------------------------------------------------------------------------


def mark_read(user_id: int, ids: list[int] | None = None) -> int:
    """Mark the person's own notifications read: these ids, or all. Someone else's id matches nothing."""
    rows = Notification.objects.filter(user_id=user_id, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())


@dataclass(frozen=True)
class Preference:
    category: NotificationCategory
    email: EmailChoice
    mandatory: bool


def preferences_of(user_id: int) -> list[Preference]:
    chosen = dict(NotificationPreference.objects.filter(user_id=user_id).values_list("category", "email"))
    return [
        Preference(
            category=category,
            email=EmailChoice.EACH if category_is_mandatory(category) else EmailChoice(chosen.get(category, "each")),
            mandatory=category_is_mandatory(category),
        )
        for category in NotificationCategory
    ]


def category_is_mandatory(category: str) -> bool:
    return category in MANDATORY_CATEGORIES


def set_preferences(user_id: int, choices: dict[str, str]) -> None:
    """Save the person's choices; a mandatory category keeps one e-mail per message whatever is sent."""
    for category, email in choices.items():
        if not email or category_is_mandatory(category):
            continue
        NotificationPreference.objects.update_or_create(
            user_id=user_id, category=NotificationCategory(category), defaults={"email": EmailChoice(email)}
        )
