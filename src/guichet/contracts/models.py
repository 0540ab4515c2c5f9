"""Contracts, the services on them and the machines they cover."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from guichet.core.tenancy import TenantManager
from guichet.inventory.models import ServiceLevel


class ContractKind(models.TextChoices):
    HARDWARE_MAINTENANCE = "hardware_maintenance", _("Hardware maintenance")
    SOFTWARE_SUBSCRIPTION = "software_subscription", _("Software subscription and support")
    MONTHLY_LICENCE = "monthly_licence", _("Monthly software licence")
    PREPAID_LICENCE = "prepaid_licence", _("Prepaid one-time licence")
    SERVICEPAC = "servicepac", _("ServicePac")
    PROGRAM_AGREEMENT = "program_agreement", _("Program agreement")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_SIGNATURE = "awaiting_signature", _("Awaiting signature")
    ACTIVE = "active", _("Active")
    TERMINATED = "terminated", _("Terminated")
    EXPIRED = "expired", _("Expired")


class Contract(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="contracts")
    number = models.CharField(_("number"), max_length=20, unique=True)
    kind = models.CharField(_("type"), max_length=24, choices=ContractKind.choices)
    status = models.CharField(_("status"), max_length=24, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    renewal_date = models.DateField(_("renewal"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["-start_date", "number"]
        # My contracts' default order and its keyset pages (issue 17): read from the index, not sorted.
        indexes = [models.Index(fields=["organisation", "-start_date", "-id"], name="contracts_org_start")]

    def __str__(self) -> str:
        return self.number


class ContractService(models.Model):
    """A service line on a contract (e.g. 'on-site repair, next business day')."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="services")
    description = models.CharField(_("service"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    objects = ScopedManager(organisation="contract__organisation")

    def __str__(self) -> str:
        return self.description


class CoveredMachine(models.Model):
    """A machine under a contract: from the date it came under it, until it left (open while covered)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="covered_machines")
    machine = models.ForeignKey("inventory.Machine", on_delete=models.CASCADE, related_name="coverages")
    service_level = models.CharField(_("service level"), max_length=20, choices=ServiceLevel.choices)
    covered_from = models.DateField(_("under contract since"))
    covered_until = models.DateField(_("under contract until"), null=True, blank=True)

    objects = ScopedManager(organisation="contract__organisation")

    class Meta:
        ordering = ["covered_from"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "machine", "covered_from"], name="coverage_once_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} / {self.machine}"


class SignatureParty(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    VENDOR = "vendor", _("Vendor")


class Signature(models.Model):
    """One PAdES signature on a contract, and the signed PDF it produced (kept, never changed).

    The customer signs first; a vendor countersignature is an incremental update of that
    file, so each row's document contains every earlier signature intact.
    """

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="signatures")
    party = models.CharField(_("party"), max_length=10, choices=SignatureParty.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contract_signatures")
    signer_name = models.CharField(_("signer"), max_length=200)
    signer_email = models.EmailField(_("signer e-mail"))
    organisation_name = models.CharField(_("organisation"), max_length=200)
    signed_at = models.DateTimeField(_("signed at"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    document = models.FileField(_("signed document"), upload_to="contracts/signed/%Y/")
    document_sha256 = models.CharField(_("SHA-256 of the signed document"), max_length=64)
    content_sha256 = models.CharField(_("SHA-256 of the document before signing"), max_length=64)

    objects = ScopedManager(organisation="contract__organisation")

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "party"], name="one_signature_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} / {self.party} / {self.signer_name}"


class TerminationKind(models.TextChoices):
    HARDWARE_BY_CUSTOMER = "hardware_customer", _("Maintenance ended by the customer")
    HARDWARE_BY_VENDOR = "hardware_vendor", _("Maintenance ended by the vendor")
    MONTHLY_LICENCE = "monthly_licence", _("Monthly licence cancelled")
    END_OF_TERM = "end_of_term", _("Not renewed: ends with its term")


class TerminationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted, takes effect on its date")
    EFFECTIVE = "effective", _("Effective")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn by the customer")


class Termination(models.Model):
    """A written notice ending coverage of some machines, a monthly licence, or a contract at its term, on a date."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="terminations")
    kind = models.CharField(_("type"), max_length=24, choices=TerminationKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=TerminationStatus.choices, default=TerminationStatus.PENDING
    )
    coverages = models.ManyToManyField(CoveredMachine, related_name="terminations", blank=True)
    notice_date = models.DateField(_("notice given on"))
    effective_date = models.DateField(_("effective on"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contract_terminations"
    )
    contact_name = models.CharField(_("contact"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    # A monthly licence's copies are destroyed at the cancellation and confirmed then, not with the notice.
    copies_destroyed = models.BooleanField(_("every copy destroyed"), default=False)
    copies_destroyed_at = models.DateTimeField(_("destruction confirmed at"), null=True, blank=True)
    request_number = models.CharField(_("request"), max_length=20, blank=True)
    notice_document = models.FileField(_("written notice"), upload_to="contracts/notices/%Y/", blank=True)
    notice_sha256 = models.CharField(max_length=64, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(_("decision note"), max_length=2000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    effective_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["effective_date", "created_at"]
        indexes = [models.Index(fields=["status", "effective_date"])]
        verbose_name = _("termination")
        verbose_name_plural = _("terminations")

    def __str__(self) -> str:
        return f"{self.contract} / {self.kind} / {self.effective_date}"

    @property
    def by_vendor(self) -> bool:
        return self.kind == TerminationKind.HARDWARE_BY_VENDOR


class ServicePacCode(models.Model):
    """The code in a ServicePac confirmation e-mail; registering it with a machine activates coverage."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="servicepac_codes")
    code = models.CharField(_("code"), max_length=20, unique=True)
    service_level = models.CharField(
        _("service level"), max_length=20, choices=ServiceLevel.choices, default=ServiceLevel.ONSITE_NEXT_DAY
    )
    months = models.PositiveSmallIntegerField(_("months of coverage"), default=12)
    used_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    machine = models.ForeignKey(
        "inventory.Machine", null=True, blank=True, on_delete=models.PROTECT, related_name="servicepac_codes"
    )

    objects = TenantManager()

    class Meta:
        verbose_name = _("ServicePac code")
        verbose_name_plural = _("ServicePac codes")

    def __str__(self) -> str:
        return self.code
