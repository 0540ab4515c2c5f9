"""Writes on requests: one transaction each, with timeline event, audit row and outbox e-mails."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from guichet.accounts import jurisdiction
from guichet.accounts import selectors as account_selectors
from guichet.accounts.models import Organisation, User
from guichet.core import audit, cases, data_versions, inserts, numbering
from guichet.core.calendar import calendar_of
from guichet.core.countries import get_centre
from guichet.core.errors import Conflict, DomainError
from guichet.core.models import EmailChoice
from guichet.core.notifications.outbox import choice_for, enqueue
from guichet.core.tenancy import across_organisations
from guichet.help.services import request_submitted_after_suggestions

from . import cases as support_cases
from . import rules, sla
from .attachments import EXTENSIONS, check_uploads
from .errors import Code
from .models import Attachment, Comment, Event, Request, Status

# --- numbers -------------------------------------------------------------------------


def sequence_key(country: str, year: int) -> str:
    return numbering.sequence_key("support", country, year)


NUMBER_WIDTH = 6  # `BE-2026-000123`: per country and year (`core.numbering`), never repeated even under load


# --- notifications -------------------------------------------------------------------


def _portal_url(request: Request, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("support:detail", kwargs={"number": request.number})


def _customer_address(request: Request) -> str:
    """The request's contact e-mail if it is known to be the organisation's, else the requester's.

    The contact is whatever address the customer typed; mailing the request's content there would
    send it to a stranger. A member of the organisation, or an address the requester has confirmed
    as theirs, is trusted; any other contact is kept on the request for agents, not mailed.
    """
    contact = request.contact_email
    if contact == request.requester.email:  # the requester's own address: trusted without asking
        return contact
    if account_selectors.is_member_address(request.organisation, contact) or account_selectors.has_confirmed_address(
        request.requester, contact
    ):
        return contact
    return request.requester.email


@dataclass(frozen=True)
class Addressee:
    """Where a customer e-mail about a request goes, and whether it is sent now (their preference)."""

    to: str
    recipient: User | None
    choice: EmailChoice | None  # None: no account to ask (`enqueue` looks the address up)


def _addressee(request: Request, template: str) -> Addressee:
    """Read before the e-mail is written; needs no number, so a new request reads it before taking one."""
    requester = request.requester
    to = _customer_address(request)
    # Their own address: the requester is the person notified (no look-up by address).
    recipient = requester if to == requester.email and requester.is_active else None
    return Addressee(to, recipient, choice_for(recipient, template) if recipient is not None else None)


def _tell_customer(request: Request, template: str, addressee: Addressee | None = None, **extra: Any) -> None:
    requester = request.requester
    language = requester.language or request.language
    addressee = addressee or _addressee(request, template)
    enqueue(
        to=addressee.to,
        recipient=addressee.recipient,
        choice=addressee.choice,
        language=language,
        template=template,
        context={
            "number": request.number,
            "subject": request.subject,
            "first_name": requester.first_name,
            "url": _portal_url(request, language),
            "status": request.status,
            **extra,
        },
        thread_key=request.number,
    )


def _event(request: Request, kind: str, actor: User | None, internal: bool = False, **data: Any) -> Event:
    event = Event(
        organisation=request.organisation, request=request, kind=kind, actor=actor, data=data, internal=internal
    )
    inserts.add(event)
    return event


def _touch(request: Request, *fields: str) -> None:
    request.updated_at = timezone.now()
    request.save(update_fields=[*fields, "updated_at"])


# --- customer side ----------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    """A new request and its first timeline event, as written (no need to read them back)."""

    request: Request
    event: Event


@transaction.atomic
def submit(
    *,
    actor: User,
    organisation: Organisation,
    type: str,
    subject: str,
    description: str,
    details: dict[str, Any],
    contact: dict[str, str],
    priority: str = "normal",
    files: Iterable[tuple[str, bytes]] = (),
    http_request: HttpRequest | None = None,
) -> Submitted:
    checked = check_uploads(list(files))
    now = timezone.now()
    calendar = calendar_of(organisation)
    resolution_due = calendar.add_business_hours(now, rules.resolution_target(type, priority))
    at_risk_from, breached_from = sla.marks(calendar, resolution_due, type, priority)
    request = Request(
        organisation=organisation,
        type=type,
        priority=priority,
        subject=subject.strip(),
        description=description.strip(),
        details=details,
        requester=actor,
        contact_name=contact["name"],
        contact_email=contact["email"],
        contact_phone=contact.get("phone", ""),
        language=actor.language,
        created_at=now,
        updated_at=now,
        first_response_due=calendar.add_business_hours(now, rules.first_response_target(priority)),
        resolution_due=resolution_due,
        sla_at_risk_from=at_risk_from,
        sla_breached_from=breached_from,
    )
    # Whatever needs no number is read and written first: from the number on, the series' row
    # stays locked until this transaction commits, and every other new request of the country
    # waits for what runs in between (bench/README.md, "Creation: the numbering lock").
    addressee = _addressee(request, "request_received")
    if http_request is not None:
        request_submitted_after_suggestions(request=http_request)
    # The request (support) and its case, audit row, e-mail and notification (core): their data
    # versions replaced now, in one cache write, not by each statement under the lock.
    data_versions.writing(("support", "core"))
    # The number is taken by the request's own INSERT on PostgreSQL (`numbering.in_insert`), in one
    # statement with the rows that follow it (its case and first step, event, audit row, e-mail and
    # notification), built and compiled before: they carry stand-ins for the request's id and
    # number, written in SQL as what the request's part returns (`inserts.stand_in`). The series'
    # row is locked for that statement and the commit, with no Python in between.
    year = timezone.localtime(now, calendar.tz).year
    country = organisation.country
    with inserts.together():
        inserts.stand_in(
            request, number=numbering.in_insert(sequence_key(country, year), f"{country}-{year}-", NUMBER_WIDTH)
        )
        # What `post_save` would do (the request is written with the batch, which sends no signal).
        cases.record(support_cases.facts_of(request), at=now, new=True)
        event = _event(request, "submitted", actor)
        audit.record(
            "request.submitted", actor=actor, organisation=organisation, target=request.number, request=http_request
        )
        _tell_customer(request, "request_received", addressee, description=request.description[:500])
    for name, data, mime in checked:  # after the number: each file is stored under it
        _store_attachment(request, actor, name, data, mime, internal=False)
    return Submitted(request, event)


def request_submit(**arguments: Any) -> Request:
    """A customer's new request, for callers that need only the request (`submit` returns its event too)."""
    return submit(**arguments).request


