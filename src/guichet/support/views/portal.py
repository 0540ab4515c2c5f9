"""Customer pages of My requests: list, new (typed, pre-filled), detail with timeline, actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.access import application_required
from guichet.accounts.http import CustomerRequest
from guichet.core.errors import DomainError

from .. import selectors, services
from ..forms import ListFilterForm, RatingForm, ReopenForm, ReplyForm, RequestForm, TypeChoiceForm
from ..models import Attachment, RequestType

requests_required = application_required("requests")


def _files(form_files: list[UploadedFile]) -> list[tuple[str, bytes]]:
    return [(f.name or "file", f.read()) for f in form_files]


@requests_required
def request_list(request: CustomerRequest) -> HttpResponse:
    filters = ListFilterForm(request.GET or None)
    status = query = ""
    if filters.is_valid():
        status, query = filters.cleaned_data["status"], filters.cleaned_data["q"]
    page = Paginator(selectors.requests_of(request.organisation, status=status, query=query), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "support/list.html", {"page": page, "filters": filters})


@requests_required
def request_new(request: CustomerRequest) -> HttpResponse:
    request_type = request.GET.get("type") or request.POST.get("type", "")
    if request_type not in RequestType.values:
        return render(request, "support/choose_type.html", {"form": TypeChoiceForm()})
    user = request.user
    initial = {
        "contact_name": user.get_full_name(),
        "contact_email": user.email,
        "contact_phone": user.phone,
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
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "support/new.html",
        {"form": form, "request_type": request_type, "type_label": RequestType(request_type).label},
        status=status,
    )


@requests_required
def request_detail(request: CustomerRequest, number: str) -> HttpResponse:
    item = selectors.get_request_for(request.organisation, number)
    return render(
        request,
        "support/detail.html",
        {
            "item": item,
            "timeline": selectors.timeline_of(item, include_internal=False),
            "attachments": selectors.attachments_of(item, include_internal=False),
            "reply_form": ReplyForm(),
            "rating_form": RatingForm(),
            "reopen_form": ReopenForm(),
        },
    )


def _back(number: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("support:detail", kwargs={"number": number}), status=303)


@require_POST
@requests_required
def request_reply(request: CustomerRequest, number: str) -> HttpResponse:
    item = selectors.get_request_for(request.organisation, number)
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
@requests_required
def request_close(request: CustomerRequest, number: str) -> HttpResponse:
    item = selectors.get_request_for(request.organisation, number)
    try:
        services.customer_close(actor=request.user, request=item, http_request=request)
    except DomainError as error:
        messages.error(request, str(error.message))
    return _back(number)


@require_POST
@requests_required
def request_reopen(request: CustomerRequest, number: str) -> HttpResponse:
    item = selectors.get_request_for(request.organisation, number)
    form = ReopenForm(request.POST)
    try:
        services.customer_reopen(
            actor=request.user, request=item, reason=form.data.get("reason", "")[:2000], http_request=request
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    return _back(number)


@require_POST
@requests_required
def request_rate(request: CustomerRequest, number: str) -> HttpResponse:
    item = selectors.get_request_for(request.organisation, number)
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


@requests_required
def attachment_download(request: CustomerRequest, number: str, pk: int) -> FileResponse:
    item = selectors.get_request_for(request.organisation, number)
    attachment = selectors.get_attachment_for(item, pk, include_internal=False)
    return _download(attachment)


def _download(attachment: Attachment) -> FileResponse:
    # Always a download, never shown inline: an uploaded file is never rendered by our origin.
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
