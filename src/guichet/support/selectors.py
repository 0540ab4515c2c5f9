"""Reads on requests. Customers: their organisation's. Agents: their country's queue."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.db import connection
from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from guichet.accounts import jurisdiction
from guichet.accounts.models import Organisation, User
from guichet.core.calendar import BusinessCalendar, calendar_of
from guichet.core.tenancy import across_organisations

from . import rules, sla
from .models import Attachment, CannedReply, Comment, Event, Request, Status

SEARCH_CONFIG = "guichet_unaccent"  # created by migration 0002 on PostgreSQL


def _search(requests: QuerySet[Request], query: str) -> QuerySet[Request]:
    query = query.strip()[:200]
    if not query:
        return requests
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        text_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        in_comments: QuerySet[Any, Any] = (
            Comment.objects.annotate(document=SearchVector("body", config=SEARCH_CONFIG))
            .filter(document=text_query)
            .values("request_id")
        )
        return requests.annotate(
            document=SearchVector("number", "subject", "description", config=SEARCH_CONFIG)
        ).filter(Q(document=text_query) | Q(number__iexact=query) | Q(pk__in=in_comments))
    # SQLite: case-insensitive containment of every word, in the request or one of its comments.
    for word in query.split():
        word_in_comments = Comment.objects.filter(body__icontains=word).values("request_id")
        requests = requests.filter(
            Q(number__icontains=word)
            | Q(subject__icontains=word)
            | Q(description__icontains=word)
            | Q(pk__in=word_in_comments)
        )
    return requests


# --- customers ------------------------------------------------------------------------------


def _visible(organisation: Organisation, questions_of: User | None) -> QuerySet[Request]:
    """The organisation's requests; only `questions_of`'s own questions for someone without the grant."""
    requests = Request.objects.filter(organisation=organisation)
    if questions_of is not None:
        requests = requests.filter(requester=questions_of, type=rules.QUESTION_TYPE)
    return requests


def requests_of(
    organisation: Organisation, *, status: str = "", query: str = "", questions_of: User | None = None
) -> QuerySet[Request]:
    requests = _visible(organisation, questions_of).select_related("requester", "assignee")
    if status == "open":
        requests = requests.filter(status__in=rules.OPEN_STATUSES)
    elif status in Status.values:
        requests = requests.filter(status=status)
    return _search(requests, query).order_by("-created_at")


def get_request_for(organisation: Organisation, number: str, *, questions_of: User | None = None) -> Request:
    """One request by number; a request the reader may not see is a 404 like a missing one."""
    request = (
        _visible(organisation, questions_of)
        .filter(number=number)
        .select_related("organisation", "requester", "assignee")
        .first()
    )
    if request is None:
        raise Http404
    return request


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    actor: User | None
    data: dict[str, object]
    comment: Comment | None
    internal: bool
    files: tuple[Attachment, ...] = ()  # the comment's files, oldest first


def open_request_for(organisation: Organisation, number: str) -> Request | None:
    """The organisation's request `number` unless it is closed (or there is none): one another
    context filed and may still answer on (a termination's notice, an invoice dispute)."""
    request = Request.objects.filter(organisation=organisation, number=number).first() if number else None
    return None if request is None or request.status == rules.CLOSED else request


@dataclass(frozen=True)
class Conversation:
    timeline: list[TimelineEntry]
    attachments: list[Attachment]  # every file of the request the reader may see, oldest first


def conversation_of(request: Request, *, include_internal: bool) -> Conversation:
    """Every event of the request, oldest first, with each comment's text and files beside it, and
    the request's files. The timeline shows the comments its events name, so those are the ones
    read (none, no query: a request nobody has answered yet); then the files, once, for both the
    comments and the request's list of files. Two or three queries whatever their number."""
    visible = Event.objects.filter(organisation=request.organisation, request=request).select_related("actor")
    if not include_internal:
        visible = visible.filter(internal=False)
    events = list(visible)
    named = {event.data["comment"] for event in events if isinstance(event.data.get("comment"), int)}
    by_id: dict[int, Comment] = {}
    if named:
        comments = Comment.objects.filter(organisation=request.organisation, request=request, pk__in=named)
        if not include_internal:
            comments = comments.filter(internal=False)
        by_id = {comment.pk: comment for comment in comments.select_related("author")}
    files = attachments_of(request, include_internal=True)
    if not include_internal:
        # The files this reader may list, and every file of a comment they may read (as the
        # comment's own files were shown before: by their comment, whatever their flag).
        files = files.filter(Q(internal=False) | Q(comment__in=list(by_id)))
    read = list(files)
    of_comment: dict[int, list[Attachment]] = {}
    for file in read:
        if file.comment_id is not None:
            of_comment.setdefault(file.comment_id, []).append(file)
    entries = []
    for event in events:
        named_id = event.data.get("comment")
        comment = by_id.get(named_id) if isinstance(named_id, int) else None
        if "comment" in event.data and comment is None:
            continue  # an internal note hidden from this reader
        entries.append(
            TimelineEntry(
                event.created_at,
                event.kind,
                event.actor,
                event.data,
                comment,
                event.internal,
                tuple(of_comment.get(comment.pk, ())) if comment is not None else (),
            )
        )
    listed = read if include_internal else [file for file in read if not file.internal]
    return Conversation(entries, listed)


def attachments_of(request: Request, *, include_internal: bool) -> QuerySet[Attachment]:
    # Files sent together share their transaction's time on PostgreSQL: the id orders them as they came.
    attachments = Attachment.objects.filter(organisation=request.organisation, request=request).order_by(
        "created_at", "id"
    )
    return attachments if include_internal else attachments.filter(internal=False)


def get_attachment_for(request: Request, pk: int, *, include_internal: bool) -> Attachment:
    attachment = attachments_of(request, include_internal=include_internal).filter(pk=pk).first()
    if attachment is None:
        raise Http404
    return attachment


# --- agents ---------------------------------------------------------------------------------


def _staff_requests(staff: User) -> QuerySet[Request]:
    return Request.objects.filter(jurisdiction.served_by(staff))


@dataclass(frozen=True)
class QueueFilters:
    country: str = ""
    type: str = ""
    status: str = "open"
    sla: str = ""  # "", "at_risk", "breached"
    assignee: str = ""  # "", "me", "none"
    query: str = ""


# Soonest due first (none due: last), then oldest; the primary key makes each row's place unique (keyset pages).
QUEUE_ORDERING = ("resolution_due", "created_at", "id")
# What a queue row prints and its service level needs, read as columns (support/rows.py): no model
# instance per request, organisation and assignee, no description or details read.
QUEUE_COLUMNS = (
    "id",
    "created_at",
    "number",
    "subject",
    "type",
    "priority",
    "status",
    "resolution_due",
    "sla_at_risk_from",
    "sla_breached_from",
    "organisation__name",
    "organisation__country",
    "organisation__province",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__email",
)


def queue_for(staff: User, filters: QueueFilters, now: datetime | None = None) -> QuerySet[Request]:
    now = now or timezone.now()
    with across_organisations():
        requests = _staff_requests(staff).select_related("organisation", "assignee")
        if filters.country:
            requests = requests.filter(organisation__country=filters.country)
        if filters.type:
            requests = requests.filter(type=filters.type)
        if filters.status == "open":
            requests = requests.filter(status__in=rules.OPEN_STATUSES)
        elif filters.status in Status.values:
            requests = requests.filter(status=filters.status)
        if filters.assignee == "me":
            requests = requests.filter(assignee=staff)
        elif filters.assignee == "none":
            requests = requests.filter(assignee__isnull=True)
        # Exactly what each row shows: the marks are the business calendar's instants (support/sla.py).
        if filters.sla == "breached":
            requests = requests.filter(sla.breached_q(now))
        elif filters.sla == "at_risk":
            requests = requests.filter(sla.at_risk_q(now))
        return _search(requests, filters.query).order_by(*QUEUE_ORDERING)


def get_request_for_staff(staff: User, number: str) -> Request:
    with across_organisations():
        # The number is unique: no ordering to compile or sort (`.first()` ordered by the date).
        found = _staff_requests(staff).filter(number=number).select_related("organisation", "requester", "assignee")
        request = next(iter(found.order_by()[:1]), None)
    if request is None:
        raise Http404
    return request


def agents_for(country: str) -> QuerySet[User]:
    return User.objects.filter(kind=User.Kind.AGENT, country=country, is_active=True).order_by("last_name")


def canned_replies_for(language: str, country: str) -> QuerySet[CannedReply]:
    return CannedReply.objects.filter(language=language).filter(Q(country="") | Q(country=country))


def satisfaction(staff: User) -> dict[str, list[Any]]:
    """Average rating and count per agent and per request type, over rated requests."""
    with across_organisations():
        rated = _staff_requests(staff).filter(rating__isnull=False)
        per_agent = list(
            rated.values("assignee__first_name", "assignee__last_name")
            .annotate(average=Avg("rating"), count=Count("id"))
            .order_by("-count")
        )
        per_type = list(rated.values("type").annotate(average=Avg("rating"), count=Count("id")).order_by("type"))
    return {"per_agent": per_agent, "per_type": per_type}


@dataclass(frozen=True)
class SlaView:
    state: str  # ok, at_risk, breached, paused, done
    due: datetime | None
    remaining: timedelta | None


def sla_of(request: Request, now: datetime | None = None) -> SlaView:
    """Where the request stands against its resolution target, in business time."""
    return sla_view(request, lambda: calendar_of(request.organisation), now or timezone.now())


class SlaRow(sla.Due, Protocol):
    status: str


def sla_view(row: SlaRow, calendar: Callable[[], BusinessCalendar], now: datetime) -> SlaView:
    """`sla_of` for a request or a row read as columns (the queue), `calendar()` its organisation's."""
    if row.status in (Status.RESOLVED, Status.CLOSED):
        return SlaView("done", row.resolution_due, None)
    if row.status == Status.WAITING:
        return SlaView("paused", row.resolution_due, None)
    due = row.resolution_due
    if due is None:
        return SlaView("ok", None, None)
    business = calendar()
    if now >= due:
        return SlaView("breached", due, -business.business_hours_between(due, now))
    # The state is a comparison with the stored marks; only the time left is counted (closed form).
    remaining = business.business_hours_between(now, due)
    at_risk_from, breached_from = row.sla_at_risk_from, row.sla_breached_from
    if breached_from is None:  # a row written before the marks existed: computed, not stored
        at_risk_from, breached_from = sla.marks(business, due, row.type, row.priority)
    return SlaView(sla.state_between(at_risk_from, breached_from, now), due, remaining)
