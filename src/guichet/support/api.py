"""Requests API: the same forms, services and selectors as the My requests pages.

Every endpoint resolves the caller's organisation and the `requests` grant
first, then works inside that organisation's tenant scope (API calls arrive
without one). Without the grant, a member may still send a general question
and follow the questions they sent (an identity is enough to ask one).
Requests are addressed by number; another organisation's number is a 404
exactly like a missing one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from guichet.accounts.api_access import (
    AUTH,
    active_organisation,
    case_reader,
    granted_to_caller,
    require_application,
)
from guichet.accounts.models import Language, Organisation, User, shown_name
from guichet.core import case_selectors
from guichet.core.api import Cursor, ErrorOut, InvalidInput, Page, PageOut, PageSize, check_page, json_response
from guichet.core.models import Case, CaseStatus
from guichet.core.paging import COUNT_CAP, capped_count, keyset_page
from guichet.core.tenancy import tenant_scope

from . import rules, selectors, services
from .forms import TYPE_FIELD_NAMES, CaseFilterForm, ListFilterForm, ReplyForm, RequestForm, TypeChoiceForm
from .models import Attachment, Comment, Request, RequestType

router = Router(tags=["requests"], auth=AUTH)

APPLICATION = "requests"
DEFAULT_PAGE_SIZE = 25
CONTACT_FIELDS = {"contact_name": "name", "contact_email": "email", "contact_phone": "phone"}


def _invalid(errors: list[dict[str, Any]]) -> InvalidInput:
    return InvalidInput(_("Some fields are missing or invalid."), details={"errors": errors})


def _form_errors(
    form: forms.Form, prefix: list[str], loc_of: dict[str, list[str]] | None = None
) -> list[dict[str, Any]]:
    """Django form errors as `{"type", "loc", "msg"}` items, the shape of Ninja's own 422s."""
    loc_of = loc_of or {}
    errors = []
    for field, field_errors in form.errors.as_data().items():
        default = [*prefix] if field == NON_FIELD_ERRORS else [*prefix, field]
        loc = loc_of.get(field, default)
        for error in field_errors:
            errors.append({"type": error.code or "invalid", "loc": loc, "msg": " ".join(error.messages)})
    return errors


# --- output ------------------------------------------------------------------------------


class AttachmentOut(Schema):
    name: str
    content_type: str
    size: int
    created_at: datetime


class CommentOut(Schema):
    author: str
    body: str
    created_at: datetime
    attachments: list[AttachmentOut]


class TimelineEntryOut(Schema):
    at: datetime
    kind: str
    actor: str | None
    data: dict[str, Any]
    comment: CommentOut | None


class RequestContactOut(Schema):
    name: str
    email: str
    phone: str


class RequestSummaryOut(Schema):
    number: str
    type: str
    status: str
    priority: str
    subject: str
    requester: str
    assignee: str | None
    created_at: datetime
    updated_at: datetime


class RequestPageOut(PageOut):
    items: list[RequestSummaryOut]
    count_capped: bool = Field(
        False, description=f"True: there are more than `count` ({COUNT_CAP}) requests; the count stops there."
    )
    next: str | None = Field(None, description="Pass as `cursor` for the following page; null on the last page.")


class RequestOut(RequestSummaryOut):
    description: str
    details: dict[str, Any]
    contact: RequestContactOut
    language: str
    resolved_at: datetime | None
    closed_at: datetime | None
    rating: int | None
    attachments: list[AttachmentOut]
    timeline: list[TimelineEntryOut]


class ReplyOut(CommentOut):
    request_status: str


class ChoiceOut(Schema):
    value: str
    label: str


class TypeFieldOut(Schema):
    name: str
    label: str
    required: bool
    help_text: str
    choices: list[ChoiceOut] | None


class RequestTypeOut(Schema):
    type: str
    label: str
    fields: list[TypeFieldOut]


def _name(user: User | None) -> str | None:
    return user.shown_as if user is not None else None


def _attachment(attachment: Attachment | selectors.AttachmentRow) -> dict[str, Any]:
    return {
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "created_at": attachment.created_at,
    }


def _comment(
    comment: Comment | selectors.CommentRow, author: str | None, files: tuple[selectors.AttachmentRow, ...]
) -> dict[str, Any]:
    return {
        "author": author,
        "body": comment.body,
        "created_at": comment.created_at,
        "attachments": [_attachment(a) for a in files],
    }


def _summary_with(item: Any, requester: str | None, assignee: str | None) -> dict[str, Any]:
    """RequestSummaryOut's fields, in its order, from a request or a `_summary_rows()` row."""
    return {
        "number": item.number,
        "type": item.type,
        "status": item.status,
        "priority": item.priority,
        "subject": item.subject,
        "requester": requester,
        "assignee": assignee,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
    }


