"""Requests (tickets), their conversation, attachments and timeline."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.core.tenancy import TenantManager

from . import rules


class RequestType(models.TextChoices):
    CONTRACTS = "contracts", _("Contracts")
    ORDERS = "orders", _("Orders and delivery")
    INVENTORY = "inventory", _("Inventory and maintenance")
    INVOICES = "invoices", _("Invoices and payments")
    ACCOUNT = "account", _("Account and access")
    GENERAL = "general", _("General question")


class Status(models.TextChoices):
    SUBMITTED = rules.SUBMITTED, _("Submitted")
    ASSIGNED = rules.ASSIGNED, _("Assigned")
    IN_PROGRESS = rules.IN_PROGRESS, _("In progress")
    WAITING = rules.WAITING, _("Waiting on you")
    RESOLVED = rules.RESOLVED, _("Resolved")
    CLOSED = rules.CLOSED, _("Closed")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Request(models.Model):
    # Neither foreign key below has an index of its own: the composite indexes of Meta lead with
    # each, and every new request wrote the two more (decision 0003 "Creation: indexes").
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="requests", db_index=False
    )
    number = models.CharField(_("number"), max_length=20, unique=True)
    type = models.CharField(_("type"), max_length=16, choices=RequestType.choices)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.SUBMITTED)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), max_length=10000)
    details = models.JSONField(_("details"), default=dict, blank=True)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="requests")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_requests",
        db_index=False,
    )
    contact_name = models.CharField(_("contact"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    first_response_at = models.DateTimeField(null=True, blank=True)
    first_response_due = models.DateTimeField(null=True, blank=True)
    resolution_due = models.DateTimeField(null=True, blank=True)
    # Where the request stands against resolution_due, as instants the business calendar computed
    # when the due time was set (services.mark_sla): from sla_at_risk_from on it is "at risk", from
    # sla_breached_from on "breached". A state is then a comparison with now, in SQL or on the row,
    # that needs no periodic re-evaluation and no calendar walk per row.
    sla_at_risk_from = models.DateTimeField(null=True, blank=True, editable=False)
    sla_breached_from = models.DateTimeField(null=True, blank=True, editable=False)
    waiting_since = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.TextField(blank=True, max_length=2000)

    objects: ClassVar[models.Manager[Request]] = TenantManager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"]),
            models.Index(fields=["organisation", "status", "-created_at"]),
            models.Index(fields=["status", "resolution_due"]),
            models.Index(fields=["status", "sla_breached_from"], name="support_req_status_breach_idx"),
            models.Index(fields=["assignee", "status"]),
            # The console home's chart: requests resolved in the last 30 days (a few thousand of 200,000).
            models.Index(
                fields=["resolved_at"], name="support_req_resolved_idx", condition=Q(resolved_at__isnull=False)
            ),
            # The agents' queue (open requests in their order, support.selectors.QUEUE_ORDERING): its first
            # page is read in that order from a few thousand open requests, not sorted from all of them.
            # Its count ("more than 1,000") reads the organisation from the index alone (PostgreSQL's
            # INCLUDE; an index-only scan joined to the country's organisations): 3 to 10 ms, 0.5 ms after.
            models.Index(
                fields=["resolution_due", "created_at", "id"],
                name="support_req_open_queue_idx",
                condition=Q(status__in=sorted(rules.OPEN_STATUSES)),
                include=["organisation"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="rating_1_to_5"
            )
        ]
        verbose_name = _("request")
        verbose_name_plural = _("requests")

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in rules.OPEN_STATUSES


class Comment(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=10000)
    internal = models.BooleanField(default=False, help_text=_("Seen by agents only."))
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Comment]] = TenantManager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.body[:40]}"


class Attachment(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="attachments")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    internal = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Attachment]] = TenantManager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.original_name


class Event(models.Model):
    """The request's timeline: every change a customer or agent would care about."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    internal = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Event]] = TenantManager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"


class CannedReply(models.Model):
    """A prepared answer an agent can insert, per language (and country, if set)."""

    title = models.CharField(_("title"), max_length=100)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    country = models.CharField(_("country"), max_length=2, blank=True)
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["language", "title"]
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")

    def __str__(self) -> str:
        return f"[{self.language}] {self.title}"
