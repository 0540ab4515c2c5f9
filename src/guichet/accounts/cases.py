"""Access requests in the case index (seen by the organisation's administrators only)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from guichet.core import cases
from guichet.core.models import CaseStatus, WaitsFor
from guichet.core.tenancy import across_organisations

from .models import AccessRequest, Application

KIND = "access_request"

STATUS = {
    AccessRequest.Status.PENDING: (CaseStatus.OPEN, WaitsFor.VENDOR),
    AccessRequest.Status.GRANTED: (CaseStatus.RESOLVED, WaitsFor.NOBODY),
    AccessRequest.Status.REFUSED: (CaseStatus.REFUSED, WaitsFor.NOBODY),
}


def _application_label(access_request: AccessRequest) -> str:
    """The application's name, not its code: stored once, so in the organisation's language (the
    language its documents use), as the index keeps one title per case."""
    try:
        application = Application(access_request.application)
    except ValueError:
        return access_request.application
    with translation.override(access_request.organisation.language):
        return str(application.label)


def facts_of(access_request: AccessRequest) -> cases.CaseFacts:
    status, waits_for = STATUS[AccessRequest.Status(access_request.status)]
    user = access_request.user
    moments = (access_request.created_at, access_request.decided_at)
    return cases.CaseFacts(
        organisation_id=access_request.organisation_id,
        kind=KIND,
        source_id=access_request.pk,
        number=f"AR-{access_request.pk}",
        title=f"{user.shown_as} · {_application_label(access_request)}"[:200],
        status=status,
        waits_for=waits_for,
        url_name="portal:team",
        url_args={},
        created_at=access_request.created_at,
        updated_at=max(moment for moment in moments if moment is not None),
        requester_id=access_request.user_id,
    )


def every_case() -> Iterator[cases.CaseFacts]:
    with across_organisations():
        for access_request in (
            AccessRequest.objects.select_related("user", "organisation").order_by("pk").iterator(chunk_size=2000)
        ):
            yield facts_of(access_request)


def register() -> None:
    cases.register(cases.CaseSource(KIND, _("Access request"), None, every_case=every_case, position=100))
    cases.track(AccessRequest, KIND, facts_of)
