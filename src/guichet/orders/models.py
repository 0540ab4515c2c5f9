"""Orders, their lines, the parcels (shipments) they leave in, and what carriers say about them."""

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


class OrderStatus(models.TextChoices):
    PLACED = rules.PLACED, _("Placed")
    PROCESSING = rules.PROCESSING, _("Processing")
    PARTIALLY_SHIPPED = rules.PARTIALLY_SHIPPED, _("Partially shipped")
    SHIPPED = rules.SHIPPED, _("Shipped")
    PARTIALLY_DELIVERED = rules.PARTIALLY_DELIVERED, _("Partially delivered")
    DELIVERED = rules.DELIVERED, _("Delivered")
    CANCELLED = rules.CANCELLED, _("Cancelled")


class ShipmentStatus(models.TextChoices):
    LABEL_CREATED = rules.LABEL_CREATED, _("Parcel being prepared")
    IN_TRANSIT = rules.IN_TRANSIT, _("Parcel in transit")
    OUT_FOR_DELIVERY = rules.OUT_FOR_DELIVERY, _("Parcel out for delivery")
    EXCEPTION = rules.EXCEPTION, _("Delivery problem")
    DELIVERED = rules.SHIP_DELIVERED, _("Parcel delivered")
    RETURNED = rules.RETURNED, _("Parcel returned to sender")


class Order(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="orders")
    number = models.CharField(_("number"), max_length=24, unique=True)
    ordered_on = models.DateField(_("order date"), db_index=True)
    status = models.CharField(_("status"), max_length=24, choices=OrderStatus.choices, default=OrderStatus.PLACED)
    currency = models.CharField(_("currency"), max_length=3)
    purchase_order = models.CharField(_("purchase-order reference"), max_length=40, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Order]] = TenantManager()

    class Meta:
        ordering = ["-ordered_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-ordered_on", "-id"]),
            models.Index(fields=["organisation", "status", "-ordered_on"]),
            models.Index(fields=["organisation", "purchase_order"]),
        ]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=1)
    product_code = models.CharField(_("product code"), max_length=40)
    description = models.CharField(_("description"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2, default=Decimal("0"))
    status = models.CharField(_("status"), max_length=24, choices=OrderStatus.choices, default=OrderStatus.PLACED)
    cancelled = models.BooleanField(default=False)

    objects: ClassVar[models.Manager[OrderLine]] = TenantManager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.product_code} x {self.quantity}"

    @property
    def amount(self) -> Decimal:
        return self.unit_price * self.quantity


class Shipment(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    carrier = models.CharField(_("carrier"), max_length=24)
    tracking_number = models.CharField(_("tracking number"), max_length=40)
    status = models.CharField(
        _("status"), max_length=24, choices=ShipmentStatus.choices, default=ShipmentStatus.LABEL_CREATED
    )
    status_at = models.DateTimeField(null=True, blank=True)  # when the carrier saw the current status
    dispatched_at = models.DateTimeField(_("dispatched on"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered on"), null=True, blank=True)
    location = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Shipment]] = TenantManager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["carrier", "tracking_number"], name="one_shipment_per_tracking_number")
        ]
        indexes = [models.Index(fields=["tracking_number"])]  # search by tracking number, any carrier
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"

    @property
    def tracking_url(self) -> str:
        """The carrier's page in the reader's (active) language where the carrier has one."""
        return self.tracking_url_in(None)

    def tracking_url_in(self, language: str | None) -> str:
        from .carriers import CARRIERS

        carrier = CARRIERS.get(self.carrier)
        return carrier.tracking_url(self.tracking_number, language) if carrier else ""

    @property
    def carrier_name(self) -> str:
        from .carriers import CARRIERS

        carrier = CARRIERS.get(self.carrier)
        return carrier.name if carrier else self.carrier


class ShipmentLine(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="shipment_lines")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    objects: ClassVar[models.Manager[ShipmentLine]] = TenantManager()

    class Meta:
        ordering = ["order_line__position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="shipment_line_quantity_positive"),
            models.UniqueConstraint(fields=["shipment", "order_line"], name="one_shipment_line_per_order_line"),
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id}: {self.order_line_id} x {self.quantity}"


class TrackingEvent(models.Model):
    """One carrier (or agent) status report; `event_id` makes a repeated delivery harmless."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    event_id = models.CharField(max_length=200, unique=True)  # "<integration>:<carrier event id>"
    status = models.CharField(max_length=24, choices=ShipmentStatus.choices)
    occurred_at = models.DateTimeField()
    location = models.CharField(max_length=120, blank=True)
    source = models.CharField(max_length=64, blank=True)  # webhook integration name, or "console"
    applied = models.BooleanField(default=True)  # False: kept for the record, did not move the shipment
    raw = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[TrackingEvent]] = TenantManager()

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.status}"


class OrderEvent(models.Model):
    """The order's timeline: placed, parcels added, every status a parcel or the order reached."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    shipment = models.ForeignKey(Shipment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)  # placed, shipment_added, shipment_status, order_status
    status = models.CharField(max_length=24, blank=True)
    location = models.CharField(max_length=120, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[OrderEvent]] = TenantManager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["order", "at"])]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind} {self.status}"