def _store_attachment(
    request: Request, actor: User, name: str, data: bytes, mime: str, *, internal: bool, comment: Comment | None = None
) -> Attachment:
    safe_name = "".join(ch for ch in name if ch.isprintable() and ch not in '/\\"')[:200] or "file"
    attachment = Attachment(
        organisation=request.organisation,
        request=request,
        comment=comment,
        original_name=safe_name,
        content_type=mime,
        size=len(data),
        uploaded_by=actor,
        internal=internal,
    )
    # Stored under a name of ours with the extension of the sniffed type: `poly.html` never lands as .html.
    attachment.file.save(f"{request.number}-{uuid.uuid4().hex}{EXTENSIONS[mime]}", ContentFile(data), save=False)
    attachment.save()
    _event(request, "attachment", actor, internal=internal, name=safe_name)
    return attachment


@transaction.atomic
def customer_reply(
    *,
    actor: User,
    request: Request,
    body: str,
    files: Iterable[tuple[str, bytes]] = (),
    http_request: HttpRequest | None = None,
) -> Comment:
    request = _locked(request)
    if request.status == Status.CLOSED:
        raise Conflict(_("This request is closed; reopen it to add a message."), code=Code.CLOSED)
    checked = check_uploads(list(files))
    if not body.strip() and not checked:
        raise DomainError(_("Write a message or attach a file."), code=Code.EMPTY_REPLY)
    comment = Comment.objects.create(
        organisation=request.organisation, request=request, author=actor, body=body.strip()
    )
    for name, data, mime in checked:
        _store_attachment(request, actor, name, data, mime, internal=False, comment=comment)
    _event(request, "customer_reply", actor, comment=comment.pk)
    new_status = rules.status_after_customer_reply(request.status)
    if new_status != request.status:
        _move(request, new_status, actor)
    else:
        _touch(request)
    _notify_assignee(request, comment)
    return comment


def _notify_assignee(request: Request, comment: Comment) -> None:
    if request.assignee is not None:
        enqueue(
            to=request.assignee.email,
            language=request.assignee.language,
            template="request_customer_reply",
            context={
                "number": request.number,
                "subject": request.subject,
                "body": comment.body[:1000],
                "first_name": request.assignee.first_name,
                "url": settings.SITE_URL + reverse("support_console:detail", kwargs={"number": request.number}),
            },
            thread_key=request.number,
        )


@transaction.atomic
def customer_close(*, actor: User, request: Request, http_request: HttpRequest | None = None) -> Request:
    request = _locked(request)
    if not rules.customer_may_close(request.status):
        raise Conflict(_("This request is already closed."), code=Code.ALREADY_CLOSED)
    _move(request, Status.CLOSED, actor)
    audit.record(
        "request.closed", actor=actor, organisation=request.organisation, target=request.number, request=http_request
    )
    _tell_customer(request, "request_closed")
    return request


