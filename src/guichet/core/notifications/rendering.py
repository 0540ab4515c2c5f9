"""Render an outbox row into an e-mail in the recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from .. import request_id
from ..models import OutboxMessage


def thread_root_id(thread_key: str) -> str:
    """A stable Message-ID for a conversation, so every message of it threads together."""
    return f"<thread.{thread_key}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"


def render(message: OutboxMessage) -> EmailMultiAlternatives:
    base = f"notifications/{message.template}"
    context = {**message.context, "site_url": settings.SITE_URL, "LANGUAGE_CODE": message.language}
    with translation.override(message.language):
        subject = render_to_string(f"{base}/subject.txt", context).strip()
        text = render_to_string(f"{base}/body.txt", context)
        html = render_to_string(f"{base}/body.html", context)
    headers = {"Message-ID": message.message_id}
    if message.request_id:
        headers[request_id.HEADER] = message.request_id
    if message.thread_key:
        root = thread_root_id(message.thread_key)
        headers["In-Reply-To"] = root
        headers["References"] = root
    email = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body=text,
        to=[message.to],
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    return email
