"""Cross-cutting data: support centres, the audit trail, the notification outbox."""

from __future__ import annotations

import uuid
from datetime import time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    BE = "BE", _("Belgium")
    CA = "CA", _("Canada")
    RO = "RO", _("Romania")


class SupportCentre(models.Model):
    """A country's support centre: who to call, when, where written notices go."""

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
    national_phone = models.CharField(_("national number"), max_length=20, blank=True)
    fax = models.CharField(_("fax (E.164)"), max_length=20, blank=True)
    opens_at = models.TimeField(_("opens at"), default=time(9, 0))
    closes_at = models.TimeField(_("closes at"), default=time(17, 0))
    notice_address = models.TextField(_("written-notice address"))
    support_email = models.EmailField(_("operations e-mail"))
    servicepac_email = models.EmailField(_("ServicePac e-mail"), blank=True)
    licence_email = models.EmailField(_("software-destruction confirmations e-mail"), blank=True)
    lead_agent_email = models.EmailField(_("lead agent e-mail"), blank=True)

    class Meta:
        ordering = ["country"]
        verbose_name = _("support centre")
        verbose_name_plural = _("support centres")

    def __str__(self) -> str:
        return str(self.get_country_display())

    @property
    def language_codes(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


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
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
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
