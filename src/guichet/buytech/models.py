"""Buy Tech: eligibility, attestation, catalogue, orders and what follows delivery."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.core.tenancy import TenantManager

from . import rules

MONEY = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


# --- eligibility ----------------------------------------------------------------------------------


class EligibilityStatus(models.TextChoices):
    PENDING = rules.PENDING, _("Pending")
    ELIGIBLE = rules.ELIGIBLE, _("Eligible")
    REFUSED = rules.REFUSED, _("Refused")


class EligibilitySource(models.TextChoices):
    AGENT = "agent", _("Confirmed by an agent")
    PARTNER_IMPORT = "partner_import", _("Partner import")


class Eligibility(models.Model):
    """The partner's verdict on an organisation (one row per organisation, kept up to date)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="buytech_eligibility"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EligibilityStatus.choices, default=EligibilityStatus.PENDING
    )
    source = models.CharField(_("source"), max_length=16, choices=EligibilitySource.choices)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects: ClassVar[models.Manager[Eligibility]] = TenantManager()

    class Meta:
        verbose_name = _("Buy Tech eligibility")
        verbose_name_plural = _("Buy Tech eligibilities")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.status}"

    @property
    def confirmed_by_label(self) -> str:
        if self.source == EligibilitySource.PARTNER_IMPORT:
            return str(_("partner import"))
        return self.confirmed_by.email if self.confirmed_by else ""


class Attestation(models.Model):
    """The organisation's signed statement that it does not discriminate, in the wording it saw."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    wording_version = models.CharField(_("wording version"), max_length=16)
    language = models.CharField(_("language"), max_length=8)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("signer"), max_length=200)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects: ClassVar[models.Manager[Attestation]] = TenantManager()

    class Meta:
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "wording_version"], name="one_attestation_per_wording")
        ]
        verbose_name = _("non-discrimination attestation")
        verbose_name_plural = _("non-discrimination attestations")

    def __str__(self) -> str:
        return f"{self.organisation_id} v{self.wording_version}"


class PartnerImport(models.Model):
    """One partner CSV file applied (all rows or none)."""

    file_name = models.CharField(max_length=200)
    rows = models.PositiveIntegerField(default=0)
    eligible = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows})"


# --- catalogue ---------------------------------------------------------------------------------------


class ProductKind(models.TextChoices):
    LAPTOP = "laptop", _("Laptop")
    DESKTOP = "desktop", _("Desktop")
    TABLET = "tablet", _("Tablet")
    PHONE = "phone", _("Phone")
    MONITOR = "monitor", _("Monitor")


class Condition(models.TextChoices):
    NEW = "new", _("New")
    CERTIFIED_USED = "certified_used", _("Certified used")


class CosmeticGrade(models.TextChoices):
    NONE = "", _("Not applicable (new)")
    A = "A", _("A: like new")
    B = "B", _("B: light marks")
    C = "C", _("C: visible marks (under 7 mm)")


class Product(models.Model):
    """A device on offer. Stock is a count; orders reserve it under a row lock."""

    sku = models.CharField(_("reference"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ProductKind.choices)
    condition = models.CharField(_("condition"), max_length=16, choices=Condition.choices)
    brand = models.CharField(_("brand"), max_length=60)
    model = models.CharField(_("model"), max_length=100)
    specifications = models.JSONField(_("specifications"), default=dict, blank=True)
    # Replacement and substitution compare this: same kind and a score no lower = at least the same functionality.
    functional_score = models.PositiveIntegerField(_("functional score"), default=0)
    cosmetic_grade = models.CharField(_("cosmetic grade"), max_length=1, choices=CosmeticGrade.choices, blank=True)
    cosmetic_notes = models.CharField(_("cosmetic notes"), max_length=300, blank=True)
    price = models.DecimalField(_("price"), **MONEY)  # type: ignore[arg-type]
    admin_fee = models.DecimalField(_("partner administrative fee"), **MONEY)  # type: ignore[arg-type]
    currency = models.CharField(max_length=3, default="EUR")
    stock = models.PositiveIntegerField(_("stock"), default=0)
    warranty_terms = models.CharField(_("warranty terms"), max_length=300)
    manufacturer_extended_care = models.BooleanField(_("eligible for the manufacturer's extended care"), default=False)
    active = models.BooleanField(_("on offer"), default=True)

    class Meta:
        ordering = ["kind", "brand", "model", "sku"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return f"{self.brand} {self.model} ({self.sku})"

    @property
    def name(self) -> str:
        return f"{self.brand} {self.model}"

    @property
    def image(self) -> str:
        return f"buytech/{self.kind}.svg"

    @property
    def total(self) -> Decimal:
        return rules.line_total(self.price, self.admin_fee)


class CartItem(models.Model):
    """A device in a person's cart for one organisation: kept in the database, so it survives logout.

    `unit_total` is the price plus fee the person saw when they put it in; checkout compares it with
    the product's current one and stops with a message when it changed (services/cart.py).
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_total = models.DecimalField(_("price seen"), **MONEY)  # type: ignore[arg-type]
    added_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[CartItem]] = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user", "product"], name="one_cart_line_per_product")
        ]
        verbose_name = _("cart item")
        verbose_name_plural = _("cart items")

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_id}"


# --- orders ---------------------------------------------------------------------------------------------


class OrderStatus(models.TextChoices):
    RESERVED = "reserved", _("Reserved, awaiting the administrative fee")
    FORWARDED = "forwarded", _("Fee received, forwarded to the vendor")
    CONFIRMED = "confirmed", _("Confirmed by the vendor, awaiting payment")
    PAID = "paid", _("Paid to the vendor")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")
    CANCELLED_BY_VENDOR = "cancelled_by_vendor", _("Cancelled by the vendor")


