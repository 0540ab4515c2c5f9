"""The audit trail: one call per state change, inside the change's transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest

from . import inserts
from .models import AuditEvent

if TYPE_CHECKING:
    from guichet.accounts.models import Organisation, User


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The hop our one proxy appended, like the sign-in limits (allauth): earlier hops are the client's to forge.
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    actor: User | None = None,
    organisation: Organisation | None = None,
    target: object = "",
    data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    actor_label: str = "",
) -> AuditEvent:
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    event = AuditEvent(
        action=action,
        actor=actor,
        actor_label=actor_label or (actor.email if actor else ""),
        organisation=organisation,
        target=str(target)[:128],
        data=data or {},
        ip=client_ip(request),
    )
    inserts.add(event)  # with the change's other new rows, when it writes them together
    return event
