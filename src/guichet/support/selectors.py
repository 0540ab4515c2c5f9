"""Reads on requests. Customers: their organisation's. Agents: their country's queue."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Protocol

from django.db import connection
from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from guichet.accounts import jurisdiction
from guichet.accounts.models import Organisation, User, shown_name
from guichet.core import shapes
from guichet.core.calendar import BusinessCalendar, calendar_of
from guichet.core.tenancy import across_organisations, tenant_scope

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


def _visible(organisation: Organisation | int, questions_of: User | int | None) -> QuerySet[Request]:
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


# A request's pages read it with these (its organisation, its requester, its assignee), through a
# statement compiled once per shape (core/shapes.py): compiling the 72 columns of four tables was a
# fifth of the agent's page's CPU (bench/README.md, "The request pages, third pass").
REQUEST_JOINS = ("organisation", "requester", "assignee")


def _organisation_scope(values: shapes.Values) -> AbstractContextManager[None]:
    return tenant_scope(values["organisation"])


def _request_of_organisation(values: shapes.Values) -> QuerySet[Request]:
    # The number is unique: nothing to sort.
    return _visible(values["organisation"], values["questions_of"]).filter(number=values["number"]).order_by()


def get_request_for(organisation: Organisation, number: str, *, questions_of: User | None = None) -> Request:
    """One request by number, with its organisation, requester and assignee; a request the reader
    may not see (`_visible`) is a 404 like a missing one."""
    values = {
        "organisation": organisation.pk,
        "number": number,
        "questions_of": questions_of.pk if questions_of is not None else None,
    }
    found = shapes.instances(
        Request,
        _request_of_organisation,
        values,
        related=REQUEST_JOINS,
        limit=1,
        required=("organisation",),
        around=_organisation_scope,
    )
    if not found:
        raise Http404
    return found[0]


@dataclass(frozen=True, slots=True)
class CommentRow:
    """A comment as a request's pages and API print it."""

    pk: int
    body: str
    created_at: datetime
    internal: bool
    author: str  # their name, else their address


@dataclass(frozen=True, slots=True)
class AttachmentRow:
    """A request's file as its pages and API list it."""

    pk: int
    comment_id: int | None
    original_name: str
    content_type: str
    size: int
    internal: bool
    created_at: datetime


FILE_FIELDS = ("id", "comment_id", "original_name", "content_type", "size", "internal", "created_at")


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    actor: str | None  # their name, else their address; None for the portal itself
    data: dict[str, object]
    comment: CommentRow | None
    internal: bool
    files: tuple[AttachmentRow, ...] = ()  # the comment's files, oldest first


def open_request_for(organisation: Organisation, number: str) -> Request | None:
    """The organisation's request `number` unless it is closed (or there is none): one another
    context filed and may still answer on (a termination's notice, an invoice dispute)."""
    request = Request.objects.filter(organisation=organisation, number=number).first() if number else None
    return None if request is None or request.status == rules.CLOSED else request


@dataclass(frozen=True)
class Conversation:
    timeline: list[TimelineEntry]
    attachments: list[AttachmentRow]  # every file of the request the reader may see, oldest first


# The conversation's reads, built from their values alone (core/shapes.py compiles each shape once).
def _events(values: shapes.Values) -> QuerySet[Event]:
    events = Event.objects.filter(organisation=values["organisation"], request=values["request"])
    return events if values["internal"] else events.filter(internal=False)


def _comments(values: shapes.Values) -> QuerySet[Comment]:
    comments = Comment.objects.filter(
        organisation=values["organisation"], request=values["request"], pk__in=values["comments"]
    )
    return comments if values["internal"] else comments.filter(internal=False)


def _files(values: shapes.Values) -> QuerySet[Attachment]:
    files = _attachments(values["organisation"], values["request"])
    if not values["internal"]:
        # The files this reader may list, and every file of a comment they may read (as the
        # comment's own files were shown before: by their comment, whatever their flag).
        files = files.filter(Q(internal=False) | Q(comment__in=values["comments"]))
    return files


def conversation_of(request: Request, *, include_internal: bool) -> Conversation:
    """Every event of the request, oldest first, with each comment's text and files beside it, and
    the request's files. The timeline shows the comments its events name, so those are the ones
    read (none, no query: a request nobody has answered yet); then the files, once, for both the
    comments and the request's list of files. Two or three queries whatever their number, each read
    as columns (the names it prints), not model instances."""
    values: dict[str, Any] = {
        "organisation": request.organisation_id,
        "request": request.pk,
        "internal": include_internal,
    }
    read = partial(shapes.read, required=("organisation",), around=_organisation_scope)
    events = read(_events, values, fields=EVENT_FIELDS)
    named = sorted({data["comment"] for _at, _kind, data, *_rest in events if isinstance(data.get("comment"), int)})
    by_id: dict[int, CommentRow] = {}
    if named:
        comments = read(_comments, {**values, "comments": named}, fields=COMMENT_FIELDS)
        for pk, body, at, internal, first, last, email in comments:
            by_id[pk] = CommentRow(pk, body, at, internal, shown_name(first, last, email) or "")
    files = [AttachmentRow(*row) for row in read(_files, {**values, "comments": list(by_id)}, fields=FILE_FIELDS)]
    of_comment: dict[int, list[AttachmentRow]] = {}
    for file in files:
        if file.comment_id is not None:
            of_comment.setdefault(file.comment_id, []).append(file)
    entries = []
    for at, kind, data, internal, first, last, email in events:
        named_id = data.get("comment")
        comment = by_id.get(named_id) if isinstance(named_id, int) else None
        if "comment" in data and comment is None:
            continue  # an internal note hidden from this reader
        entries.append(
            TimelineEntry(
                at,
                kind,
                shown_name(first, last, email),
                data,
                comment,
                internal,
                tuple(of_comment.get(comment.pk, ())) if comment is not None else (),
            )
        )
    listed = files if include_internal else [file for file in files if not file.internal]
    return Conversation(entries, listed)


EVENT_FIELDS = ("created_at", "kind", "data", "internal", "actor__first_name", "actor__last_name", "actor__email")
COMMENT_FIELDS = ("id", "body", "created_at", "internal", "author__first_name", "author__last_name", "author__email")


def _attachments(organisation: Organisation | int, request: Request | int) -> QuerySet[Attachment]:
    # Files sent together share their transaction's time on PostgreSQL: the id orders them as they came.
    return Attachment.objects.filter(organisation=organisation, request=request).order_by("created_at", "id")


def attachments_of(request: Request, *, include_internal: bool) -> QuerySet[Attachment]:
    attachments = _attachments(request.organisation_id, request)
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


def _request_served(values: shapes.Values) -> QuerySet[Request]:
    # The number is unique: no ordering to compile or sort (`.first()` ordered by the date).
    return Request.objects.filter(values["served"], number=values["number"]).order_by()


def get_request_for_staff(staff: User, number: str) -> Request:
    """One request by number among those `staff` serves, with its organisation, requester and assignee."""
    with across_organisations():
        values = {"served": jurisdiction.served_by(staff), "number": number}
        found = shapes.instances(Request, _request_served, values, related=REQUEST_JOINS, limit=1)
    if not found:
        raise Http404
    return found[0]


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
