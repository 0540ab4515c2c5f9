"""Writes: one transaction each, with its audit event and outbox e-mails."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from guichet.core import audit
from guichet.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from guichet.core.notifications.outbox import enqueue

from . import rules, selectors
from .errors import Code
from .models import (
    AccessRequest,
    ApiToken,
    Application,
    ApplicationGrant,
    Consent,
    Invitation,
    JoinRequest,
    Language,
    Membership,
    Organisation,
    User,
)


def _ensure_can_grant(actor: User, organisation: Organisation, application: str) -> None:
    if not rules.can_grant(
        selectors.actor_for(actor, organisation), org_country=organisation.country, application=application
    ):
        raise PermissionDenied(_("You may not grant this application for this organisation."))


def _application_url(language: str, application: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("portal:application", kwargs={"application": application})


def _new_customer_number(country: str) -> str:
    # Self-registered organisations get a provisional number until an agent matches them.
    return f"{country}-P{get_random_string(8, allowed_chars='0123456789')}"


@transaction.atomic
def language_chosen(user: User, language: str) -> None:
    """The switcher's language becomes the person's preferred one: pages, e-mails and PDFs follow it."""
    if language in Language.values and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def customer_register(*, user: User, data: dict[str, Any], request: HttpRequest | None) -> Membership | None:
    """Complete a new identity: profile, consents, and its organisation membership.

    An invitation to the address joins its organisation as a member (with no application: a
    representative must grant each one). A known customer number of the same country without an
    invitation makes a pending applicant of that organisation, with no membership, until one of
    its customer admins approves. Otherwise a provisional organisation is created for an agent
    to verify.
    """
    user.first_name = data["first_name"]
    user.last_name = data["last_name"]
    user.phone = data["phone"]
    user.country = data["country"]
    user.language = data["language"]
    user.kind = User.Kind.CUSTOMER
    user.save()

    ip = audit.client_ip(request)
    for purpose in (Consent.Purpose.CONTACT, Consent.Purpose.TRANSFER):
        Consent.objects.create(user=user, purpose=purpose, wording_version=rules.CONSENT_WORDING_VERSION, ip=ip)

    organisation = None
    number = (data.get("customer_number") or "").strip()
    if number:
        organisation = Organisation.objects.filter(customer_number__iexact=number, country=data["country"]).first()
    invitation = _open_invitation(user.email, organisation)
    if invitation is not None:
        # Invited by a customer admin: the address, verified before the first sign-in, proves it.
        organisation = invitation.organisation
    elif organisation is not None:
        # A customer number is no secret (numbers are sequential): ask the organisation's admins.
        _record_registration(user, organisation, request)
        _ask_to_join(user, organisation, request)
        return None
    else:
        organisation = Organisation.objects.create(
            customer_number=_new_customer_number(data["country"]),
            name=data["company_name"],
            country=data["country"],
            language=data["language"],
        )
    membership = Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.MEMBER)
    if invitation is not None:
        _mark_accepted(invitation, user, request)
    _record_registration(user, organisation, request)
    return membership


def _record_registration(user: User, organisation: Organisation, request: HttpRequest | None) -> None:
    audit.record(
        "account.registered",
        actor=user,
        organisation=organisation,
        target=user.email,
        request=request,
        data={"consents": ["contact", "transfer"], "wording_version": rules.CONSENT_WORDING_VERSION},
    )


# --- joining an existing organisation: approval by a customer admin, or an invitation -------------


def _open_invitation(email: str, organisation: Organisation | None) -> Invitation | None:
    invitations = Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True).select_related(
        "organisation"
    )
    if organisation is not None:
        invitations = invitations.filter(organisation=organisation)
    return invitations.order_by("-created_at").first()


def _ask_to_join(user: User, organisation: Organisation, request: HttpRequest | None) -> JoinRequest:
    join_request = JoinRequest.objects.create(user=user, organisation=organisation)
    audit.record("membership.requested", actor=user, organisation=organisation, target=user.email, request=request)
    for admin in selectors.customer_admins_of(organisation):
        enqueue(
            to=admin.email,
            language=admin.language,
            template="join_requested",
            context={
                "first_name": admin.first_name,
                "applicant": user.get_full_name(),
                "applicant_email": user.email,
                "organisation": organisation.name,
                "url": _portal_url(admin.language, "portal:team"),
            },
            thread_key=f"join-{join_request.pk}",
        )
    return join_request


def _portal_url(language: str, name: str, **kwargs: Any) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(name, kwargs=kwargs or None)


def _ensure_customer_admin(actor: User, organisation: Organisation) -> None:
    if selectors.actor_for(actor, organisation).role_in_org != Membership.Role.ADMIN:
        raise PermissionDenied(_("Only a customer admin of the organisation may do this."))


@transaction.atomic
def join_request_decide(
    *, actor: User, join_request: JoinRequest, approve: bool, request: HttpRequest | None
) -> JoinRequest:
    organisation = join_request.organisation
    _ensure_customer_admin(actor, organisation)
    locked = JoinRequest.objects.select_for_update().get(pk=join_request.pk, organisation=organisation)
    if locked.status != JoinRequest.Status.PENDING:
        raise Conflict(_("This request has already been decided."), code=Code.ALREADY_DECIDED)
    locked.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.REFUSED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save()
    applicant = locked.user
    if approve:
        Membership.objects.get_or_create(user=applicant, organisation=organisation)
    audit.record(
        "membership.approved" if approve else "membership.refused",
        actor=actor,
        organisation=organisation,
        target=applicant.email,
        request=request,
    )
    enqueue(
        to=applicant.email,
        language=applicant.language,
        template="join_approved" if approve else "join_refused",
        context={
            "first_name": applicant.first_name,
            "organisation": organisation.name,
            "url": _portal_url(applicant.language, "portal:home"),
        },
        thread_key=f"join-{locked.pk}",
    )
    return locked


INVITATION_SALT = "guichet.accounts.invitation"
INVITATION_MAX_AGE = timedelta(days=14)


@transaction.atomic
def invitation_create(
    *, actor: User, organisation: Organisation, email: str, request: HttpRequest | None
) -> Invitation:
    _ensure_customer_admin(actor, organisation)
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise Conflict(_("This person is already a member of the organisation."), code=Code.ALREADY_MEMBER)
    invitation = Invitation.objects.create(organisation=organisation, email=email, invited_by=actor)
    token = signing.dumps(invitation.pk, salt=INVITATION_SALT)
    audit.record("membership.invited", actor=actor, organisation=organisation, target=email, request=request)
    enqueue(
        to=email,
        language=organisation.language,
        template="invitation",
        context={
            "inviter": actor.get_full_name(),
            "organisation": organisation.name,
            "url": _portal_url(organisation.language, "portal:invitation", token=token),
            "days": INVITATION_MAX_AGE.days,
        },
    )
    return invitation


def invitation_from_token(token: str) -> Invitation:
    """The open invitation a link names; a forged, expired or used link is a 404."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:
        raise NotFound(_("This invitation link is not valid or has expired.")) from None
    invitation = Invitation.objects.filter(pk=pk, accepted_at__isnull=True).select_related("organisation").first()
    if invitation is None:
        raise NotFound(_("This invitation link is not valid or has expired."))
    return invitation


