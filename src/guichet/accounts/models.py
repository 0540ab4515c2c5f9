"""Identities, organisations, memberships, and the grants that open applications."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.core.addresses import one_line, postal_lines
from guichet.core.models import Country
from guichet.core.tenancy import TenantManager
from guichet.core.viewer import validate_time_zone


class Language(models.TextChoices):
    EN = "en", _("English")
    FR = "fr", _("French")
    NL = "nl", _("Dutch")
    RO = "ro", _("Romanian")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True, kind=User.Kind.ADMIN)
        return self.create_user(email, password, **extra)


def full_name(first_name: str | None, last_name: str | None) -> str:
    """A person's full name from the user's two columns: `User.get_full_name()` for rows read as columns."""
    return f"{first_name} {last_name}".strip()


def shown_name(first_name: str | None, last_name: str | None, email: str | None) -> str | None:
    """What a person is shown as from the user's columns: the full name, else the address; None for no
    user (a row's outer join found none)."""
    if email is None:
        return None
    return full_name(first_name, last_name) or email


class User(AbstractBaseUser, PermissionsMixin):
    class Kind(models.TextChoices):
        CUSTOMER = "customer", _("customer")
        AGENT = "agent", _("agent")
        ADMIN = "admin", _("administrator")

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164"))
    language = models.CharField(_("preferred language"), max_length=8, choices=Language.choices, default=Language.EN)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CUSTOMER)
    # An agent's own clock for the consoles (empty: their country's centre). Customers read times on
    # their organisation's clock instead (`core.viewer`).
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("For agents: the zone the consoles show times in, e.g. America/Vancouver."),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.shown_as

    def get_full_name(self) -> str:
        return full_name(self.first_name, self.last_name)

    @property
    def shown_as(self) -> str:
        """What the person is shown as: the full name, else the address (`shown_name` for columns)."""
        return full_name(self.first_name, self.last_name) or self.email

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def is_agent(self) -> bool:
        return self.kind == self.Kind.AGENT

    @property
    def is_administrator(self) -> bool:
        return self.kind == self.Kind.ADMIN or self.is_superuser

    @property
    def is_vendor_staff(self) -> bool:
        """Agents and administrators: they work in the console and must use MFA."""
        return self.is_agent or self.is_administrator


class Consent(models.Model):
    """A person's consent as given: which wording (by version), when, from where."""

    class Purpose(models.TextChoices):
        CONTACT = "contact", _("use of personal data to be contacted")
        TRANSFER = "transfer", _("transfer of personal data outside the country of residence")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    wording_version = models.CharField(max_length=16)
    given_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.user} {self.purpose} v{self.wording_version}"


class Organisation(models.Model):
    customer_number = models.CharField(_("customer number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    province = models.CharField(_("province"), max_length=2, blank=True, help_text=_("Canada only."))
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.EN)
    address_line = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=16, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    vat_number = models.CharField(_("VAT or business number"), max_length=32, blank=True)
    is_nonprofit = models.BooleanField(_("nonprofit"), default=False)
    partner_id = models.CharField(_("partner identifier"), max_length=32, blank=True)
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("Set by an agent once the organisation is matched to a customer account."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(province="") | Q(country="CA"), name="organisation_province_only_in_canada"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.customer_number})"

    @property
    def postal_lines(self) -> list[str]:
        """The registered address in the country's order (Canada: city, province, postal code)."""
        return postal_lines(
            street=self.address_line,
            postcode=self.postal_code,
            city=self.city,
            country=self.country,
            province=self.province,
        )

    @property
    def registered_address(self) -> str:
        return one_line(self.postal_lines)


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("customer admin")
        MEMBER = "member", _("member")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    # May sign contracts in the organisation's name (domain: "a customer with the signatory role").
    is_signatory = models.BooleanField(_("signatory"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


class Application(models.TextChoices):
    """The applications a customer may be granted (domain.md), in navigation order."""

    REQUESTS = "requests", _("My requests")
    CONTRACTS = "contracts", _("Contracts online")
    ORDERS = "orders", _("My orders")
    INVOICES = "invoices", _("My invoices")
    STATEMENTS = "statements", _("My statements")
    INVENTORY = "inventory", _("My inventory")
    BUYTECH = "buytech", _("Buy Tech")


class ApplicationGrant(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    application = models.CharField(max_length=16, choices=Application.choices)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[ApplicationGrant]] = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user", "application"], name="one_grant_per_app")
        ]
        verbose_name = _("application grant")
        verbose_name_plural = _("application grants")

    def __str__(self) -> str:
        return f"{self.user} → {self.application}"


class AccessRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="access_requests")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_requests")
    application = models.CharField(_("application"), max_length=16, choices=Application.choices)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason"), blank=True, max_length=1000)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[AccessRequest]] = TenantManager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "application"],
                condition=Q(status="pending"),
                name="one_pending_access_request",
            )
        ]
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")

    def __str__(self) -> str:
        return f"{self.user} asks {self.application} ({self.status})"


class ApiToken(models.Model):
    """A bearer token for the HTTP API. Only its SHA-256 is stored (a 256-bit random key needs no
    slow hash), with its first characters so its owner can tell it from another in a list."""

    PREFIX_LENGTH = 6

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("begins with"), max_length=PREFIX_LENGTH, blank=True)
    user_agent = models.CharField(_("issued to"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("issued"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… of {self.user}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, user_agent: str = "") -> str:
        key = secrets.token_urlsafe(32)
        cls.objects.create(
            user=user,
            key_hash=cls.hash(key),
            prefix=key[: cls.PREFIX_LENGTH],
            user_agent=user_agent[:200],
            expires_at=timezone.now() + settings.API_TOKEN_LIFETIME,
        )
        return key


class JoinRequest(models.Model):
    """Someone who registered with an existing organisation's customer number: a pending applicant,
    with no membership, until one of its customer admins approves."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending applicant")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="join_requests")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="join_requests")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], condition=Q(status="pending"), name="one_pending_join_request"
            )
        ]
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.organisation} ({self.status})"


class Invitation(models.Model):
    """A customer admin's invitation of an e-mail address into the organisation (signed link)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"
