"""Cross-cutting data: support centres, the audit trail, the notification outbox."""

from __future__ import annotations

import uuid
from datetime import time
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .tenancy import TenantManager


class Country(models.TextChoices):
    BE = "BE", _("Belgium")
    CA = "CA", _("Canada")
    RO = "RO", _("Romania")


class SupportCentre(models.Model):
    """A country's support centre: who to call, when, where written notices go.

    Every phone, e-mail address and postal address here is the vendor's, as its
    published FAQs give it (the launch data copies them verbatim). A field left
    empty hides its line everywhere: footer, contact page, help articles, PDFs, API.
    """

    country = models.CharField(_("country"), max_length=2, choices=Country.choices, unique=True)
    timezone = models.CharField(_("time zone"), max_length=64)
    holiday_subdivision = models.CharField(
        _("default holiday subdivision"),
        max_length=8,
        blank=True,
        help_text=_("Province or region whose public holidays apply when an organisation has none."),
    )
    languages = models.CharField(_("languages"), max_length=32, help_text=_("Comma-separated codes."))
    phone = models.CharField(_("operations phone (E.164)"), max_length=20)
    technical_phone = models.CharField(_("technical support phone (E.164)"), max_length=20, blank=True)
    repair_phone = models.CharField(
        _("repair service requests phone (E.164)"),
        max_length=20,
        blank=True,
        help_text=_("Where customers call to ask for a repair; empty: the portal offers none by phone."),
    )
    national_phone = models.CharField(_("national number"), max_length=20, blank=True)
    repair_depot_address = models.TextField(
        _("repair depot address"),
        blank=True,
        help_text=_("Where mail-in repairs are sent (shipping labels); empty: the label says the vendor gives it."),
    )
    fax = models.CharField(_("fax (E.164)"), max_length=20, blank=True)
    opens_at = models.TimeField(
        _("opens at"),
        default=time(9, 0),
        help_text=_("Agents' working hours: requests' deadlines count only these hours."),
    )
    closes_at = models.TimeField(_("closes at"), default=time(17, 0))
    hours_published = models.BooleanField(
        _("opening hours published"),
        default=True,
        help_text=_(
            "Show these hours to customers (and whether the centre is open now). "
            "Off where the vendor publishes no opening hours."
        ),
    )
    notice_address = models.TextField(
        _("written-notice address"),
        blank=True,
        help_text=_("The vendor's company name first, then the full postal address, one line each."),
    )
    support_email = models.EmailField(_("operations e-mail"), blank=True)
    servicepac_email = models.EmailField(_("ServicePac e-mail"), blank=True)
    licence_email = models.EmailField(_("software-destruction confirmations e-mail"), blank=True)
    buytech_email = models.EmailField(
        _("Buy Tech e-mail"),
        blank=True,
        help_text=_("The vendor's asset-recovery team: payment instructions not received, cancelled orders, warranty."),
    )
    lead_agent_email = models.EmailField(
        _("lead agent e-mail"), blank=True, help_text=_("Internal: never shown to customers.")
    )

    class Meta:
        ordering = ["country"]
        verbose_name = _("support centre")
        verbose_name_plural = _("support centres")

    def __str__(self) -> str:
        return str(self.get_country_display())

    @property
    def language_codes(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]

    @property
    def notice_lines(self) -> list[str]:
        return [line.strip() for line in self.notice_address.splitlines() if line.strip()]


class LinkKind(models.TextChoices):
    """The vendor's web pointers a help article may name, each a placeholder `{{ <kind> }}`."""

    OPERATIONS_WEBSITE = "operations_website", _("Customer operations website")
    SUPPORT_PLAN = "support_plan", _("Customer support plan")
    SERVICEPAC_INFO = "servicepac_info", _("ServicePac information")
    KEY_MANAGEMENT = "key_management", _("Key management service centre")
    PASSPORT_ADVANTAGE = "passport_advantage", _("Passport Advantage website")
    SUPPORT_PORTAL = "support_portal", _("Technical support portal")
    RECYCLING = "recycling", _("Product recycling (WEEE)")
    APPLIANCE_HANDBOOK = "appliance_handbook", _("Appliance Support Handbook")
    BUYTECH_PARTNER_FAQ = "buytech_partner_faq", _("Buy Tech partner's FAQ")