@transaction.atomic
def invitation_accept(*, actor: User, token: str, request: HttpRequest | None) -> Membership:
    invitation = invitation_from_token(token)
    if invitation.email.lower() != actor.email.lower():
        raise PermissionDenied(
            _("This invitation was sent to another e-mail address. Sign in with that address to accept it."),
            code=Code.OTHER_ADDRESS,
        )
    membership, _created = Membership.objects.get_or_create(user=actor, organisation=invitation.organisation)
    _mark_accepted(invitation, actor, request)
    return membership


def _mark_accepted(invitation: Invitation, user: User, request: HttpRequest | None) -> None:
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    # An application waiting for the same organisation is answered by the invitation.
    JoinRequest.objects.filter(
        user=user, organisation=invitation.organisation, status=JoinRequest.Status.PENDING
    ).update(status=JoinRequest.Status.APPROVED, decided_by=invitation.invited_by, decided_at=timezone.now())
    audit.record(
        "membership.invitation_accepted",
        actor=user,
        organisation=invitation.organisation,
        target=user.email,
        request=request,
    )


@transaction.atomic
def profile_update(*, actor: User, changes: dict[str, Any], request: HttpRequest | None) -> User:
    before = {field: getattr(actor, field) for field in changes}
    for field, value in changes.items():
        setattr(actor, field, value)
    actor.save(update_fields=list(changes))
    changed = {field: [before[field], value] for field, value in changes.items() if before[field] != value}
    if changed:
        audit.record("account.profile_changed", actor=actor, target=actor.email, request=request, data=changed)
    return actor


@transaction.atomic
def access_request_create(
    *, actor: User, organisation: Organisation, application: str, note: str = "", request: HttpRequest | None
) -> AccessRequest:
    _ensure_offered(organisation, application)
    if selectors.membership_for(actor, organisation.pk) is None:
        raise PermissionDenied(_("You are not a member of this organisation."))
    if application in selectors.granted_applications(actor, organisation):
        raise Conflict(_("You already have access to this application."), code=Code.ALREADY_GRANTED)
    try:
        with transaction.atomic():
            access_request = AccessRequest.objects.create(
                organisation=organisation, user=actor, application=application, note=note.strip()[:1000]
            )
    except IntegrityError:
        raise Conflict(_("You have already asked for this application."), code=Code.ALREADY_REQUESTED) from None
    audit.record("access.requested", actor=actor, organisation=organisation, target=application, request=request)
    return access_request