@transaction.atomic
def customer_reopen(
    *, actor: User, request: Request, reason: str = "", http_request: HttpRequest | None = None
) -> Request:
    request = _locked(request)
    since = request.closed_at or request.resolved_at or request.updated_at
    if not rules.customer_may_reopen(request.status, timezone.now() - since):
        raise Conflict(
            _("This request can no longer be reopened; please submit a new one."), code=Code.REOPEN_WINDOW_PASSED
        )
    reason_comment = None
    if reason.strip():
        reason_comment = Comment.objects.create(
            organisation=request.organisation, request=request, author=actor, body=reason.strip()
        )
    request.closed_at = None
    request.resolved_at = None
    _move(request, Status.IN_PROGRESS, actor, "closed_at", "resolved_at")
    # The reason rides on the event, so the timeline shows it (a bare comment has no place there).
    if reason_comment is not None:
        _event(request, "reopened", actor, comment=reason_comment.pk)
    else:
        _event(request, "reopened", actor)
    return request


@transaction.atomic
def request_rate(*, actor: User, request: Request, rating: int, comment: str = "") -> Request:
    request = _locked(request)
    if request.status not in (Status.RESOLVED, Status.CLOSED):
        raise Conflict(_("You can rate a request once it is resolved."), code=Code.NOT_RESOLVED)
    if rating not in rules.RATING_RANGE:
        raise DomainError(_("Choose a rating from 1 to 5."), code=Code.INVALID_RATING)
    request.rating = rating
    request.rating_comment = comment.strip()[:2000]
    _touch(request, "rating", "rating_comment")
    _event(request, "rated", actor, rating=rating)
    return request


# --- agent side -------------------------------------------------------------------------


def _locked(request: Request) -> Request:
    return (
        Request.objects.select_for_update(of=("self",))
        .select_related("organisation", "requester", "assignee")
        .get(pk=request.pk, organisation=request.organisation)
    )


def _pause_and_resume(request: Request, target: str, now: datetime) -> list[str]:
    """Waiting on the customer stops the resolution clock; leaving it pushes the due time out."""
    changed: list[str] = []
    calendar = calendar_of(request.organisation)
    if target == Status.WAITING and request.waiting_since is None:
        request.waiting_since = now
        changed.append("waiting_since")
    elif request.status == Status.WAITING and target != Status.WAITING and request.waiting_since is not None:
        paused = calendar.business_hours_between(request.waiting_since, now)
        if request.resolution_due is not None and paused > timedelta(0):
            request.resolution_due = calendar.add_business_hours(request.resolution_due, paused)
            changed += ["resolution_due", *sla.mark(request, calendar)]
        request.waiting_since = None
        changed.append("waiting_since")
    return changed


def _move(request: Request, target: str, actor: User | None, *extra_fields: str) -> None:
    now = timezone.now()
    previous = request.status
    changed = _pause_and_resume(request, target, now)
    request.status = target
    if target == Status.RESOLVED:
        request.resolved_at = now
        changed.append("resolved_at")
    if target == Status.CLOSED:
        request.closed_at = now
        changed.append("closed_at")
    _touch(request, "status", *changed, *extra_fields)
    _event(request, "status", actor, previous=previous, status=target)


def _first_response(request: Request) -> list[str]:
    if request.first_response_at is None:
        request.first_response_at = timezone.now()
        return ["first_response_at"]
    return []


@transaction.atomic
def request_assign(
    *, actor: User, request: Request, assignee: User, http_request: HttpRequest | None = None
) -> Request:
    request = _locked(request)
    jurisdiction.ensure_serves(actor, request.organisation)
    jurisdiction.ensure_serves(assignee, request.organisation)
    if request.status == Status.CLOSED:
        raise Conflict(_("A closed request cannot be assigned."), code=Code.CLOSED)
    request.assignee = assignee
    if request.status == Status.SUBMITTED:
        _move(request, Status.ASSIGNED, actor, "assignee")
    else:
        _touch(request, "assignee")
    _event(request, "assigned", actor, assignee=assignee.get_full_name())
    audit.record(
        "request.assigned",
        actor=actor,
        organisation=request.organisation,
        target=request.number,
        data={"assignee": assignee.email},
        request=http_request,
    )
    _tell_customer(request, "request_assigned", agent=assignee.get_full_name())
    return request


