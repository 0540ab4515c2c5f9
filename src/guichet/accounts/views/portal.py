"""Customer pages: home, applications and access, team, profile, organisation switch."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from guichet.core.errors import DomainError

from .. import home_timeline, homepage, selectors, services
from ..access import application_forbidden, customer_required
from ..forms import AccessRequestForm, ApplicantDecisionForm, GrantForm, InvitationForm, ProfileForm
from ..http import CustomerRequest, PortalRequest
from ..models import AccessRequest, Application
from ..navigation import application_url


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also saves the choice on a signed-in person's profile."""
    response = i18n.set_language(request)
    if request.method == "POST" and request.user.is_authenticated and response.status_code in (302, 303):
        services.language_chosen(request.user, request.POST.get("language", ""))
    return response


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.user.is_vendor_staff:
        return redirect("console:home")
    context: dict[str, Any] = {}
    membership = getattr(request, "membership", None)
    if request.user.is_authenticated and membership is not None:
        viewer = homepage.viewer_of(request.user, membership, request.granted_applications)  # type: ignore[attr-defined]
        context["home"] = homepage.home_content(viewer)
    context["recent_activity"] = home_timeline.recent_activity_for(request)
    return render(request, "accounts/home.html", context)


@customer_required
def application(request: CustomerRequest, application: str) -> HttpResponse:
    """An application's stable address (e-mails link to it): forwards to the context's own pages."""
    if application not in dict(selectors.applications_offered(request.organisation)):
        return render(request, "404.html", status=404)
    if application not in request.granted_applications:
        return application_forbidden(request, application)
    return HttpResponseRedirect(application_url(application))


@customer_required
def access(request: CustomerRequest) -> HttpResponse:
    organisation = request.organisation
    offered = selectors.applications_offered(organisation)
    form = AccessRequestForm(
        request.POST or None, initial={"application": request.GET.get("application")}, applications=offered
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.access_request_create(
                actor=request.user,
                organisation=organisation,
                application=form.cleaned_data["application"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your request has been sent. You will be told by e-mail."))
            return redirect("portal:access")
    requests_by_app: dict[str, AccessRequest] = {}
    for access_request in selectors.access_requests_of(request.user, organisation):
        requests_by_app.setdefault(access_request.application, access_request)
    rows = [
        {
            "application": app,
            "label": label,
            "granted": app in request.granted_applications,
            "last_request": requests_by_app.get(app),
        }
        for app, label in offered
    ]
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/access.html", {"form": form, "rows": rows}, status=status)


@customer_required
def team(request: CustomerRequest) -> HttpResponse:
    organisation = request.organisation
    if not request.membership.is_admin:
        return render(request, "403.html", status=403)
    if request.method == "POST":
        form = GrantForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("That change could not be understood."))
            return redirect("portal:team")
        member = selectors.get_member_for(organisation, form.cleaned_data["user"])
        revoking = form.cleaned_data["action"] == "revoke"
        if revoking and "confirmed" not in request.POST:
            # Revoking a colleague's access binds them at once: review it before it happens.
            label = Application(form.cleaned_data["application"]).label
            return render(request, "accounts/revoke_review.html", {"member": member, "form": form, "label": label})
        change = services.application_revoke if revoking else services.application_grant
        try:
            change(
                actor=request.user,
                organisation=organisation,
                user=member.user,
                application=form.cleaned_data["application"],
                request=request,
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Access updated."))
        return redirect("portal:team")
    grants: dict[int, set[str]] = {}
    for grant in selectors.grants_in(organisation):
        grants.setdefault(grant.user_id, set()).add(grant.application)
    pending = {(r.user_id, r.application) for r in selectors.pending_requests_in(organisation)}
    members = [
        {
            "membership": membership,
            "apps": [
                {
                    "value": app,
                    "label": label,
                    "granted": app in grants.get(membership.user_id, set()),
                    "pending": (membership.user_id, app) in pending,
                    "agent_only": app == Application.CONTRACTS,
                }
                for app, label in selectors.applications_offered(organisation)
            ],
        }
        for membership in selectors.members_of(organisation)
    ]
    return render(
        request,
        "accounts/team.html",
        {
            "members": members,
            "applicants": selectors.pending_applicants_of(organisation),
            "invitation_form": InvitationForm(),
        },
    )


@require_POST
@customer_required
def decide_applicant(request: CustomerRequest, pk: int) -> HttpResponse:
    organisation = request.organisation
    if not request.membership.is_admin:
        return render(request, "403.html", status=403)
    join_request = selectors.get_pending_applicant(organisation, pk)
    form = ApplicantDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That change could not be understood."))
        return redirect("portal:team")
    try:
        services.join_request_decide(
            actor=request.user,
            join_request=join_request,
            approve=form.cleaned_data["decision"] == "approve",
            request=request,
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Decision recorded; the applicant is told by e-mail."))
    return redirect("portal:team")


@require_POST
@customer_required
def invite(request: CustomerRequest) -> HttpResponse:
    if not request.membership.is_admin:
        return render(request, "403.html", status=403)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address."))
        return redirect("portal:team")
    try:
        services.invitation_create(
            actor=request.user, organisation=request.organisation, email=form.cleaned_data["email"], request=request
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The invitation has been sent."))
    return redirect("portal:team")


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation link: shows whose it is; signed in with the invited address, accepts it."""
    try:
        found = services.invitation_from_token(token)
    except DomainError:
        return render(request, "404.html", status=404)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            membership = services.invitation_accept(actor=request.user, token=token, request=request)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            request.session["active_organisation"] = membership.organisation_id
            messages.success(
                request, _("You are now a member of %(organisation)s.") % {"organisation": found.organisation.name}
            )
            return HttpResponseRedirect(reverse("portal:home"), status=303)
    return render(request, "accounts/invitation.html", {"invitation": found})


@login_required
def profile(request: PortalRequest) -> HttpResponse:
    user = request.user
    initial = {f: getattr(user, f) for f in ("first_name", "last_name", "phone", "language")}
    form = ProfileForm(request.POST or None, initial=initial, country=user.country)
    if request.method == "POST":
        if form.is_valid():
            services.profile_update(actor=user, changes=form.cleaned_data, request=request)
            messages.success(request, _("Your profile has been saved."))
            return redirect(_profile_url(user.language))
        return render(request, "accounts/profile.html", {"form": form}, status=400)
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def security(request: PortalRequest) -> HttpResponse:
    """Sign-in methods and the API tokens in force, each revocable."""
    return render(request, "accounts/security.html", {"tokens": selectors.api_tokens_of(request.user)})


@require_POST
@login_required
def revoke_token(request: PortalRequest, pk: int) -> HttpResponse:
    # Someone else's token id revokes nothing and says the same as a missing one.
    if not services.api_tokens_revoke(user=request.user, reason="revoked", request=request, token_id=pk):
        raise Http404
    messages.success(request, _("The token has been revoked."))
    return HttpResponseRedirect(reverse("portal:security"), status=303)


def _profile_url(language: str) -> str:
    from django.utils import translation

    with translation.override(language):
        return reverse("portal:profile")


@require_POST
@customer_required
def switch_organisation(request: CustomerRequest) -> HttpResponse:
    try:
        organisation_id = int(request.POST.get("organisation", ""))
        services.organisation_switch(actor=request.user, organisation_id=organisation_id, request=request)
    except (ValueError, DomainError):
        messages.error(request, _("You are not a member of that organisation."))
        return HttpResponseRedirect(reverse("portal:home"), status=303)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("portal:home")
    return HttpResponseRedirect(next_url, status=303)
