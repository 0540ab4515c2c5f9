"""Who an API call is, and for which organisation: bearer tokens, sessions, application grants."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from guichet.core import data_versions
from guichet.core.case_selectors import Reader
from guichet.core.errors import NotFound, PermissionDenied

from . import rules
from .access_cache import READS, access_of, offered
from .errors import Code
from .models import ApiToken, Application

# How stale a token's "last used" may be. Writing it on every call made each API read a write (a row
# lock, a WAL record, a dead tuple for VACUUM); a minute is finer than anyone reading it needs.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# How long a kept token row may stay unread (it is right as long as accounts' data version is current).
TOKEN_CACHE_SECONDS = 600


def _note_use(token: ApiToken) -> None:
    """Record that `token` was used now, at most once a minute (the condition is in SQL, so two
    workers racing on the same token still write once)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)
    token.last_used_at = now


def kept_token(key_hash: str) -> ApiToken | None:
    """The token of an active person with this hash, and its user, from the shared cache while
    accounts' data is unchanged (decision 0017, as the signed-in person's row): every write to one of
    its tables (a token revoked or created, its "last used" once a minute, a person deactivated)
    replaces the version, so the row is never stale. Its expiry is the caller's to compare: it
    passes without any write. A hash no active person's token has is asked again every time."""
    version = data_versions.current(READS)["accounts"]
    key = f"guichet:api-token:{version}:{key_hash}"
    row: ApiToken | None = cache.get(key)
    if row is None:
        row = ApiToken.objects.select_related("user").filter(key_hash=key_hash, user__is_active=True).first()
        if row is not None:
            cache.set(key, row, TOKEN_CACHE_SECONDS)
    return row


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = kept_token(ApiToken.hash(token))
        if row is None or row.expires_at <= timezone.now():
            return None
        _note_use(row)
        request.user = row.user
        request.api_token = row  # type: ignore[attr-defined]  # DELETE /auth/token revokes this one
        return row.user


AUTH = [BearerToken(), SessionAuth()]


KEPT = "_guichet_api_access"  # the caller's memberships and grants, on the API call's request


def _access(request: HttpRequest) -> Any:
    """The caller's memberships and grants (`access_cache.access_of`), read once per API call.

    Every endpoint asks for them first (the organisation, then the grants: two or three look-ups,
    each a version read and a cache read); an API call writes no membership or grant before it
    asks, so the first answer stands for the rest of the call (issue 17, request creation)."""
    kept = getattr(request, KEPT, None)
    if kept is None:
        kept = access_of(request.user)  # type: ignore[arg-type]  # kept until accounts' data changes
        setattr(request, KEPT, kept)
    return kept


def granted_to_caller(request: HttpRequest, organisation: Any) -> set[str]:
    """The applications the caller may open in `organisation`, from the kept entry read once per call
    (selectors.granted_applications reads the same from the database)."""
    return offered(_access(request)[1], organisation)


def active_organisation(request: HttpRequest) -> Any:
    """The organisation an API call acts for: `X-Organisation` (customer number), else the first."""
    user = request.user
    if getattr(user, "is_vendor_staff", False):
        raise PermissionDenied("Customer endpoints are for customer accounts.", code=Code.CUSTOMER_ONLY)
    memberships, _grants = _access(request)
    wanted = request.headers.get("X-Organisation", "")
    if wanted:
        memberships = [m for m in memberships if m.organisation.customer_number == wanted]
        if not memberships:
            raise NotFound("No such organisation.")
    if not memberships:
        raise PermissionDenied("This account is not linked to an organisation.", code=Code.NO_ORGANISATION)
    return memberships[0].organisation


def require_application(request: HttpRequest, application: str) -> Any:
    """The active organisation, if the user holds a grant for `application` there (else 403).

    An application the organisation's country does not offer (Buy Tech outside Belgium) is a 404.
    """
    organisation = active_organisation(request)
    if not rules.application_offered(application, organisation.country):
        raise NotFound(_("Not found."))
    if application not in granted_to_caller(request, organisation):
        raise PermissionDenied(
            f"You have no access to {Application(application).label}. Ask for it in the portal.",
            code=Code.APPLICATION_NOT_GRANTED,
            details={"application": application},
        )
    return organisation


def case_reader(request: HttpRequest) -> tuple[Any, Reader]:
    """The active organisation and who reads its case index (their grants there, whether they administer it)."""
    organisation = active_organisation(request)
    user: Any = request.user
    memberships, _grants = _access(request)
    membership = next(m for m in memberships if m.organisation_id == organisation.pk)
    granted = granted_to_caller(request, organisation)
    return organisation, Reader(user_id=user.pk, granted=frozenset(granted), is_admin=membership.is_admin)