class SupportLink(models.Model):
    """One of the vendor's pointers for a country: a named page, with its address when the vendor gave one.

    Without a row a country has no such pointer and every line naming it is hidden;
    with a row but no URL the name is shown without a link.
    """

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    kind = models.CharField(_("kind"), max_length=32, choices=LinkKind.choices)
    url = models.URLField(_("address"), blank=True, max_length=500)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["country", "position", "kind"]
        constraints = [models.UniqueConstraint(fields=["country", "kind"], name="one_link_per_kind_and_country")]
        verbose_name = _("support link")
        verbose_name_plural = _("support links")

    def __str__(self) -> str:
        return f"{self.country} {self.get_kind_display()}"


class SupportLinkTranslation(models.Model):
    link = models.ForeignKey(SupportLink, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    label = models.CharField(_("label"), max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "language"], name="one_link_label_per_language")]
        verbose_name = _("label")
        verbose_name_plural = _("labels")

    def __str__(self) -> str:
        return self.label


class AuditEvent(models.Model):
    """Who did what, when, from where: written in the same transaction as the change."""

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("who (as typed)"), max_length=254, blank=True)
    # No index of its own: the (organisation, -created_at) index below leads with it (decision 0003
    # "Creation: indexes").
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
        db_index=False,
    )
    action = models.CharField(_("what"), max_length=64, db_index=True)
    target = models.CharField(_("object"), max_length=128, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target}"


class OutboxMessage(models.Model):
    """An e-mail owed to someone, written with the change that caused it.

    Delivery is at least once; the Message-ID is minted here, once, so a
    retried send carries the same id and the receiving side can deduplicate.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    created_at = models.DateTimeField(default=timezone.now)
    to = models.EmailField()
    language = models.CharField(max_length=8)
    template = models.CharField(max_length=64)
    context = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(max_length=200, unique=True)
    thread_key = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    available_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # The request (or task) that wrote the row: sent as X-Request-ID, so a message traces back to its logs.
    request_id = models.CharField(max_length=128, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "available_at"])]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return f"{self.template} → {self.to} ({self.status})"

    @staticmethod
    def new_message_id() -> str:
        return f"<{uuid.uuid4().hex}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"


SEQUENCE_KEY_MAX_LENGTH = 64


class NumberSequence(models.Model):
    """The last value given in one numbering series (`support:BE:2026`, `billing:credit_note:RO:2026`, …).

    One row per series, advanced only through `core.numbering`; each context keeps
    the format of its own numbers and only asks here for the next value.
    """

    key = models.CharField(max_length=SEQUENCE_KEY_MAX_LENGTH, unique=True)
    last = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"


class SavedListFilters(models.Model):
    """A person's last filters and order on one list (`core/listing.py`): a bare list URL reopens them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    list_name = models.CharField(max_length=40)
    query = models.CharField(max_length=1000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "list_name"], name="one_saved_filter_per_list")]
        verbose_name = _("saved list filters")
        verbose_name_plural = _("saved list filters")

    def __str__(self) -> str:
        return f"{self.list_name}: {self.query}"


class NotificationCategory(models.TextChoices):
    """What a notification is about; each person chooses per category how e-mails reach them."""

    REQUESTS = "requests", _("Requests")
    CONTRACTS = "contracts", _("Contracts")
    ORDERS = "orders", _("Orders")
    INVOICES = "invoices", _("Invoices")
    INVENTORY = "inventory", _("Machines and repairs")
    BUYTECH = "buytech", _("Buy Tech")
    ACCESS = "access", _("Access")
    ACCOUNT = "account", _("Account and security")


class EmailChoice(models.TextChoices):
    """How one category's e-mails reach a person (the in-portal notification is always created)."""

    EACH = "each", _("One e-mail per message")
    DIGEST = "digest", _("One daily digest")
    OFF = "off", _("No e-mail")