def _summary(item: Request) -> dict[str, Any]:
    return _summary_with(item, _name(item.requester), _name(item.assignee))


# What a list row reads: the summary's fields and its two people's names, not the whole request
# (description, details, SLA marks) and two whole user rows (password hash included) per row.
_SUMMARY_VALUES = (
    "id",
    "number",
    "type",
    "status",
    "priority",
    "subject",
    "requester__first_name",
    "requester__last_name",
    "requester__email",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__email",
    "created_at",
    "updated_at",
)


def _summary_rows(requests: QuerySet[Request]) -> QuerySet[Any]:
    """The rows of a list page as named tuples (keyset paging reads their `created_at` and `id`)."""
    return requests.values_list(*_SUMMARY_VALUES, named=True)


def _summary_of(row: Any) -> dict[str, Any]:
    """`_summary()` of one `_summary_rows()` row."""
    return _summary_with(
        row,
        shown_name(row.requester__first_name, row.requester__last_name, row.requester__email),
        shown_name(row.assignee__first_name, row.assignee__last_name, row.assignee__email),
    )


def _detail(item: Request, *, submitted: services.Submitted | None = None) -> dict[str, Any]:
    """The request as its customer sees it: internal notes and files left out.

    `submitted`: a request just written by the API (no files): its timeline is its one event, as
    written, and nothing is read back."""
    if submitted is None:
        conversation = selectors.conversation_of(item, include_internal=False)
        entries = conversation.timeline
        attachments = [_attachment(a) for a in conversation.attachments]
    else:
        event = submitted.event
        entries = [
            selectors.TimelineEntry(event.created_at, event.kind, _name(event.actor), event.data, None, event.internal)
        ]
        attachments = []
    timeline = [
        {
            "at": entry.at,
            "kind": entry.kind,
            "actor": entry.actor,
            # The comment's database id stays inside; its text travels in `comment`.
            "data": {key: value for key, value in entry.data.items() if key != "comment"},
            "comment": _comment(entry.comment, entry.comment.author, entry.files)
            if entry.comment is not None
            else None,
        }
        for entry in entries
    ]
    return {
        **_summary(item),
        "description": item.description,
        "details": item.details,
        "contact": {"name": item.contact_name, "email": item.contact_email, "phone": item.contact_phone},
        "language": item.language,
        "resolved_at": item.resolved_at,
        "closed_at": item.closed_at,
        "rating": item.rating,
        "attachments": attachments,
        "timeline": timeline,
    }


# --- endpoints ------------------------------------------------------------------------------

ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _reader(request: HttpRequest) -> tuple[Organisation, User | None]:
    """The active organisation, and whose questions alone the caller sees (None: the grant, all requests).

    An identity is enough to ask a question and follow it (rules.QUESTION_TYPE); the rest needs the grant.
    """
    organisation: Organisation = active_organisation(request)
    granted = APPLICATION in granted_to_caller(request, organisation)
    return organisation, None if granted else request.user  # type: ignore[return-value]


@router.get("requests", response={200: RequestPageOut, **ERRORS})
def list_requests(
    request: HttpRequest,
    status: str = "",
    q: str = "",
    page: Page = 1,
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    cursor: Cursor = "",
) -> HttpResponse:
    """The organisation's requests, newest first (without the grant: the caller's own questions).

    `status`: a status, `open`, or empty for all. Page with `cursor` (the previous page's `next`):
    every page costs the same. `page` above 1 still works (an offset, slower far down; deprecated).
    `count` is counted up to 1,000 (`count_capped`)."""
    organisation, questions_of = _reader(request)
    filters = ListFilterForm({"status": status, "q": q})
    if not filters.is_valid():
        raise _invalid(_form_errors(filters, ["query"]))
    with tenant_scope(organisation):
        requests = selectors.requests_of(
            organisation,
            status=filters.cleaned_data["status"],
            query=filters.cleaned_data["q"],
            questions_of=questions_of,
        )
        count, capped = capped_count(requests)
        rows = _summary_rows(requests)
        items: Iterable[Any]
        following = None
        if page > 1:  # the offset pages clients already use; cursors are the way on
            check_page(page, page_size)
            start = (page - 1) * page_size
            items = rows.order_by("-created_at", "-id")[start : start + page_size]
        else:
            keyset = keyset_page(
                rows, ordering=("-created_at", "-id"), cursor=cursor, size=page_size, name="api-requests"
            )
            items, following = keyset, keyset.next
        # Built in RequestPageOut's field order from values the schema takes as they are, and printed
        # as Ninja prints a validated page (tests/support/test_api_list_output.py: the same bytes).
        return json_response(
            {
                "count": count,
                "items": [_summary_of(row) for row in items],
                "count_capped": capped,
                "next": following,
            }
        )


