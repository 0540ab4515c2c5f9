"""API: tokens and the caller's identity."""

from __future__ import annotations

from datetime import date

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from guichet.core import home
from guichet.core.api import ErrorOut
from guichet.core.errors import DomainError, PermissionDenied
from guichet.core.tenancy import tenant_scope

from . import homepage, login_limits, selectors, services
from .api_access import AUTH, BearerToken, active_organisation
from .errors import Code
from .models import ApiToken, User

router = Router(tags=["account"])


class TokenIn(Schema):
    email: str
    password: str
    otp: str | None = None


class TokenOut(Schema):
    token: str


class Unauthenticated(DomainError):
    code = Code.INVALID_CREDENTIALS
    status = 401


@router.post(
    "auth/token",
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    auth=None,
)
def issue_token(request: HttpRequest, payload: TokenIn) -> TokenOut:
    """Exchange e-mail + password (+ `otp` when MFA is on) for a bearer token."""
    login_limits.require_counting()
    adapter = get_adapter(request)
    try:
        user = adapter.authenticate(request, email=payload.email.strip().lower(), password=payload.password)
    except DjangoValidationError:
        raise login_limits.Throttled(login_limits.TOO_MANY) from None
    if user is None:
        raise Unauthenticated(_("The e-mail address and/or password you specified are not correct."))
    assert isinstance(user, User)
    if not EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists():
        raise PermissionDenied(_("Verify your e-mail address first."), code=Code.EMAIL_UNVERIFIED)
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        if not payload.otp:
            raise Unauthenticated(_("Enter the code from your authenticator app."), code=Code.OTP_REQUIRED)
        if not login_limits.verify_totp(request, user, payload.otp):
            raise Unauthenticated(_("Incorrect code."), code=Code.OTP_INVALID)
    elif user.is_vendor_staff:
        raise PermissionDenied(
            _("Agents and administrators must enable two-factor authentication."), code=Code.MFA_REQUIRED
        )
    return TokenOut(token=ApiToken.issue(user, request.headers.get("User-Agent", "")))


@router.delete("auth/token", response={204: None, 401: ErrorOut}, auth=[BearerToken()])
def revoke_token(request: HttpRequest) -> tuple[int, None]:
    """Revoke the bearer token this call is made with (sign out of the API)."""
    services.api_tokens_revoke(
        user=request.user,  # type: ignore[arg-type]
        reason="revoked",
        request=request,
        token_id=request.api_token.pk,  # type: ignore[attr-defined]
    )
    return 204, None


class OrganisationOut(Schema):
    customer_number: str
    name: str
    country: str
    role: str


class MeOut(Schema):
    email: str
    first_name: str
    last_name: str
    language: str
    kind: str
    organisations: list[OrganisationOut]
    active_organisation: str | None
    applications: list[str]


@router.get("me", response={200: MeOut, 401: ErrorOut}, auth=AUTH)
def me(request: HttpRequest) -> MeOut:
    user: User = request.user  # type: ignore[assignment]
    memberships = list(selectors.memberships_of(user))
    wanted = request.headers.get("X-Organisation", "")
    active = next((m for m in memberships if m.organisation.customer_number == wanted), None) if wanted else None
    if active is None and memberships and not wanted:
        active = memberships[0]
    applications: list[str] = []
    if active is not None:
        with tenant_scope(active.organisation):
            applications = sorted(selectors.granted_applications(user, active.organisation))
    return MeOut(
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        language=user.language,
        kind=user.kind,
        organisations=[
            OrganisationOut(
                customer_number=m.organisation.customer_number,
                name=m.organisation.name,
                country=m.organisation.country,
                role=m.role,
            )
            for m in memberships
        ],
        active_organisation=active.organisation.customer_number if active else None,
        applications=applications,
    )


# --- the home's "what needs you" ---------------------------------------------------------------


class AttentionItemOut(Schema):
    kind: str = Field(description="What waits: contract_signature, contract_renewal, request_reply, …")
    number: str = Field(description="The business number; empty for an item that sums several (overdue invoices)")
    title: str
    due: date | None = Field(description="The due date from the rules, on the organisation's clock; null if none")
    url: str = Field(description="The portal page where it is done")


class AttentionOut(Schema):
    items: list[AttentionItemOut]
    count: int


@router.get("attention", response={200: AttentionOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}, auth=AUTH)
def attention(request: HttpRequest) -> AttentionOut:
    """What waits for the caller in the active organisation (`X-Organisation`), as the portal's home lists it:
    only for the applications granted to the caller there."""
    user: User = request.user  # type: ignore[assignment]
    organisation = active_organisation(request)
    with tenant_scope(organisation):
        membership = selectors.membership_for(user, organisation.pk)
        assert membership is not None  # active_organisation found it among the caller's memberships
        granted = selectors.granted_applications(user, organisation)
        items = home.attention_for(homepage.viewer_of(user, membership, granted))
    return AttentionOut(
        items=[
            AttentionItemOut(kind=item.kind, number=item.number, title=item.title, due=item.due, url=item.url)
            for item in items
        ],
        count=len(items),
    )


def _mount_notifications() -> None:
    # Their own module (the caller's notifications are the kernel's, not the account's identity).
    from .api_notifications import router as notifications

    router.add_router("", notifications)


_mount_notifications()
