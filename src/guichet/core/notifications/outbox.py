"""Enqueue an e-mail in the caller's transaction; deliver it after commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .. import request_id
from ..models import OutboxMessage


def enqueue(
    *,
    to: str,
    template: str,
    language: str,
    context: dict[str, Any] | None = None,
    thread_key: str = "",
) -> OutboxMessage:
    """Write the message row now; hand it to a worker once the transaction commits.

    `context` must be JSON: ids and business numbers, not model instances, so
    the message renders the same whenever it is (re)sent.
    """
    message = OutboxMessage.objects.create(
        to=to,
        template=template,
        language=language,
        context=context or {},
        thread_key=thread_key,
        message_id=OutboxMessage.new_message_id(),
        request_id=request_id.current(),
    )

    def dispatch() -> None:
        from .tasks import deliver_outbox_message

        deliver_outbox_message.delay(message.pk)

    transaction.on_commit(dispatch)
    return message