@transaction.atomic
def agent_comment(
    *,
    actor: User,
    request: Request,
    body: str,
    internal: bool = False,
    then: str | None = None,
    files: Iterable[tuple[str, bytes]] = (),
    http_request: HttpRequest | None = None,
) -> Comment:
    """A reply to the customer (or an internal note), optionally moving the request on."""
    request = _locked(request)
    jurisdiction.ensure_serves(actor, request.organisation)
    if request.status == Status.CLOSED:
        raise Conflict(_("This request is closed."), code=Code.CLOSED)
    if then is not None and not rules.agent_may_move(request.status, then) and then != request.status:
        raise Conflict(_("That status change is not possible from here."), code=Code.INVALID_TRANSITION)
    checked = check_uploads(list(files))
    if not body.strip():
        raise DomainError(_("Write a message."), code=Code.EMPTY_REPLY)
    comment = Comment.objects.create(
        organisation=request.organisation, request=request, author=actor, body=body.strip(), internal=internal
    )
    for name, data, mime in checked:
        _store_attachment(request, actor, name, data, mime, internal=internal, comment=comment)
    _event(request, "internal_note" if internal else "agent_reply", actor, internal=internal, comment=comment.pk)
    extra = [] if internal else _first_response(request)
    if then and then != request.status:
        _move(request, then, actor, *extra)
    elif extra:
        _touch(request, *extra)
    if not internal:
        template = {
            Status.WAITING: "request_waiting",
            Status.RESOLVED: "request_resolved",
        }.get(request.status, "request_agent_reply")  # type: ignore[call-overload]
        _tell_customer(request, template, body=comment.body[:3000], agent=actor.get_full_name())
    audit.record(
        "request.note" if internal else "request.replied",
        actor=actor,
        organisation=request.organisation,
        target=request.number,
        request=http_request,
    )
    return comment


@transaction.atomic
def request_set_status(
    *, actor: User, request: Request, status: str, http_request: HttpRequest | None = None
) -> Request:
    request = _locked(request)
    jurisdiction.ensure_serves(actor, request.organisation)
    if not rules.agent_may_move(request.status, status):
        raise Conflict(_("That status change is not possible from here."), code=Code.INVALID_TRANSITION)
    extra = _first_response(request) if status in (Status.WAITING, Status.RESOLVED) else []
    _move(request, status, actor, *extra)
    audit.record(
        "request.status",
        actor=actor,
        organisation=request.organisation,
        target=request.number,
        data={"status": status},
        request=http_request,
    )
    template = {Status.WAITING: "request_waiting", Status.RESOLVED: "request_resolved", Status.CLOSED: "request_closed"}
    if status in template:
        _tell_customer(request, template[status])  # type: ignore[index]
    return request


def _centre_language(codes: list[str]) -> str:
    """The first of the centre's languages the interface speaks (Belgium's fr before nl)."""
    return next((code for code in codes if code in dict(settings.LANGUAGES)), "en")


# --- periodic -----------------------------------------------------------------------------


def auto_close_resolved(now: datetime | None = None) -> int:
    """Close resolved requests left without a reply for the set number of business days."""
    now = now or timezone.now()
    closed = 0
    with across_organisations():
        candidates = list(
            Request.objects.filter(status=Status.RESOLVED, resolved_at__isnull=False).select_related("organisation")
        )
    for candidate in candidates:
        calendar = calendar_of(candidate.organisation)
        assert candidate.resolved_at is not None
        deadline_day = calendar.add_business_days(
            candidate.resolved_at.astimezone(calendar.tz).date(), rules.AUTO_CLOSE_AFTER_BUSINESS_DAYS
        )
        if now.astimezone(calendar.tz).date() <= deadline_day:
            continue
        with transaction.atomic(), across_organisations():
            request = _locked(candidate)
            if request.status != Status.RESOLVED:
                continue
            _move(request, Status.CLOSED, None)
            _event(request, "auto_closed", None)
            _tell_customer(request, "request_closed")
            closed += 1
    return closed


def escalate_breaches(now: datetime | None = None) -> int:
    """E-mail the country's lead agent once for each open request past its resolution due time."""
    now = now or timezone.now()
    escalated = 0
    with across_organisations():
        late = list(
            Request.objects.filter(
                status__in=rules.OPEN_STATUSES - {rules.WAITING}, resolution_due__lt=now, escalated_at__isnull=True
            ).select_related("organisation")
        )
    for candidate in late:
        with transaction.atomic(), across_organisations():
            request = _locked(candidate)
            if request.escalated_at is not None:
                continue
            request.escalated_at = now
            request.save(update_fields=["escalated_at"])
            _event(request, "escalated", None, internal=True)
            centre = get_centre(request.organisation.country)
            if centre.lead_agent_email:
                enqueue(
                    to=centre.lead_agent_email,
                    language=_centre_language(centre.language_codes),
                    template="request_escalated",
                    context={
                        "number": request.number,
                        "subject": request.subject,
                        "first_name": "",
                        "due": request.resolution_due.isoformat() if request.resolution_due else "",
                        "url": settings.SITE_URL + reverse("support_console:detail", kwargs={"number": request.number}),
                    },
                    thread_key=request.number,
                )
            escalated += 1
    return escalated