class ContactIn(Schema):
    name: str | None = None
    email: str | None = None
    phone: str | None = None


class RequestIn(Schema):
    type: str
    subject: str = ""
    description: str = ""
    priority: str = "normal"
    details: dict[str, str | None] = {}
    contact: ContactIn | None = None


def _form_data(user: User, payload: RequestIn) -> dict[str, str]:
    """What the page form would post: profile contact unless overridden, plus the type's fields."""
    contact = payload.contact or ContactIn()
    return {
        "subject": payload.subject,
        "description": payload.description,
        "priority": payload.priority,
        "contact_name": user.get_full_name() if contact.name is None else contact.name,
        "contact_email": user.email if contact.email is None else contact.email,
        "contact_phone": user.phone if contact.phone is None else contact.phone,
        **{name: value or "" for name, value in payload.details.items()},
    }


@router.post("requests", response={201: RequestOut, **ERRORS})
def create_request(request: HttpRequest, payload: RequestIn) -> Status[dict[str, Any]]:
    """Submit a request; validated by the same form as the page, confirmed by e-mail.

    A general question (`general`) needs only an identity; every other type needs the grant."""
    organisation, questions_of = _reader(request)
    user: User = request.user  # type: ignore[assignment]
    body = ["body", "payload"]
    chosen = TypeChoiceForm({"type": payload.type})
    if not chosen.is_valid():
        raise _invalid(_form_errors(chosen, body))
    if not rules.may_submit(payload.type, has_requests_grant=questions_of is None):
        require_application(request, APPLICATION)  # the same 403 as every endpoint of an ungranted application
    specific = TYPE_FIELD_NAMES[payload.type]
    unknown = sorted(set(payload.details) - set(specific))
    if unknown:
        raise _invalid(
            [
                {
                    "type": "unknown_field",
                    "loc": [*body, "details", name],
                    "msg": _("This request type has no such field."),
                }
                for name in unknown
            ]
        )
    form = RequestForm(_form_data(user, payload), request_type=payload.type, country=organisation.country)
    if not form.is_valid():
        loc_of = {
            **{name: [*body, "details", name] for name in specific},
            **{field: [*body, "contact", key] for field, key in CONTACT_FIELDS.items()},
        }
        raise _invalid(_form_errors(form, body, loc_of))
    with tenant_scope(organisation):
        created = services.submit(
            actor=user,
            organisation=organisation,
            type=payload.type,
            subject=form.cleaned_data["subject"],
            description=form.cleaned_data["description"],
            details=form.details(),
            priority=form.cleaned_data["priority"],
            contact={
                "name": form.cleaned_data["contact_name"],
                "email": form.cleaned_data["contact_email"],
                "phone": form.cleaned_data["contact_phone"],
            },
            http_request=request,
        )
        return Status(201, _detail(created.request, submitted=created))


@router.get("requests/{number}", response={200: RequestOut, **ERRORS})
def get_request(request: HttpRequest, number: str) -> dict[str, Any]:
    """One request with its public timeline (agents' internal notes are not part of it)."""
    organisation, questions_of = _reader(request)
    with tenant_scope(organisation):
        return _detail(selectors.get_request_for(organisation, number, questions_of=questions_of))


class ReplyIn(Schema):
    body: str = ""


@router.post("requests/{number}/comments", response={201: ReplyOut, 409: ErrorOut, **ERRORS})
def reply(request: HttpRequest, number: str, payload: ReplyIn) -> Status[dict[str, Any]]:
    """The customer's reply; a request waiting on the customer goes back to the agent."""
    organisation, questions_of = _reader(request)
    form = ReplyForm({"body": payload.body})
    if not form.is_valid():
        raise _invalid(_form_errors(form, ["body", "payload"]))
    with tenant_scope(organisation):
        item = selectors.get_request_for(organisation, number, questions_of=questions_of)
        comment = services.customer_reply(
            actor=request.user,  # type: ignore[arg-type]
            request=item,
            body=form.cleaned_data["body"],
            http_request=request,
        )
        item.refresh_from_db(fields=["status"])
        # A reply through the API carries no files (JSON only): nothing to read back.
        return Status(201, {**_comment(comment, _name(comment.author), ()), "request_status": item.status})


