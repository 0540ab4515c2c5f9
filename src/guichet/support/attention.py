"""Support's answer for the home (core/home.py): requests waiting for the person's reply, open requests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.accounts import jurisdiction
from guichet.accounts.models import User
from guichet.core.home import ITEMS_PER_KIND, AttentionItem, Day, Figure, Queue, QueueRow, Viewer
from guichet.core.tenancy import across_organisations

from . import rules, sla
from .models import Request

APPLICATION = "requests"


class SupportHome:
    """Requests waiting for the requester's reply; open requests."""

    reads = ("support",)

    def attention(self, viewer: Viewer) -> list[AttentionItem]:
        if APPLICATION not in viewer.applications:
            return []
        # Waiting on the customer: the one who asked is the one whose answer the agent waits for.
        # No rule sets a deadline for that answer (the service-level clock is paused meanwhile).
        waiting = Request.objects.filter(
            organisation=viewer.organisation, requester=viewer.user, status=rules.WAITING
        ).order_by("waiting_since", "pk")[:ITEMS_PER_KIND]
        label = _("Request waiting for your reply")
        return [
            AttentionItem(
                kind="request_reply",
                label=label,
                number=request.number,
                title=request.subject,
                due=None,
                url=reverse("support:detail", args=[request.number]),
                application=APPLICATION,
            )
            for request in waiting.only("number", "subject")
        ]

    def figures(self, viewer: Viewer) -> dict[str, list[Figure]]:
        if APPLICATION not in viewer.applications:
            return {}
        count = Request.objects.filter(organisation=viewer.organisation, status__in=rules.OPEN_STATUSES).count()
        return {
            APPLICATION: [
                Figure(
                    label=ngettext("open request", "open requests", count),
                    value=str(count),
                    url=reverse("support:list") + "?status=open",
                )
            ]
        }


# --- the agents' console home -------------------------------------------------------------------

ROWS_PER_QUEUE = 5
CHART_DAYS = 30


class SupportConsole:
    """The agent's own queues, the requests of their jurisdiction, and the last 30 days' flow."""

    reads = ("support",)  # (and the organisations' names in the queues: every console answer reads accounts)

    def _open(self, staff: User) -> QuerySet[Request]:
        return Request.objects.filter(jurisdiction.served_by(staff), status__in=rules.OPEN_STATUSES)

    def queues(self, staff: User) -> list[Queue]:
        now = timezone.now()
        # The same tests as the queue's filters, on the stored service-level marks (support/sla.py).
        wanted = {
            "mine": (_("Assigned to me"), Q(assignee=staff), "?assignee=me"),
            "at_risk": (_("Service level at risk"), sla.at_risk_q(now), "?sla=at_risk"),
            "breached": (_("Service level breached"), sla.breached_q(now), "?sla=breached"),
            "unassigned": (_("Unassigned"), Q(assignee__isnull=True), "?assignee=none"),
        }
        # The clock moves a running request into "at risk" or "breached" when it passes one of its
        # marks: the next such moment, in the same pass, says until when the queues stay right.
        running = Q(status__in=rules.OPEN_STATUSES - {rules.WAITING})
        marks = {
            "next_at_risk": Min("sla_at_risk_from", filter=running & Q(sla_at_risk_from__gt=now)),
            "next_breach": Min("sla_breached_from", filter=running & Q(sla_breached_from__gt=now)),
        }
        with across_organisations():
            requests = self._open(staff)
            counts = requests.aggregate(
                **{key: Count("pk", filter=test) for key, (_l, test, _q) in wanted.items()}, **marks
            )
            until = min((counts[mark] for mark in marks if counts[mark] is not None), default=None)
            queue_url = reverse("support_console:queue")
            queues = []
            for key, (label, test, query) in wanted.items():
                rows = (
                    requests.filter(test)
                    .select_related("organisation")
                    .only("number", "subject", "resolution_due", "organisation__name")
                    .order_by("resolution_due", "created_at")
                )
                queues.append(
                    Queue(
                        key=key,
                        label=str(label),
                        count=counts[key],
                        url=queue_url + query,
                        rows=[
                            QueueRow(
                                number=row.number,
                                title=row.subject,
                                organisation=row.organisation.name,
                                due=row.resolution_due,
                                url=reverse("support_console:detail", args=[row.number]),
                            )
                            for row in rows[:ROWS_PER_QUEUE]
                        ],
                        until=until,
                    )
                )
        return queues

    def figures(self, staff: User) -> list[Figure]:
        with across_organisations():
            count = self._open(staff).count()
        return [Figure(label=_("open requests"), value=str(count), url=reverse("support_console:queue"))]

    def days(self, staff: User, today: date) -> list[Day]:
        zone = timezone.get_current_timezone()
        first = today - timedelta(days=CHART_DAYS - 1)
        since = datetime.combine(first, time.min, tzinfo=zone)
        with across_organisations():
            mine = Request.objects.filter(jurisdiction.served_by(staff))
            opened = dict(
                mine.filter(created_at__gte=since)
                .annotate(day=TruncDate("created_at", tzinfo=zone))
                .values("day")
                .annotate(n=Count("pk"))
                .values_list("day", "n")
            )
            resolved = {
                day: (n, met)
                for day, n, met in mine.filter(resolved_at__gte=since)
                .annotate(day=TruncDate("resolved_at", tzinfo=zone))
                .values("day")
                .annotate(n=Count("pk"), met=Count("pk", filter=Q(resolved_at__lte=F("resolution_due"))))
                .values_list("day", "n", "met")
            }
        return [
            Day(
                day=day,
                opened=opened.get(day, 0),
                resolved=resolved.get(day, (0, 0))[0],
                met=resolved.get(day, (0, 0))[1],
            )
            for day in (first + timedelta(days=offset) for offset in range(CHART_DAYS))
        ]
