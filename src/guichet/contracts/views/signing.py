"""Signing pages: the customer signs (after re-authenticating), downloads the signed file; agents countersign."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.access import application_required, staff_required
from guichet.accounts.http import CustomerRequest, PortalRequest
from guichet.core.downloads import stored_download
from guichet.core.errors import DomainError

from .. import selectors, signing
from ..documents import contract_context
from ..models import Contract, ContractStatus, Signature

contracts_required = application_required("contracts")


class SignForm(forms.Form):
    accept_terms = forms.BooleanField(
        label=gettext_lazy("I have read the contract and accept its terms."),
        error_messages={"required": gettext_lazy("Confirm that you have read and accept the terms.")},
    )


def _reauthenticate(request: CustomerRequest, next_url: str) -> HttpResponseRedirect:
    url_name = signing.reauthentication_url_name(request.user)
    return HttpResponseRedirect(f"{reverse(url_name)}?{urlencode({'next': next_url})}")


def _sign_page(request: CustomerRequest, contract: Contract, form: SignForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "contracts/sign/sign.html",
        {
            "contract": contract,
            "terms": contract_context(contract, get_language() or contract.organisation.language),
            "form": form,
            "signatures": list(selectors.signatures_of(contract)),
            "awaiting": contract.status == ContractStatus.AWAITING_SIGNATURE,
            "may_sign": signing.may_sign(request.user, request.organisation),
            "mfa": signing.has_mfa(request.user),
            "centre_tz": signing.centre_tz(contract.organisation),
        },
        status=status,
    )


@contracts_required
def sign(request: CustomerRequest, number: str) -> HttpResponse:
    """GET: the terms and the confirmation form; POST: sign. Both need a recent re-authentication."""
    contract = selectors.get_contract_for(request.organisation, number)
    form = SignForm(request.POST or None)
    awaiting = contract.status == ContractStatus.AWAITING_SIGNATURE
    if not awaiting or not signing.may_sign(request.user, request.organisation):
        status = 200 if request.method == "GET" else (409 if not awaiting else 403)
        return _sign_page(request, contract, SignForm(), status=status)
    if not signing.recently_reauthenticated(request, request.user):
        if request.method == "POST":
            messages.warning(request, _("Confirm your identity again, then confirm your signature."))
        return _reauthenticate(request, request.path)
    if request.method != "POST":
        return _sign_page(request, contract, form)
    if not form.is_valid():
        return _sign_page(request, contract, form, status=400)
    try:
        signing.contract_sign(
            actor=request.user,
            organisation=request.organisation,
            contract=contract,
            http_request=request,
            terms_accepted=form.cleaned_data["accept_terms"],
        )
    except signing.ReauthenticationRequired:
        return _reauthenticate(request, request.path)
    except DomainError as error:
        form.add_error(None, str(error.message))
        return _sign_page(request, contract, form, status=error.status)
    messages.success(
        request,
        _("Contract %(number)s is signed. The signed document is ready to download.") % {"number": contract.number},
    )
    return HttpResponseRedirect(reverse("contracts:sign", kwargs={"number": contract.number}), status=303)


def _signed_file(signature: Signature, contract: Contract) -> FileResponse:
    suffix = "countersigned" if signature.party == "vendor" else "signed"
    response = stored_download(signature.document.open("rb"), f"{contract.number}-{suffix}.pdf", "application/pdf")
    response["X-Content-SHA256"] = signature.document_sha256
    return response


@contracts_required
def signed_document(request: CustomerRequest, number: str) -> FileResponse:
    """The latest signed file (countersigned once the vendor has signed)."""
    contract = selectors.get_contract_for(request.organisation, number)
    signature = signing.latest_signature(contract)
    if signature is None:
        raise Http404
    return _signed_file(signature, contract)


@require_POST
@staff_required
def countersign(request: PortalRequest, number: str) -> HttpResponse:
    contract = selectors.get_contract_for_staff(request.user, number)
    try:
        signing.contract_countersign(actor=request.user, contract=contract, http_request=request)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Contract %(number)s is countersigned.") % {"number": contract.number})
    return HttpResponseRedirect(reverse("contracts_console:detail", kwargs={"number": number}), status=303)


@staff_required
def console_signed_document(request: PortalRequest, number: str) -> FileResponse:
    contract = selectors.get_contract_for_staff(request.user, number)
    signature = signing.latest_signature(contract)
    if signature is None:
        raise Http404
    return _signed_file(signature, contract)
