"""The organisation's own business on the home (core/home.py): access and join requests a customer admin decides."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from guichet.core.home import ITEMS_PER_KIND, AttentionItem, Day, Figure, Queue, Viewer
from guichet.core.tenancy import across_organisations

from . import jurisdiction
from .models import AccessRequest, Application, JoinRequest, User


class AccountsHome:
    """Customer admins decide their colleagues' access and who joins."""

    reads = ("accounts",)  # the requests, and the names of who asks

    def attention(self, viewer: Viewer) -> list[AttentionItem]:
        if not viewer.is_admin:
            return []
        team = reverse("portal:team")
        access = (
            AccessRequest.objects.filter(organisation=viewer.organisation, status=AccessRequest.Status.PENDING)
            .select_related("user")
            .order_by("created_at", "pk")[:ITEMS_PER_KIND]
        )
        joining = (
            JoinRequest.objects.filter(organisation=viewer.organisation, status=JoinRequest.Status.PENDING)
            .select_related("user")
            .order_by("created_at", "pk")[:ITEMS_PER_KIND]
        )
        items = [
            AttentionItem(
                kind="access_request",
                label=_("Access to decide"),
                number="",
                title=_("%(name)s asks for %(application)s")
                % {
                    "name": row.user.shown_as,
                    "application": Application(row.application).label,
                },
                due=None,
                url=team,
                application="",
            )
            for row in access
        ]
        items += [
            AttentionItem(
                kind="join_request",
                label=_("Applicant to decide"),
                number="",
                title=_("%(name)s asks to join the organisation")
                % {"name": row.user.shown_as},
                due=None,
                url=f"{team}#applicant-{row.pk}",
                application="",
            )
            for row in joining
        ]
        return items

    def figures(self, viewer: Viewer) -> dict[str, list[Figure]]:
        return {}


class AccountsConsole:
    reads = ("accounts",)

    def figures(self, staff: User) -> list[Figure]:
        with across_organisations():
            pending = AccessRequest.objects.filter(
                jurisdiction.served_by(staff), status=AccessRequest.Status.PENDING
            ).count()
        return [
            Figure(label=_("access requests to decide"), value=str(pending), url=reverse("console:access_requests"))
        ]

    def queues(self, staff: User) -> list[Queue]:
        return []

    def days(self, staff: User, today: date) -> list[Day]:
        return []
