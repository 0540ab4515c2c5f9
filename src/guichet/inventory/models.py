"""Installed machines: what the customer has, where it stands and who to call on site."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.core.tenancy import TenantManager

machine_type_format = RegexValidator(r"^[A-Z0-9]{4}$", _("A machine type is 4 letters or digits, e.g. 8286."))
model_format = RegexValidator(r"^[A-Z0-9]{3}$", _("A model is 3 letters or digits, e.g. 42A."))
serial_format = RegexValidator(r"^[A-Z0-9]{5,12}$", _("A serial number is 5 to 12 letters or digits."))


class ServiceLevel(models.TextChoices):
    ONSITE_SAME_DAY = "onsite_same_day", _("On-site, same day")
    ONSITE_NEXT_DAY = "onsite_next_day", _("On-site, next business day")
    CARRY_IN = "carry_in", _("Customer carry-in")
    MAIL_IN = "mail_in", _("Mail-in")


class Machine(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="machines")
    machine_type = models.CharField(_("machine type"), max_length=4, validators=[machine_type_format])
    model = models.CharField(_("model"), max_length=3, validators=[model_format])
    serial = models.CharField(_("serial number"), max_length=12, validators=[serial_format])
    description = models.CharField(_("description"), max_length=200, blank=True)
    site_name = models.CharField(_("site"), max_length=200, blank=True)
    site_street = models.CharField(_("street and number"), max_length=200, blank=True)
    site_postcode = models.CharField(_("postcode"), max_length=16, blank=True)
    site_city = models.CharField(_("city"), max_length=100, blank=True)
    site_country = models.CharField(_("country"), max_length=2)
    contact_name = models.CharField(_("on-site contact"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    install_date = models.DateField(_("installed on"), null=True, blank=True)
    warranty_end = models.DateField(_("warranty until"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["machine_type", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["machine_type", "serial"], name="machine_type_serial_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.machine_type}-{self.model} {self.serial}"
