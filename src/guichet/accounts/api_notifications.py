"""API: the caller's own notifications (`/api/v1/notifications`), read in the active language."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import pydantic
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from guichet.core.api import ErrorOut, InvalidInput, Page, PageOut, PageSize, paginate
from guichet.core.errors import NotFound
from guichet.core.models import Notification
from guichet.core.notifications import inbox

from .api_access import AUTH

router = Router(tags=["notifications"], auth=AUTH)

DEFAULT_PAGE_SIZE = 25
MAX_IDS = 100


class NotificationOut(Schema):
    id: int
    category: str = pydantic.Field(
        description="requests, contracts, orders, invoices, inventory, buytech, access, account"
    )
    title: str = pydantic.Field(description="The e-mail's subject, in the language of the call.")
    summary: str
    url: str = pydantic.Field(description="The portal page it is about (a path), or empty.")
    created_at: datetime
    read: bool
    mandatory: bool = pydantic.Field(description="An e-mail nobody may turn off (legal notice, security).")


class NotificationPageOut(PageOut):
    items: list[NotificationOut]
    unread: int


# Within the database's bigint: a larger id would be a database error, not a 422.
NotificationId = Annotated[int, pydantic.Field(ge=1, le=2**63 - 1)]


class ReadIn(Schema):
    ids: list[NotificationId] = pydantic.Field(default_factory=list, max_length=MAX_IDS)
    all: bool = False


class ReadOut(Schema):
    marked: int
    unread: int


def _out(notification: Notification) -> dict[str, Any]:
    shown = inbox.shown(notification)
    return {
        "id": shown.id,
        "category": shown.category,
        "title": shown.title,
        "summary": shown.summary,
        "url": shown.url,
        "created_at": shown.created_at,
        "read": shown.read,
        "mandatory": shown.mandatory,
    }


def _caller(request: HttpRequest) -> int:
    pk = request.user.pk
    assert pk is not None  # AUTH let only a signed-in caller through
    return int(pk)


@router.get("notifications", response={200: NotificationPageOut, 401: ErrorOut, 422: ErrorOut})
def list_notifications(
    request: HttpRequest, unread: bool = False, page: Page = 1, page_size: PageSize = DEFAULT_PAGE_SIZE
) -> dict[str, Any]:
    """The caller's notifications, newest first; `unread=true` for the unread ones only."""
    user_id = _caller(request)
    items, count = paginate(inbox.of_user(user_id, unread_only=unread), page, page_size)
    return {"items": [_out(n) for n in items], "count": count, "unread": inbox.unread_count(user_id)}


@router.post("notifications/read", response={200: ReadOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def read_notifications(request: HttpRequest, payload: ReadIn) -> dict[str, Any]:
    """Mark read the notifications in `ids`, or all of them with `all: true`. An id that is not the
    caller's answers 404 like a missing one, and nothing is marked. Signed in with a session (not a
    token), the call needs the CSRF token like any form: 403 without it."""
    user_id = _caller(request)
    if payload.all:
        marked = inbox.mark_read(user_id)
    elif payload.ids:
        wanted = set(payload.ids)
        if Notification.objects.filter(user_id=user_id, pk__in=wanted).count() != len(wanted):
            raise NotFound(_("No such notification."))
        marked = inbox.mark_read(user_id, sorted(wanted))
    else:
        raise InvalidInput(
            _("Give the ids to mark as read, or all."),
            details={"errors": [{"type": "missing", "loc": ["body", "payload", "ids"], "msg": _("Required.")}]},
        )
    return {"marked": marked, "unread": inbox.unread_count(user_id)}