class Notification(models.Model):
    """One message for one person in the portal: the twin of an outbox e-mail to their address.

    Its title is rendered when read, in the reader's language, from the e-mail's own subject
    template and the JSON context the outbox row keeps (ids and business numbers).
    """

    class Email(models.TextChoices):
        SENT = "sent", _("sent by e-mail")
        OFF = "off", _("no e-mail (preference)")
        DIGEST = "digest", _("waiting for the daily digest")
        DIGESTED = "digested", _("sent in a daily digest")

    # No index of its own: `notification_user_newest` leads with it (one index less written per
    # notification, decision 0003 "Creation: indexes").
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    template = models.CharField(max_length=64)
    category = models.CharField(max_length=16, choices=NotificationCategory.choices)
    mandatory = models.BooleanField(default=False)
    context = models.JSONField(default=dict)
    link = models.CharField(max_length=500, blank=True, help_text=_("Path in the portal, without the site."))
    email = models.CharField(max_length=16, choices=Email.choices, default=Email.SENT)
    outbox = models.ForeignKey(OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-id"], name="notification_user_newest"),
            # The bell's count reads only this small index: one person's unread rows.
            models.Index(fields=["user"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
            models.Index(fields=["user"], condition=models.Q(email="digest"), name="notification_digest_due"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.template} → {self.user_id}"


class NotificationPreference(models.Model):
    """A person's choice for one category; no row means one e-mail per message."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=16, choices=NotificationCategory.choices)
    email = models.CharField(max_length=16, choices=EmailChoice.choices, default=EmailChoice.EACH)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "category"], name="notification_preference_unique")]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id} {self.category}: {self.email}"


class CaseStatus(models.TextChoices):
    """One vocabulary for every kind of case: each context's `cases.py` maps its own statuses to it."""

    OPEN = "open", _("Open")
    WAITING = "waiting", _("Waiting for you")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REFUSED = "refused", _("Refused")


class WaitsFor(models.TextChoices):
    CUSTOMER = "customer", _("You")
    VENDOR = "vendor", _("Us")
    NOBODY = "", _("Nobody")


class Case(models.Model):
    """One row per thing a customer asked, whatever context holds it (the index "My requests" lists).

    The contexts own their cases; this is a copy they keep current in the same transaction as
    each change (core/cases.py), rebuilt by `guichet sync_cases`.
    """

    # No index of its own: the `core_case_org_*` indexes lead with it (decision 0003 "Creation: indexes").
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=24)  # a registered CaseSource's kind
    source_id = models.PositiveBigIntegerField()  # the primary key of the context's own row
    number = models.CharField(_("number"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices)
    waits_for = models.CharField(_("waits for"), max_length=10, choices=WaitsFor.choices, blank=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Seen by its requester even without the kind's application (a question to support).
    open_to_requester = models.BooleanField(default=False)
    url_name = models.CharField(max_length=64)
    url_args = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(_("last change"), default=timezone.now)
    # The cases this one carries, [[kind, number], …]: a dispute's or a termination's support request.
    carries = models.JSONField(default=list, blank=True)
    # Set on a carried case: the case that stands for it in the list (its owner's page is where it is followed).
    carried_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried")

    objects: ClassVar[models.Manager[Case]] = TenantManager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "source_id"], name="core_case_one_row_per_source")]
        indexes = [
            # My requests' order; with what the reader filter reads (who may see a row), so the capped
            # count ("more than 1,000") is an index-only scan on PostgreSQL, not 1,001 row fetches.
            models.Index(
                fields=["organisation", "-updated_at", "-id"],
                include=["kind", "open_to_requester", "requester", "carried_by"],
                name="core_case_org_updated",
            ),
            models.Index(fields=["organisation", "kind", "-updated_at"], name="core_case_org_kind"),
            models.Index(fields=["organisation", "status", "-updated_at"], name="core_case_org_status"),
            models.Index(fields=["organisation", "number"], name="core_case_org_number"),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"


class CaseActivity(models.Model):
    """One step of a case, for the organisation's timeline (opened, a new status, an e-mail sent)."""

    class Event(models.TextChoices):
        OPENED = "opened", _("Opened")
        STATUS = "status", _("Status changed")
        NOTIFIED = "notified", _("E-mail sent")

    # No index of its own: `core_caseact_org_at` leads with it (decision 0003 "Creation: indexes").
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=24)  # the case's kind, copied: the timeline filters on it without a join
    event = models.CharField(max_length=16, choices=Event.choices)
    status = models.CharField(max_length=16, choices=CaseStatus.choices)
    note = models.CharField(max_length=64, blank=True)  # for an e-mail: its template
    at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[CaseActivity]] = TenantManager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at", "-id"], name="core_caseact_org_at")]
        verbose_name = _("case activity")
        verbose_name_plural = _("case activities")

    def __str__(self) -> str:
        return f"{self.case_id} {self.event} {self.at:%Y-%m-%d}"