@router.get("request-types", response={200: list[RequestTypeOut], **ERRORS})
def request_types(request: HttpRequest, lang: Language | None = None) -> list[dict[str, Any]]:
    """Each request type with the fields specific to it, labelled in the request's language.

    The language is `lang` if given, else the one the HTTP request asked for (the
    `Accept-Language` header, or the signed-in user's profile for session calls).
    """
    organisation: Organisation = require_application(request, APPLICATION)

    with translation.override(lang or translation.get_language()):
        types = []
        for kind in RequestType:
            form = RequestForm(request_type=kind.value, country=organisation.country)
            fields = []
            for name in TYPE_FIELD_NAMES[kind.value]:
                field = form.fields[name]
                choices = getattr(field, "choices", None)
                fields.append(
                    {
                        "name": name,
                        "label": str(field.label),
                        "required": field.required,
                        "help_text": str(field.help_text),
                        "choices": [{"value": str(v), "label": str(label)} for v, label in choices if v]
                        if choices
                        else None,
                    }
                )
            types.append({"type": kind.value, "label": str(kind.label), "fields": fields})
        return types


# --- the case index: everything the organisation asked, and its timeline ------------------------


class CaseOut(Schema):
    number: str
    kind: str = Field(description="request, repair, transfer, relocation, dispute, termination, …")
    status: str = Field(description="One vocabulary for every kind: " + ", ".join(CaseStatus.values))
    waits_for: str = Field(description="customer, vendor, or empty: nobody")
    title: str
    updated_at: datetime
    url: str = Field(description="The case's own page in the portal.")


class CasePageOut(Schema):
    items: list[CaseOut]
    next: str | None = Field(None, description="Pass as `cursor` for the following page; null on the last page.")


class ActivityOut(Schema):
    at: datetime
    event: str = Field(description="opened, status (a new status), notified (an e-mail was sent)")
    kind: str
    number: str
    title: str
    status: str
    url: str


class ActivityPageOut(Schema):
    items: list[ActivityOut]
    next: str | None = None


def _case_url(case: Case) -> str:
    return settings.SITE_URL + case_selectors.url_of(case) if case_selectors.url_of(case) else ""


def _case(case: Case) -> dict[str, Any]:
    return {
        "number": case.number,
        "kind": case.kind,
        "status": case.status,
        "waits_for": case.waits_for,
        "title": case.title,
        "updated_at": case.updated_at,
        "url": _case_url(case),
    }


@router.get("cases", response={200: CasePageOut, **ERRORS}, tags=["cases"])
def list_cases(
    request: HttpRequest,
    kind: str = "",
    status: str = "",
    q: str = "",
    sort: str = case_selectors.DEFAULT_SORT,
    cursor: Cursor = "",
    page_size: PageSize = DEFAULT_PAGE_SIZE,
) -> dict[str, Any]:
    """Every case of the organisation the caller may see ("My requests"): the kinds of the applications
    they were granted (access requests: administrators), their own questions.

    `status`: a status, `active` (not finished), or empty; `sort`: `updated_at`, `number`, `kind`,
    `title` or `status`, `-` first for descending; page with `cursor` (the previous page's `next`)."""
    organisation, reader = case_reader(request)
    filters = CaseFilterForm(
        {"kind": kind, "status": status, "q": q, "sort": sort}, kinds=case_selectors.kinds_in(reader.kinds())
    )
    if not filters.is_valid():
        raise _invalid(_form_errors(filters, ["query"]))
    with tenant_scope(organisation):
        rows = case_selectors.cases_of(
            organisation.pk,
            reader,
            kind=filters.cleaned_data["kind"],
            status=filters.cleaned_data["status"],
            query=filters.cleaned_data["q"],
        )
        ordering = case_selectors.ordering_for(filters.cleaned_data["sort"] or case_selectors.DEFAULT_SORT)
        page = keyset_page(rows, ordering=ordering, cursor=cursor, size=page_size, name="cases")
        return {"items": [_case(case) for case in page], "next": page.next}


@router.get("activity", response={200: ActivityPageOut, **ERRORS}, tags=["cases"])
def list_activity(request: HttpRequest, cursor: Cursor = "", page_size: PageSize = DEFAULT_PAGE_SIZE) -> dict[str, Any]:
    """The organisation's timeline across the applications the caller was granted, newest first:
    each case opened, each new status, each e-mail sent about a case."""
    organisation, reader = case_reader(request)
    with tenant_scope(organisation):
        activity = case_selectors.activity_of(organisation.pk, reader)
        page = keyset_page(activity, ordering=("-at", "-id"), cursor=cursor, size=page_size, name="activity")
        return {
            "items": [
                {
                    "at": step.at,
                    "event": step.event,
                    "kind": step.kind,
                    "number": step.case.number,
                    "title": step.case.title,
                    "status": step.status,
                    "url": _case_url(step.case),
                }
                for step in page
            ],
            "next": page.next,
        }