class BuyTechOrder(models.Model):
    """Two payments to two payees: the administrative fee to the partner first (then the order goes to the
    vendor), the price to the vendor once it has confirmed."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    number = models.CharField(_("number"), max_length=20, unique=True)
    sequence = models.PositiveBigIntegerField()
    status = models.CharField(_("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.RESERVED)
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    partner_id = models.CharField(_("partner identifier"), max_length=32)
    currency = models.CharField(max_length=3, default="EUR")
    fee_reference = models.CharField(_("structured communication for the administrative fee"), max_length=24)
    payment_reference = models.CharField(_("structured communication for the price"), max_length=24)
    reserved_at = models.DateTimeField(default=timezone.now, db_index=True)
    reserved_on = models.DateField()
    fee_paid_at = models.DateTimeField(null=True, blank=True)
    fee_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    forwarded_on = models.DateField(_("forwarded to the vendor on"), null=True, blank=True)
    # Known once the vendor has the order (the fee received).
    confirmation_due = models.DateField(_("confirmation due"), null=True, blank=True)
    processing_due = models.DateField(_("processing target"))
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    relationship_agreement = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    devices_agreement = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    delivered_on = models.DateField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=500, blank=True)

    objects: ClassVar[models.Manager[BuyTechOrder]] = TenantManager()

    class Meta:
        ordering = ["-reserved_at"]
        indexes = [models.Index(fields=["organisation", "-reserved_at"]), models.Index(fields=["status"])]
        verbose_name = _("Buy Tech order")
        verbose_name_plural = _("Buy Tech orders")

    def __str__(self) -> str:
        return self.number

    @property
    def is_cancelled(self) -> bool:
        return self.status in (OrderStatus.CANCELLED, OrderStatus.CANCELLED_BY_VENDOR)


class LineStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")
    RETURNED = "returned", _("Returned")


class OrderLine(models.Model):
    """One device (quantities are split into one line per unit, so each item has its own life)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(BuyTechOrder, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    admin_fee = models.DecimalField(max_digits=10, decimal_places=2)
    status = models.CharField(max_length=10, choices=LineStatus.choices, default=LineStatus.ACTIVE)
    shipment = models.ForeignKey(
        "BuyTechShipment", null=True, blank=True, on_delete=models.SET_NULL, related_name="lines"
    )
    substituted_from = models.CharField(max_length=200, blank=True)
    substitution_note = models.CharField(max_length=500, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[OrderLine]] = TenantManager()

    class Meta:
        ordering = ["order", "position"]
        constraints = [models.UniqueConstraint(fields=["order", "position"], name="buytech_line_position")]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.position} {self.description}"

    @property
    def total(self) -> Decimal:
        return rules.line_total(self.price, self.admin_fee)

    def paid_share(self, order: BuyTechOrder) -> Decimal:
        """What the organisation has paid for this item so far: the fee, then the price."""
        fee = self.admin_fee if order.fee_paid_at else Decimal("0")
        return fee + (self.price if order.paid_at else Decimal("0"))

    @property
    def delivered_on(self) -> object:
        return self.shipment.delivered_on if self.shipment_id and self.shipment else None


class BuyTechShipment(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(BuyTechOrder, on_delete=models.CASCADE, related_name="shipments")
    number = models.CharField(max_length=24, unique=True)
    carrier = models.CharField(_("carrier"), max_length=20)
    tracking_number = models.CharField(_("tracking number"), max_length=40)
    tracking_url = models.URLField(blank=True)
    dispatched_on = models.DateField(_("dispatched on"))
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)

    objects: ClassVar[models.Manager[BuyTechShipment]] = TenantManager()

    class Meta:
        ordering = ["order", "number"]

    def __str__(self) -> str:
        return self.number


class RefundReason(models.TextChoices):
    CUSTOMER_CANCELLATION = "customer_cancellation", _("Cancelled by the customer")
    VENDOR_CANCELLATION = "vendor_cancellation", _("Cancelled by the vendor")
    RETURN = "return", _("Return")
    WARRANTY = "warranty", _("Warranty")


class Refund(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(BuyTechOrder, on_delete=models.CASCADE, related_name="refunds")
    reason = models.CharField(max_length=24, choices=RefundReason.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    request_number = models.CharField(max_length=20, blank=True)  # the support case, for vendor cancellations
    created_at = models.DateTimeField(default=timezone.now)
    refunded_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Refund]] = TenantManager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.amount}"


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted: return the items")
    REFUSED = "refused", _("Refused")
    RECEIVED = "received", _("Items received, refunded")


class ReturnRequest(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(BuyTechOrder, on_delete=models.CASCADE, related_name="returns")
    number = models.CharField(max_length=24, unique=True)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    reason = models.TextField(_("reason"), max_length=2000)
    lines = models.ManyToManyField(OrderLine, related_name="+")
    status = models.CharField(max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED)
    instructions = models.TextField(blank=True, max_length=2000)
    decision_note = models.CharField(max_length=500, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[ReturnRequest]] = TenantManager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number


class ClaimRemedy(models.TextChoices):
    REPLACEMENT = "replacement", _("Replacement by an equivalent device")
    REFUND = "refund", _("Refund")


class ClaimStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class WarrantyClaim(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(BuyTechOrder, on_delete=models.CASCADE, related_name="claims")
    number = models.CharField(max_length=24, unique=True)
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="claims")
    description = models.TextField(_("defect"), max_length=2000)
    remedy = models.CharField(_("remedy"), max_length=12, choices=ClaimRemedy.choices)
    replacement = models.ForeignKey(Product, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.OPEN)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[WarrantyClaim]] = TenantManager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(remedy="refund") | Q(replacement__isnull=False), name="buytech_replacement_named"
            )
        ]

    def __str__(self) -> str:
        return self.number
