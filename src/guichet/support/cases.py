"""Requests in the case index ("My requests"): their statuses in the shared vocabulary."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from guichet.core import cases
from guichet.core.models import CaseStatus, WaitsFor
from guichet.core.tenancy import across_organisations

from . import rules
from .models import Request

KIND = "request"

STATUS = {
    rules.SUBMITTED: (CaseStatus.OPEN, WaitsFor.VENDOR),
    rules.ASSIGNED: (CaseStatus.IN_PROGRESS, WaitsFor.VENDOR),
    rules.IN_PROGRESS: (CaseStatus.IN_PROGRESS, WaitsFor.VENDOR),
    rules.WAITING: (CaseStatus.WAITING, WaitsFor.CUSTOMER),
    rules.RESOLVED: (CaseStatus.RESOLVED, WaitsFor.NOBODY),
    rules.CLOSED: (CaseStatus.CLOSED, WaitsFor.NOBODY),
}


def facts_of(request: Request) -> cases.CaseFacts:
    status, waits_for = STATUS[request.status]
    return cases.CaseFacts(
        organisation_id=request.organisation_id,
        kind=KIND,
        source_id=request.pk,
        number=request.number,
        title=request.subject[:200],
        status=status,
        waits_for=waits_for,
        url_name="support:detail",
        url_args={"number": request.number},
        created_at=request.created_at,
        updated_at=max(request.updated_at, request.created_at),
        requester_id=request.requester_id,
        # A question is its sender's to follow even without the "requests" grant (rules.QUESTION_TYPE).
        open_to_requester=request.type == rules.QUESTION_TYPE,
    )


def every_case() -> Iterator[cases.CaseFacts]:
    with across_organisations():
        for request in Request.objects.order_by("pk").iterator(chunk_size=2000):
            yield facts_of(request)


def register() -> None:
    cases.register(cases.CaseSource(KIND, _("Request"), "requests", every_case=every_case, position=10))
    cases.track(Request, KIND, facts_of)
