"""Agent console: its home (queues, counts, the last 30 days), access requests, organisations, audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.core import home as home_kit
from guichet.core.calendar import today_for_staff
from guichet.core.charts import flow_chart
from guichet.core.errors import DomainError
from guichet.core.pagination import page_of
from guichet.core.rows import moment
from guichet.core.tenancy import tenant_scope

from .. import jurisdiction, selectors, services
from ..access import staff_required
from ..forms import DecisionForm
from ..http import PortalRequest


@staff_required
def home(request: PortalRequest) -> HttpResponse:
    """The console's landing page: the agent's own queues, the counts of each context, the last 30 days."""
    view = home_kit.console_view(request.user, today_for_staff(request.user), jurisdiction.scope(request.user))
    chart = flow_chart(view.days) if view.days else None
    chart_days = [(moment(day.day, "medium"), day) for day in view.days]  # what `|when:"medium"` prints
    return render(request, "accounts/console/dashboard.html", {"view": view, "chart": chart, "chart_days": chart_days})


@staff_required
def access_requests(request: PortalRequest) -> HttpResponse:
    pending = selectors.pending_access_requests_for_staff(request.user)
    return render(request, "accounts/console/home.html", {"pending": pending, "form": DecisionForm()})


@require_POST
@staff_required
def decide(request: PortalRequest, pk: int) -> HttpResponse:
    access_request = selectors.get_access_request_for_staff(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        pending = selectors.pending_access_requests_for_staff(request.user)
        return render(
            request,
            "accounts/console/home.html",
            {"pending": pending, "form": form, "invalid_pk": pk},
            status=400,
        )
    try:
        with tenant_scope(access_request.organisation):
            services.access_request_decide(
                actor=request.user,
                access_request=access_request,
                grant=form.cleaned_data["decision"] == "grant",
                reason=form.cleaned_data["reason"],
                request=request,
            )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Decision recorded; the customer is told by e-mail."))
    return redirect("console:access_requests")


@staff_required
def organisations(request: PortalRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    page = page_of(request, "organisations_console", selectors.search_organisations(request.user, query))
    return render(request, "accounts/console/organisations.html", {"page": page, "q": query})


@staff_required
def organisation(request: PortalRequest, customer_number: str) -> HttpResponse:
    org = selectors.get_organisation_for_staff(request.user, customer_number)
    with tenant_scope(org):
        grants: dict[int, list[str]] = {}
        for grant in selectors.grants_in(org):
            grants.setdefault(grant.user_id, []).append(grant.get_application_display())
        members = [(m, sorted(grants.get(m.user_id, []))) for m in selectors.members_of(org)]
    return render(
        request,
        "accounts/console/organisation.html",
        {
            "org": org,
            "members": members,
            "applicants": selectors.pending_applicants_of(org),
            "audit": selectors.audit_trail_of(org),
        },
    )
