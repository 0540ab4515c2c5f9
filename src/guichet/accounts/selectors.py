"""Reads. Every tenant read takes the organisation; foreign and missing look the same."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from guichet.core.models import AuditEvent
from guichet.core.tenancy import across_organisations

from . import jurisdiction, rules
from .models import (
    AccessRequest,
    ApiToken,
    Application,
    ApplicationGrant,
    JoinRequest,
    Membership,
    Organisation,
    User,
)


def actor_for(user: User, organisation: Organisation | None = None) -> rules.Actor:
    if user.is_administrator:
        return rules.Actor(kind="admin")
    if user.is_agent:
        return rules.Actor(kind="agent", country=user.country)
    role = ""
    if organisation is not None:
        membership = Membership.objects.filter(user=user, organisation=organisation).first()
        role = membership.role if membership else ""
    return rules.Actor(kind="customer", role_in_org=role)


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")


def membership_for(user: User, organisation_id: int | None) -> Membership | None:
    if organisation_id is None:
        return None
    return memberships_of(user).filter(organisation_id=organisation_id).first()


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's tokens still in force (expired ones wait for the periodic purge)."""
    return ApiToken.objects.filter(user=user, expires_at__gt=timezone.now())


def applications_offered(organisation: Organisation) -> list[tuple[str, str]]:
    """The applications (value, label) the organisation's country offers, in navigation order."""
    return [
        (app, str(label)) for app, label in Application.choices if rules.application_offered(app, organisation.country)
    ]


def granted_applications(user: User, organisation: Organisation) -> set[str]:
    """What `user` may open in `organisation`: a grant for an application its country does not offer opens nothing."""
    granted = ApplicationGrant.objects.filter(organisation=organisation, user=user).values_list(
        "application", flat=True
    )
    return {app for app in granted if rules.application_offered(app, organisation.country)}


def access_requests_of(user: User, organisation: Organisation) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.filter(organisation=organisation, user=user).order_by("-created_at")


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation=organisation).select_related("user").order_by("user__last_name")


def grants_in(organisation: Organisation) -> QuerySet[ApplicationGrant]:
    return ApplicationGrant.objects.filter(organisation=organisation)


def pending_requests_in(organisation: Organisation) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.filter(organisation=organisation, status=AccessRequest.Status.PENDING).select_related(
        "user"
    )


def is_member_address(organisation: Organisation, email: str) -> bool:
    return Membership.objects.filter(
        organisation=organisation, user__email__iexact=email, user__is_active=True
    ).exists()


def has_confirmed_address(user: User, email: str) -> bool:
    """`email` is one of `user`'s addresses and was verified (allauth's confirmation link)."""
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def customer_admins_of(organisation: Organisation) -> list[User]:
    return [m.user for m in members_of(organisation).filter(role=Membership.Role.ADMIN, user__is_active=True)]


def pending_applicants_of(organisation: Organisation) -> QuerySet[JoinRequest]:
    """People who asked to join: not members, shown apart and labelled as applicants."""
    return JoinRequest.objects.filter(organisation=organisation, status=JoinRequest.Status.PENDING).select_related(
        "user"
    )


def get_pending_applicant(organisation: Organisation, pk: int) -> JoinRequest:
    join_request = pending_applicants_of(organisation).filter(pk=pk).first()
    if join_request is None:
        raise Http404
    return join_request


def join_requests_of(user: User) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(user=user, status=JoinRequest.Status.PENDING).select_related("organisation")


def get_member_for(organisation: Organisation, user_id: int) -> Membership:
    membership = members_of(organisation).filter(user_id=user_id).first()
    if membership is None:
        raise Http404
    return membership


# --- vendor staff (console): across organisations, limited to their country --------


def _visible_organisations(staff: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(jurisdiction.served_by(staff, ""))


def search_organisations(staff: User, query: str = "") -> QuerySet[Organisation]:
    organisations = _visible_organisations(staff)
    query = query.strip()
    if query:
        organisations = organisations.filter(
            Q(name__icontains=query)
            | Q(customer_number__iexact=query)
            | Q(memberships__user__email__icontains=query)
            | Q(memberships__user__last_name__icontains=query)
        ).distinct()
    return organisations.order_by("name")


def get_organisation_for_staff(staff: User, customer_number: str) -> Organisation:
    organisation = _visible_organisations(staff).filter(customer_number=customer_number).first()
    if organisation is None:
        raise Http404
    return organisation


def pending_access_requests_for_staff(staff: User) -> list[AccessRequest]:
    with across_organisations():
        return list(
            AccessRequest.objects.filter(
                status=AccessRequest.Status.PENDING, organisation__in=_visible_organisations(staff)
            )
            .select_related("user", "organisation")
            .order_by("created_at")
        )


def get_access_request_for_staff(staff: User, pk: int) -> AccessRequest:
    with across_organisations():
        request = (
            AccessRequest.objects.filter(pk=pk, organisation__in=_visible_organisations(staff))
            .select_related("user", "organisation")
            .first()
        )
    if request is None:
        raise Http404
    return request


def audit_trail_of(organisation: Organisation, limit: int = 200) -> QuerySet[AuditEvent]:
    member_ids = Membership.objects.filter(organisation=organisation).values("user_id")
    # Organisation events, plus the members' own sign-ins and profile changes.
    return (
        AuditEvent.objects.filter(Q(organisation=organisation) | Q(organisation__isnull=True, actor_id__in=member_ids))
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
