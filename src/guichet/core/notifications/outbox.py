"""Enqueue an e-mail in the caller's transaction; deliver it after commit."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from .. import inserts, request_id
from ..models import EmailChoice, OutboxMessage
from . import inbox


def enqueue(
    *,
    to: str,
    template: str,
    language: str,
    context: dict[str, Any] | None = None,
    thread_key: str = "",
    recipient: models.Model | None = None,
    notify: bool = True,
    choice: EmailChoice | None = None,
) -> OutboxMessage | None:
    """Write the message row now; hand it to a worker once the transaction commits.

    `context` must be JSON: ids and business numbers, not model instances, so
    the message renders the same whenever it is (re)sent.

    When the address is a person's (`recipient`, else the active account with that
    address), the same transaction writes their in-portal notification, and their
    preference for the template's category decides the e-mail: sent now (the row is
    returned), held for the daily digest, or not sent (None). Mandatory templates are
    always sent (`categories.py`). `notify=False` is for the digest itself. `choice`: the
    preference of `recipient`, when the caller has read it already (`choice_for`), as a new
    request does before it takes its number.
    """
    context = context or {}
    # The e-mail and its notification: both or neither. Inside the caller's transaction (the
    # change that sends it) they commit with it, without a savepoint of their own.
    with transaction.atomic(savepoint=False):
        return _enqueue(to, template, language, context, thread_key, recipient, notify, choice)


def choice_for(person: models.Model | None, template: str) -> EmailChoice:
    """Whether `person` gets `template` by e-mail now (one read of their preference); anyone else does."""
    return inbox.email_choice(person.pk, template) if person is not None else EmailChoice.EACH


def _enqueue(
    to: str,
    template: str,
    language: str,
    context: dict[str, Any],
    thread_key: str,
    recipient: models.Model | None,
    notify: bool,
    choice: EmailChoice | None,
) -> OutboxMessage | None:
    person = (recipient if recipient is not None else inbox.recipient_for(to)) if notify else None
    if choice is None or person is not recipient:  # a choice read for `recipient` is theirs alone
        choice = choice_for(person, template)
    message = _write(to, template, language, context, thread_key) if choice == EmailChoice.EACH else None
    if person is not None:
        inbox.record(user_id=person.pk, template=template, context=context, choice=choice, outbox=message)
    return message


def _write(to: str, template: str, language: str, context: dict[str, Any], thread_key: str) -> OutboxMessage:
    message = OutboxMessage(
        to=to,
        template=template,
        language=language,
        context=context,
        thread_key=thread_key,
        message_id=OutboxMessage.new_message_id(),
        request_id=request_id.current(),
    )
    inserts.add(message)  # its id is read at commit, when it is written whichever way

    def dispatch() -> None:
        from .tasks import deliver_outbox_message

        deliver_outbox_message.delay(message.pk)

    transaction.on_commit(dispatch)
    return message
