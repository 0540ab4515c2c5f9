"""Invoices and credit notes, their lines and taxes, payments, allocations, billing options, disputes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.core.calendar import today_for
from guichet.core.money import MINOR_UNITS
from guichet.core.tenancy import TenantManager

from . import rules

SUM_TOLERANCE = Decimal("0.0001")


class Kind(models.TextChoices):
    INVOICE = rules.INVOICE, _("Invoice")
    CREDIT_NOTE = rules.CREDIT_NOTE, _("Credit note")


class Currency(models.TextChoices):
    EUR = "EUR", "EUR"
    CAD = "CAD", "CAD"
    RON = "RON", "RON"


assert set(Currency.values) == set(MINOR_UNITS)


class Status(models.TextChoices):
    OPEN = rules.OPEN, _("Open")
    PARTIALLY_PAID = rules.PARTIALLY_PAID, _("Partially paid")
    PAID = rules.PAID, _("Paid")
    OVERDUE = rules.OVERDUE, _("Overdue")
    DISPUTED = rules.DISPUTED, _("Disputed")
    CANCELLED = rules.CANCELLED, _("Cancelled")


class TaxCode(models.TextChoices):
    STANDARD = rules.STANDARD, _("Standard rate")
    REDUCED = rules.REDUCED, _("Reduced rate")
    REDUCED_LOW = rules.REDUCED_LOW, _("Reduced rate (6%)")
    EXEMPT = rules.EXEMPT, _("Exempt")
    REVERSE_CHARGE = rules.REVERSE_CHARGE, _("Reverse charge")


class Method(models.TextChoices):
    BANK_TRANSFER = rules.BANK_TRANSFER, _("Bank transfer")
    EFT = rules.EFT, _("Electronic funds transfer")
    CHEQUE = rules.CHEQUE, _("Cheque")
    CARD = rules.CARD, _("Card")
    DIRECT_DEBIT = rules.DIRECT_DEBIT, _("Direct debit")
    OTHER = rules.OTHER, _("Other")


class Invoice(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="invoices")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    number = models.CharField(_("number"), max_length=24, unique=True)
    issue_date = models.DateField(_("issue date"))
    due_date = models.DateField(_("due date"))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    po_reference = models.CharField(_("purchase order"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    net_total = models.DecimalField(_("net"), max_digits=14, decimal_places=2)
    tax_total = models.DecimalField(_("tax"), max_digits=14, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    # What payments and credit notes have settled of it (invoice), or what it has settled elsewhere (credit note).
    settled = models.DecimalField(_("settled"), default=Decimal("0"), max_digits=14, decimal_places=2)
    credited_invoice = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes"
    )
    country = models.CharField(max_length=2)
    province = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Invoice]] = TenantManager()

    class Meta:
        ordering = ["-issue_date", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-issue_date", "-id"], name="billing_inv_org_issued"),
            models.Index(fields=["organisation", "status", "-issue_date"], name="billing_inv_org_status"),
            models.Index(fields=["organisation", "due_date"], name="billing_inv_org_due"),
            models.Index(fields=["organisation", "total"], name="billing_inv_org_total"),  # global search by amount
        ]
        constraints = [
            # Exact on PostgreSQL (numeric); SQLite keeps decimals as floats, hence a tolerance far below a cent.
            models.CheckConstraint(
                condition=Q(total__gte=F("net_total") + F("tax_total") - SUM_TOLERANCE)
                & Q(total__lte=F("net_total") + F("tax_total") + SUM_TOLERANCE),
                name="billing_total_is_sum",
            ),
            models.CheckConstraint(condition=Q(net_total__gte=0, tax_total__gte=0), name="billing_amounts_positive"),
            models.CheckConstraint(
                condition=Q(settled__gte=0) & Q(settled__lte=F("total")), name="billing_settled_le_total"
            ),
            models.CheckConstraint(condition=Q(due_date__gte=F("issue_date")), name="billing_due_after_issue"),
            models.CheckConstraint(
                condition=Q(kind=rules.INVOICE, credited_invoice__isnull=True) | Q(kind=rules.CREDIT_NOTE),
                name="billing_only_credit_notes_credit",
            ),
        ]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")

    def __str__(self) -> str:
        return self.number

    @property
    def is_credit_note(self) -> bool:
        return self.kind == Kind.CREDIT_NOTE

    @property
    def open_amount(self) -> Decimal:
        return self.total - self.settled

    def current_status(self, today: date | None = None) -> str:
        """The stored status, with overdue worked out for today (the nightly refresh may not have run yet)."""
        if self.status in (Status.CANCELLED, Status.DISPUTED, Status.PAID) or self.is_credit_note:
            return self.status
        today = today or today_for(self.organisation)
        return rules.invoice_status(total=self.total, settled=self.settled, due=self.due_date, today=today)

    def get_current_status_display(self) -> str:
        return str(Status(self.current_status()).label)


class InvoiceLine(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    tax_code = models.CharField(_("tax"), max_length=16, choices=TaxCode.choices)
    net = models.DecimalField(_("net"), max_digits=14, decimal_places=2)
    tax = models.DecimalField(_("tax"), max_digits=14, decimal_places=2)

    objects: ClassVar[models.Manager[InvoiceLine]] = TenantManager()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["invoice", "position"], name="billing_line_position")]

    def __str__(self) -> str:
        return f"{self.invoice_id}/{self.position} {self.description}"


class TaxLine(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="taxes")
    name = models.CharField(max_length=8)
    code = models.CharField(max_length=16, choices=TaxCode.choices)
    rate = models.DecimalField(max_digits=7, decimal_places=5)
    base = models.DecimalField(max_digits=14, decimal_places=2)
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    objects: ClassVar[models.Manager[TaxLine]] = TenantManager()

    class Meta:
        ordering = ["name", "-rate"]

    def __str__(self) -> str:
        return f"{self.name} {self.rate}: {self.amount}"


class Payment(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", _("Recorded by an agent")
        IMPORT = "import", _("Bank file")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="payments")
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    # The bank's reference: the same bank line imported twice is one payment.
    reference = models.CharField(_("reference"), max_length=64, unique=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.MANUAL)
    allocated = models.DecimalField(default=Decimal("0"), max_digits=14, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Payment]] = TenantManager()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organisation", "date"], name="billing_pay_org_date")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_payment_positive"),
            models.CheckConstraint(
                condition=Q(allocated__gte=0) & Q(allocated__lte=F("amount")), name="billing_allocated_le_amount"
            ),
        ]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.reference} {self.amount} {self.currency}"

    @property
    def unallocated(self) -> Decimal:
        return self.amount - self.allocated


class Allocation(models.Model):
    """Part of a payment, or of a credit note, settling part of an invoice."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations")
    credit_note = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations_made"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Allocation]] = TenantManager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_allocation_positive"),
            models.CheckConstraint(
                condition=Q(payment__isnull=False, credit_note__isnull=True)
                | Q(payment__isnull=True, credit_note__isnull=False),
                name="billing_allocation_one_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} → {self.invoice_id}"


class BillingOptions(models.Model):
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="billing_options"
    )
    email_delivery = models.BooleanField(_("send invoices by e-mail"), default=False)
    delivery_email = models.EmailField(_("invoice e-mail address"), blank=True)
    po_required = models.BooleanField(_("purchase order number required"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[BillingOptions]] = TenantManager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(email_delivery=False) | ~Q(delivery_email=""), name="billing_delivery_needs_address"
            )
        ]
        verbose_name = _("billing options")
        verbose_name_plural = _("billing options")

    def __str__(self) -> str:
        return f"{self.organisation_id}"


class Dispute(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CREDITED = "credited", _("Credited")
        REJECTED = "rejected", _("Rejected")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="disputes")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="disputes")
    request = models.OneToOneField(
        "support.Request", null=True, blank=True, on_delete=models.SET_NULL, related_name="dispute"
    )
    positions = models.JSONField(_("lines"), default=list, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    reason = models.TextField(_("reason"), max_length=4000)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.OPEN)
    resolution_note = models.TextField(_("resolution"), blank=True, max_length=4000)
    credit_note = models.OneToOneField(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="resolved_dispute"
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Dispute]] = TenantManager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_dispute_positive"),
            models.UniqueConstraint(
                fields=["invoice"], condition=Q(state="open"), name="billing_one_open_dispute_per_invoice"
            ),
        ]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.state}"