def _ensure_offered(organisation: Organisation, application: str) -> None:
    """An application the organisation's country does not offer is as unknown as one that does not exist."""
    if application not in Application.values or not rules.application_offered(application, organisation.country):
        raise DomainError(_("Unknown application."), code=Code.UNKNOWN_APPLICATION)


def _grant(*, actor: User, organisation: Organisation, user: User, application: str) -> ApplicationGrant:
    grant, _created = ApplicationGrant.objects.get_or_create(
        organisation=organisation, user=user, application=application, defaults={"granted_by": actor}
    )
    return grant


def _tell_decision(access_request: AccessRequest) -> None:
    user = access_request.user
    granted = access_request.status == AccessRequest.Status.GRANTED
    enqueue(
        to=user.email,
        language=user.language,
        template="access_granted" if granted else "access_refused",
        context={
            "first_name": user.first_name,
            "organisation": access_request.organisation.name,
            "application": access_request.application,
            "reason": access_request.reason,
            "url": _application_url(user.language, access_request.application),
        },
        thread_key=f"access-{access_request.pk}",
    )


@transaction.atomic
def access_request_decide(
    *, actor: User, access_request: AccessRequest, grant: bool, reason: str = "", request: HttpRequest | None
) -> AccessRequest:
    organisation = access_request.organisation
    _ensure_can_grant(actor, organisation, access_request.application)
    if grant:
        _ensure_offered(organisation, access_request.application)
    locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk, organisation=organisation)
    if locked.status != AccessRequest.Status.PENDING:
        raise Conflict(_("This request has already been decided."), code=Code.ALREADY_DECIDED)
    reason = reason.strip()
    if not grant and not reason:
        raise DomainError(_("Give the customer a reason for the refusal."), code=Code.REASON_REQUIRED)
    locked.status = AccessRequest.Status.GRANTED if grant else AccessRequest.Status.REFUSED
    locked.reason = reason[:1000]
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save()
    if grant:
        _grant(actor=actor, organisation=organisation, user=locked.user, application=locked.application)
    audit.record(
        "access.granted" if grant else "access.refused",
        actor=actor,
        organisation=organisation,
        target=f"{locked.user.email}:{locked.application}",
        request=request,
        data={"reason": locked.reason} if locked.reason else {},
    )
    _tell_decision(locked)
    return locked


@transaction.atomic
def application_grant(
    *, actor: User, organisation: Organisation, user: User, application: str, request: HttpRequest | None
) -> ApplicationGrant:
    """Open an application directly (a customer admin for a colleague, or an agent)."""
    _ensure_offered(organisation, application)
    _ensure_can_grant(actor, organisation, application)
    if selectors.membership_for(user, organisation.pk) is None:
        raise PermissionDenied(_("This person is not a member of the organisation."))
    grant = _grant(actor=actor, organisation=organisation, user=user, application=application)
    # A direct grant answers any pending request for the same application.
    for pending in AccessRequest.objects.filter(
        organisation=organisation, user=user, application=application, status=AccessRequest.Status.PENDING
    ):
        pending.status = AccessRequest.Status.GRANTED
        pending.decided_by = actor
        pending.decided_at = timezone.now()
        pending.save()
        _tell_decision(pending)
    audit.record(
        "access.granted", actor=actor, organisation=organisation, target=f"{user.email}:{application}", request=request
    )
    return grant


@transaction.atomic
def application_revoke(
    *, actor: User, organisation: Organisation, user: User, application: str, request: HttpRequest | None
) -> None:
    _ensure_can_grant(actor, organisation, application)
    deleted, _rows = ApplicationGrant.objects.filter(
        organisation=organisation, user=user, application=application
    ).delete()
    if deleted:
        audit.record(
            "access.revoked",
            actor=actor,
            organisation=organisation,
            target=f"{user.email}:{application}",
            request=request,
        )


def organisation_switch(*, actor: User, organisation_id: int, request: HttpRequest) -> Membership:
    membership = selectors.membership_for(actor, organisation_id)
    if membership is None:
        raise PermissionDenied(_("You are not a member of this organisation."))
    request.session["active_organisation"] = membership.organisation_id
    return membership


@transaction.atomic
def api_tokens_revoke(
    *, user: User, reason: str, request: HttpRequest | None = None, token_id: int | None = None
) -> int:
    """Delete `user`'s API tokens (or the one `token_id`): the revocation is the row's absence.

    `reason`: "revoked" by the owner or an administrator, or what made every token untrustworthy
    ("password_changed", "mfa_changed", "deactivated").
    """
    tokens = ApiToken.objects.filter(user=user)
    if token_id is not None:
        tokens = tokens.filter(pk=token_id)
    deleted, _rows = tokens.delete()
    if deleted:
        actor = getattr(request, "user", None) or user
        audit.record(
            "api.tokens_revoked",
            actor=actor if isinstance(actor, User) else user,
            target=user.email,
            request=request,
            data={"reason": reason, "count": deleted},
        )
    return deleted
