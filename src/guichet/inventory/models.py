"""Installed machines: what the customer has, where it stands and who to call on site."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.core.addresses import postal_lines
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
    departed_on = models.DateField(_("left the customer on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["machine_type", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["machine_type", "serial"], name="machine_type_serial_unique"),
        ]
        # Global search matches a serial's beginning (LIKE 'ABC%'): with the pattern operator class
        # PostgreSQL answers it from the index whatever the database's collation (other databases ignore it).
        indexes = [
            models.Index(fields=["serial"], name="inventory_machine_serial_like", opclasses=["varchar_pattern_ops"]),
            # My inventory's first page (present machines in the list's default order) read from the
            # index, not by sorting every machine of a large organisation.
            models.Index(
                fields=["organisation", "machine_type", "model", "serial", "id"],
                name="inventory_machine_present",
                condition=models.Q(departed_on__isnull=True),
            ),
            # The serials a reference field suggests (selectors.machine_serials_of, on every My inventory
            # page): the first 500 read in order from here, not 10,000 grouped and sorted (9 ms → <1 ms).
            models.Index(
                fields=["organisation", "serial"],
                name="inventory_present_serial",
                condition=models.Q(departed_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.machine_type}-{self.model} {self.serial}"

    @property
    def postal_lines(self) -> list[str]:
        """The site's address in its country's order; a Canadian site's province is its organisation's
        (the portal keeps no other)."""
        same_country = self.site_country == self.organisation.country
        return postal_lines(
            street=self.site_street,
            postcode=self.site_postcode,
            city=self.site_city,
            country=self.site_country,
            province=self.organisation.province if same_country else "",
        )


# --- additions of the inventory context ------------------------------------------------------


class RepairKind(models.TextChoices):
    HARDWARE = "hardware", _("Hardware")
    SOFTWARE = "software", _("Software")


class Handling(models.TextChoices):
    ONSITE = "onsite", _("Technician on site")
    MAIL_IN = "mail_in", _("Mail-in")


class CoverageState(models.TextChoices):
    CONTRACT = "contract", _("Covered by a maintenance contract")
    WARRANTY = "warranty", _("Under warranty")
    NONE = "none", _("Not covered")


class RepairStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    DISPATCHED = "dispatched", _("Dispatched")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")


class EstimateStatus(models.TextChoices):
    """An uncovered repair's cost estimate: none yet, waiting for the customer, accepted, declined."""

    NONE = "", _("No estimate")
    PENDING = "pending", _("Waiting for the customer's acceptance")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class RepairRequest(models.Model):
    """A service request on a machine: what is wrong, how it is handled, who accepted to pay if uncovered."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    machine = models.ForeignKey(Machine, on_delete=models.PROTECT, related_name="repairs")
    number = models.CharField(_("service request number"), max_length=24, unique=True)
    kind = models.CharField(_("problem type"), max_length=10, choices=RepairKind.choices)
    description = models.TextField(_("problem description"), max_length=5000)
    status = models.CharField(_("status"), max_length=12, choices=RepairStatus.choices, default=RepairStatus.SUBMITTED)
    coverage = models.CharField(_("coverage"), max_length=10, choices=CoverageState.choices)
    contract_number = models.CharField(_("contract"), max_length=20, blank=True)
    service_level = models.CharField(_("service level"), max_length=20, choices=ServiceLevel.choices)
    handling = models.CharField(_("handling"), max_length=10, choices=Handling.choices)
    slot_start = models.DateTimeField(_("proposed visit from"), null=True, blank=True)
    slot_end = models.DateTimeField(_("proposed visit until"), null=True, blank=True)
    dispatch_due = models.DateTimeField(_("dispatch due"), null=True, blank=True)
    billing_accepted_at = models.DateTimeField(_("billing accepted at"), null=True, blank=True)
    billing_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    billing_wording_version = models.CharField(_("billing wording version"), max_length=16, blank=True)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(_("language"), max_length=8, default="en")
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dispatched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("done at"), null=True, blank=True)
    # The cost of an uncovered repair, estimated by the agent and accepted or declined by the customer.
    estimate_status = models.CharField(
        _("cost estimate"), max_length=10, choices=EstimateStatus.choices, default=EstimateStatus.NONE, blank=True
    )
    estimate_amount = models.DecimalField(_("estimated cost"), max_digits=10, decimal_places=2, null=True, blank=True)
    estimate_currency = models.CharField(_("currency"), max_length=3, blank=True)
    estimate_note = models.TextField(_("parts and labour"), max_length=500, blank=True)
    estimate_sent_at = models.DateTimeField(_("estimate sent at"), null=True, blank=True)
    estimate_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    estimate_answered_at = models.DateTimeField(_("estimate answered at"), null=True, blank=True)
    estimate_answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "dispatch_due"]),
            models.Index(fields=["organisation", "estimate_status"], name="inventory_repair_estimate"),
        ]
        constraints = [
            # Billed work needs the customer's recorded acceptance: the database refuses it otherwise.
            models.CheckConstraint(
                condition=~models.Q(coverage="none") | models.Q(billing_accepted_at__isnull=False),
                name="uncovered_repair_needs_billing_acceptance",
            ),
            # An estimate is for an uncovered repair, and has a positive amount in a currency.
            models.CheckConstraint(
                condition=models.Q(estimate_status="")
                | (
                    models.Q(coverage="none", estimate_amount__gt=0, estimate_sent_at__isnull=False)
                    & ~models.Q(estimate_currency="")
                ),
                name="repair_estimate_complete",
            ),
            # An answered estimate says who answered and when.
            models.CheckConstraint(
                condition=~models.Q(estimate_status__in=["accepted", "declined"])
                | models.Q(estimate_answered_at__isnull=False, estimate_answered_by__isnull=False),
                name="repair_estimate_answer_recorded",
            ),
        ]
        verbose_name = _("repair request")
        verbose_name_plural = _("repair requests")

    def __str__(self) -> str:
        return self.number


class SiteChange(models.Model):
    """A customer's change to a machine's site or contact: what was, what is, who; an agent reviews it."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    machine = models.ForeignKey(Machine, on_delete=models.CASCADE, related_name="site_changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changes = models.JSONField(default=dict)  # field -> [before, after]
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TenantManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("site change")
        verbose_name_plural = _("site changes")

    def __str__(self) -> str:
        return f"{self.machine} {self.created_at:%Y-%m-%d}"


