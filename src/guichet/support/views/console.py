"""Agents' queue: filters, search, assignment, replies and notes, bulk actions, satisfaction."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.access import staff_required
from guichet.accounts.http import PortalRequest
from guichet.accounts.models import User
from guichet.core import listing
from guichet.core.errors import DomainError
from guichet.core.pagination import page_size
from guichet.core.paging import capped_count_of, keyset_page, with_capped_count
from guichet.core.tenancy import tenant_scope

from .. import selectors, services
from ..detail import agent_options, blank_fields, status_control, timeline_html, timeline_rows
from ..forms import AgentReplyForm, BulkForm, QueueFilterForm, StatusForm
from ..rows import centre_zone, queue_rows
from .portal import _download, _files


def _filters(request: PortalRequest) -> tuple[selectors.QueueFilters, SafeString]:
    """The queue's filters and the HTML of its filter form and list tools, which follow from the
    query string and the language only: worked out once per pair in each process (an LRU)."""
    params = request.GET.copy()
    params.pop("cursor", None)  # never read by the filters; the form is bound whenever a parameter is given
    return _filters_of(params.urlencode(), bool(request.GET), translation.get_language() or "")


@lru_cache(maxsize=256)
def _filters_of(query: str, bound: bool, language: str) -> tuple[selectors.QueueFilters, SafeString]:
    params = QueryDict(query)
    form = QueueFilterForm(params if bound else None)
    filters = selectors.QueueFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.QueueFilters(
            country=data["country"],
            type=data["type"],
            status=data["status"] if "status" in params else "open",
            sla=data["sla"],
            assignee=data["assignee"],
            query=data["q"],
        )
    # The export holds every request the filters find (not one page): the cursor is not carried.
    export = params.copy()
    export["export"] = "csv"
    tools = {"exports": [("csv", "?" + export.urlencode())], "filtered": False, "sort": ""}
    html = render_to_string("support/console/queue_filters.html", {"form": form, "list_tools": tools})
    return filters, mark_safe(html)  # noqa: S308 (a Django template's output, escaped by it)


_COUNT = "queue_count"


@staff_required
def queue(request: PortalRequest) -> HttpResponseBase:
    filters, filters_html = _filters(request)
    queue = selectors.queue_for(request.user, filters)
    if listing.export_of(request) == "csv":
        return _queue_csv(queue)
    # The page and its capped count in one statement: one round trip to the database, not two.
    page = keyset_page(
        with_capped_count(queue, _COUNT).values_list(*selectors.QUEUE_COLUMNS, _COUNT, named=True),
        ordering=selectors.QUEUE_ORDERING,
        nullable=("resolution_due",),
        cursor=request.GET.get("cursor"),
        size=page_size("support_queue"),
        name="support-queue",
    )
    rows = queue_rows(page, timezone.now())
    more_than = capped_count_of(page.items, _COUNT, queue)
    context = {"page": page, "rows": rows, "filters_html": filters_html, "more_than": more_than}
    return render(request, "support/console/queue.html", context)


def _queue_csv(queue: Any) -> HttpResponseBase:
    """The filtered queue, in its order, every request (streamed; formula-safe cells)."""
    header = [
        _("Number"),
        _("Subject"),
        _("Customer number"),
        _("Organisation"),
        _("Type"),
        _("Priority"),
        _("Status"),
        _("Assigned to"),
        _("Resolution due"),
    ]
    rows = (
        [
            item.number,
            item.subject,
            item.organisation.customer_number,
            item.organisation.name,
            item.get_type_display(),
            item.get_priority_display(),
            item.get_status_display(),
            item.assignee.shown_as if item.assignee else "",
            item.resolution_due.isoformat() if item.resolution_due else "",
        ]
        for item in queue.order_by(*selectors.QUEUE_ORDERING).iterator(chunk_size=500)
    )
    return listing.csv_export("requests.csv", header, rows)


@staff_required
def detail(request: PortalRequest, number: str) -> HttpResponse:
    item = selectors.get_request_for_staff(request.user, number)
    with tenant_scope(item.organisation):
        conversation = selectors.conversation_of(item, include_internal=True)
        zone = centre_zone(item.organisation.country)
        context = {
            "item": item,
            "sla": selectors.sla_of(item),
            "timeline_html": timeline_html(
                timeline_rows(conversation.timeline, number=item.number, console=True, zone=zone)
            ),
            "attachments": conversation.attachments,
            "reply_fields": blank_fields(AgentReplyForm),
            "status_control": status_control(item.status),
            "agent_options": agent_options(item.organisation.country, item.assignee_id),
        }
        return render(request, "support/console/detail.html", context)


@staff_required
def canned(request: PortalRequest, number: str) -> HttpResponse:
    """The canned replies for this request (its requester's language, its country), loaded when
    the agent opens them on the request's page: most pages are read without one."""
    item = selectors.get_request_for_staff(request.user, number)
    replies = selectors.canned_replies_for(item.requester.language, item.organisation.country)
    return render(request, "support/console/partials/canned.html", {"canned": replies})


def _back(number: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("support_console:detail", kwargs={"number": number}), status=303)


@require_POST
@staff_required
def assign(request: PortalRequest, number: str) -> HttpResponse:
    item = selectors.get_request_for_staff(request.user, number)
    raw = request.POST.get("assignee", "")
    assignee = request.user if raw in ("", "me") else User.objects.filter(pk=raw if raw.isdigit() else 0).first()
    if assignee is None:
        messages.error(request, _("Choose an agent."))
        return _back(number)
    try:
        with tenant_scope(item.organisation):
            services.request_assign(actor=request.user, request=item, assignee=assignee, http_request=request)
    except DomainError as error:
        messages.error(request, str(error.message))
    return _back(number)


@require_POST
@staff_required
def reply(request: PortalRequest, number: str) -> HttpResponse:
    item = selectors.get_request_for_staff(request.user, number)
    form = AgentReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Write a message."))
        return _back(number)
    try:
        with tenant_scope(item.organisation):
            services.agent_comment(
                actor=request.user,
                request=item,
                body=form.cleaned_data["body"],
                internal=form.cleaned_data["internal"],
                then=form.cleaned_data["then"] or None,
                files=_files(form.cleaned_data["attachments"]),
                http_request=request,
            )
    except DomainError as error:
        messages.error(request, str(error.message))
    return _back(number)


@require_POST
@staff_required
def set_status(request: PortalRequest, number: str) -> HttpResponse:
    item = selectors.get_request_for_staff(request.user, number)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            with tenant_scope(item.organisation):
                services.request_set_status(
                    actor=request.user, request=item, status=form.cleaned_data["status"], http_request=request
                )
        except DomainError as error:
            messages.error(request, str(error.message))
    return _back(number)


@require_POST
@staff_required
def bulk(request: PortalRequest) -> HttpResponse:
    # One checkbox per row posts `numbers` several times; a single comma-joined value works too.
    data = request.POST.copy()
    data["numbers"] = ",".join(request.POST.getlist("numbers"))
    form = BulkForm(data)
    if not form.is_valid():
        messages.error(request, _("Choose requests and an action."))
        return HttpResponseRedirect(reverse("support_console:queue"), status=303)
    done = 0
    for number in [n.strip() for n in form.cleaned_data["numbers"].split(",") if n.strip()][:200]:
        try:
            item = selectors.get_request_for_staff(request.user, number)
            with tenant_scope(item.organisation):
                if form.cleaned_data["action"] == "assign_me":
                    services.request_assign(
                        actor=request.user, request=item, assignee=request.user, http_request=request
                    )
                else:
                    services.request_set_status(actor=request.user, request=item, status="closed", http_request=request)
            done += 1
        except (DomainError, Http404):  # one row already closed or not ours must not stop the others
            continue
    messages.success(request, _("%(count)s requests updated.") % {"count": done})
    return HttpResponseRedirect(reverse("support_console:queue"), status=303)


@staff_required
def attachment_download(request: PortalRequest, number: str, pk: int) -> FileResponse:
    item = selectors.get_request_for_staff(request.user, number)
    with tenant_scope(item.organisation):
        return _download(selectors.get_attachment_for(item, pk, include_internal=True))


@staff_required
def satisfaction(request: PortalRequest) -> HttpResponse:
    return render(request, "support/console/satisfaction.html", selectors.satisfaction(request.user))
