"""Customer pages of My requests: list, new (typed, pre-filled), detail with timeline, actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.access import application_forbidden, case_reader, customer_required
from guichet.accounts.http import CustomerRequest
from guichet.accounts.models import Application, User
from guichet.core import case_selectors
from guichet.core.downloads import stored_download
from guichet.core.errors import DomainError
from guichet.core.pagination import page_size
from guichet.core.paging import capped_count, keyset_page
from guichet.core.rows import case_rows

from .. import rules, selectors, services
from ..detail import blank_fields, timeline_html, timeline_rows
from ..forms import CaseFilterForm, RatingForm, ReopenForm, ReplyForm, RequestForm, TypeChoiceForm, prefilled
from ..models import Attachment, Request, RequestType
from ..rows import centre_zone


def _questions_of(request: CustomerRequest) -> User | None:
    """None for a holder of the grant (the whole organisation's requests), else the reader (own questions)."""
    return None if Application.REQUESTS in request.granted_applications else request.user


def _request(request: CustomerRequest, number: str) -> Request:
    return selectors.get_request_for(request.organisation, number, questions_of=_questions_of(request))


def _files(form_files: list[UploadedFile]) -> list[tuple[str, bytes]]:
    return [(f.name or "file", f.read()) for f in form_files]


@customer_required
def request_list(request: CustomerRequest) -> HttpResponse:
    """My requests: every case of the organisation the reader may see (requests, repairs, disputes, …)."""
    reader = case_reader(request)
    kinds = case_selectors.kinds_in(reader.kinds())
    filters = CaseFilterForm(request.GET or None, kinds=kinds)
    kind = status = query = sort = ""
    if filters.is_valid():
        kind, status = filters.cleaned_data["kind"], filters.cleaned_data["status"]
        query, sort = filters.cleaned_data["q"], filters.cleaned_data["sort"]
    elif filters.is_bound:
        return render(request, "400.html", status=400)
    ordering = case_selectors.ordering_for(sort or case_selectors.DEFAULT_SORT)
    rows = case_selectors.cases_of(request.organisation.pk, reader, kind=kind, status=status, query=query)
    page = keyset_page(
        rows, ordering=ordering, cursor=request.GET.get("cursor"), size=page_size("requests"), name="cases"
    )
    questions_of = _questions_of(request)
    return render(
        request,
        "support/list.html",
        {
            "page": page,
            "rows": case_rows(page, centre_zone(request.organisation.country)),
            "filters": filters,
            "sort": ordering[0],
            "columns": [
                ("number", _("Number")),
                ("kind", _("Kind")),
                ("title", _("Title")),
                ("status", _("Status")),
                ("updated_at", _("Last change")),
            ],
            "more_than": capped_count(rows),
            "questions_only": questions_of is not None,
        },
    )


@customer_required
def request_new(request: CustomerRequest) -> HttpResponse:
    has_grant = _questions_of(request) is None
    request_type = request.GET.get("type") or request.POST.get("type", "")
    if not has_grant and not request_type:
        request_type = rules.QUESTION_TYPE  # the only type open without the grant: no choice to make
    if request_type not in RequestType.values:
        return render(request, "support/choose_type.html", {"form": TypeChoiceForm()})
    if not rules.may_submit(request_type, has_requests_grant=has_grant):
        return application_forbidden(request, Application.REQUESTS)
    user = request.user
    initial = {
        **prefilled(user),
        "subject": request.GET.get("subject", "")[:200],
        **{
            k: v[:30]
            for k, v in request.GET.items()
            if k in ("contract_number", "order_number", "invoice_number", "machine_type", "machine_model", "serial")
        },
    }
    form = RequestForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        request_type=request_type,
        country=request.organisation.country,
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_submit(
                actor=user,
                organisation=request.organisation,
                type=request_type,
                subject=form.cleaned_data["subject"],
                description=form.cleaned_data["description"],
                details=form.details(),
                priority=form.cleaned_data["priority"],
                contact={
                    "name": form.cleaned_data["contact_name"],
                    "email": form.cleaned_data["contact_email"],
                    "phone": form.cleaned_data["contact_phone"],
                },
                files=_files(form.cleaned_data["attachments"]),
                http_request=request,
            )
        except DomainError as error:
            form.add_error("attachments" if "file" in error.code else None, str(error.message))
        else:
            messages.success(
                request,
                _("Request %(number)s sent. A confirmation is on its way by e-mail.") % {"number": created.number},
            )
            return HttpResponseRedirect(reverse("support:detail", kwargs={"number": created.number}))
    # Only a form shown again offers the organisation's own references (up to 500 values a field,
    # read from the contexts that own them): a request sent needs none.
    form.offer_suggestions(request.organisation)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "support/new.html",
        {"form": form, "request_type": request_type, "type_label": RequestType(request_type).label},
        status=status,
    )


@customer_required
def request_detail(request: CustomerRequest, number: str) -> HttpResponse:
    item = _request(request, number)
    conversation = selectors.conversation_of(item, include_internal=False)
    zone = centre_zone(item.organisation.country)
    return render(
        request,
        "support/detail.html",
        {
            "item": item,
            "timeline_html": timeline_html(
                timeline_rows(conversation.timeline, number=item.number, console=False, zone=zone)
            ),
            "attachments": conversation.attachments,
            "reply_fields": blank_fields(ReplyForm),
            "rating_form": RatingForm(),
            "reopen_fields": blank_fields(ReopenForm),
        },
    )


def _back(number: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("support:detail", kwargs={"number": number}), status=303)


@require_POST
@customer_required
def request_reply(request: CustomerRequest, number: str) -> HttpResponse:
    item = _request(request, number)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.customer_reply(
                actor=request.user,
                request=item,
                body=form.cleaned_data["body"],
                files=_files(form.cleaned_data["attachments"]),
                http_request=request,
            )
        except DomainError as error:
            messages.error(request, str(error.message))
            return _back(number)
        messages.success(request, _("Your message has been added."))
    else:
        messages.error(
            request,
            _("Your message could not be added: %(errors)s")
            % {"errors": " ".join(str(e) for errs in form.errors.values() for e in errs)},
        )
    return _back(number)


@require_POST
@customer_required
def request_close(request: CustomerRequest, number: str) -> HttpResponse:
    item = _request(request, number)
    try:
        services.customer_close(actor=request.user, request=item, http_request=request)
    except DomainError as error:
        messages.error(request, str(error.message))
    return _back(number)


@require_POST
@customer_required
def request_reopen(request: CustomerRequest, number: str) -> HttpResponse:
    item = _request(request, number)
    form = ReopenForm(request.POST)
    try:
        services.customer_reopen(
            actor=request.user, request=item, reason=form.data.get("reason", "")[:2000], http_request=request
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    return _back(number)


@require_POST
@customer_required
def request_rate(request: CustomerRequest, number: str) -> HttpResponse:
    item = _request(request, number)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a rating from 1 to 5."))
        return _back(number)
    try:
        services.request_rate(
            actor=request.user, request=item, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Thank you for your rating."))
    return _back(number)


@customer_required
def attachment_download(request: CustomerRequest, number: str, pk: int) -> FileResponse:
    item = _request(request, number)
    attachment = selectors.get_attachment_for(item, pk, include_internal=False)
    return _download(attachment)


def _download(attachment: Attachment) -> FileResponse:
    # Always a download, never shown inline: an uploaded file is never rendered by our origin.
    response = stored_download(attachment.file.open("rb"), attachment.original_name, attachment.content_type)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