class TransferKind(models.TextChoices):
    LEASE_RETURN = "lease_return", _("Returned to the financing arm at lease end")
    SALE = "sale", _("Sold to another company")


class TransferStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    CONFIRMED = "confirmed", _("Confirmed")
    DONE = "done", _("Taken effect")


class Transfer(models.Model):
    """A machine leaving the customer, and the last day its maintenance is charged."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    machine = models.ForeignKey(Machine, on_delete=models.PROTECT, related_name="transfers")
    number = models.CharField(_("number"), max_length=24, unique=True)
    kind = models.CharField(_("what happens"), max_length=16, choices=TransferKind.choices)
    leaves_on = models.DateField(_("return or sale date"))
    financing_quote = models.CharField(_("financing quote number"), max_length=40, blank=True)
    buyer = models.CharField(_("buyer"), max_length=200, blank=True)
    reason = models.TextField(_("reason for the change of ownership"), max_length=2000)
    reported_on = models.DateField(_("reported on"))
    last_charged_day = models.DateField(_("last day maintenance is charged"))
    contract_number = models.CharField(_("contract"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TransferStatus.choices, default=TransferStatus.REPORTED
    )
    confirm_due = models.DateField(_("confirm by"), null=True, blank=True)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    effective_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("machine transfer")
        verbose_name_plural = _("machine transfers")

    def __str__(self) -> str:
        return self.number


class RelocationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ASSIGNED = "assigned", _("Being evaluated")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    CARRIED_OUT = "carried_out", _("Carried out")


class Relocation(models.Model):
    """A cross-border move of an appliance: evaluated and approved by an agent before anything happens."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    machine = models.ForeignKey(Machine, on_delete=models.PROTECT, related_name="relocations")
    number = models.CharField(_("number"), max_length=24, unique=True)
    from_country = models.CharField(_("from country"), max_length=2)
    from_address = models.TextField(_("from address"), max_length=500)
    to_country = models.CharField(_("to country"), max_length=2)
    to_address = models.TextField(_("to address"), max_length=500)
    desired_date = models.DateField(_("desired date"))
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RelocationStatus.choices, default=RelocationStatus.SUBMITTED
    )
    evaluate_due = models.DateField(_("evaluate by"), null=True, blank=True)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    contact_email = models.EmailField(_("contact e-mail"))
    language = models.CharField(_("language"), max_length=8, default="en")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    carried_out_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("relocation")
        verbose_name_plural = _("relocations")

    def __str__(self) -> str:
        return self.number


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """An agent's CSV upload, imported in the background; the report is kept with it."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="inventory/imports/%Y/")
    original_name = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.status})"
