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
from .access_cache import PREFETCHED, READS, access_key, access_of, offered
from .errors import Code
from .models import ApiToken, Application

# How stale a token's "last used" may be. Writing it on every call made each API read a write (a row
# lock, a WAL record, a dead tuple for VACUUM); a minute is finer than anyone reading it needs.
LAST_USED_RESOLUTION = timedelta(minutes=1)


TOKEN_CACHE_SECONDS = 600


def _note_use(token: ApiToken, key: str) -> bool:
    """Record that `token` was used now, at most once a minute: the kept row (`key`) says when it was
    last written, and the condition is in SQL, so two workers racing on the same token still write
    once. The write replaces no data version (`data_versions.unkept`): "last used" is read from the
    database only (the security page, the admin), and replacing accounts' version once a minute per
    token would make every instance read again every kept session user, access entry and token. The
    kept row is stored again with the new time instead, under the same version, so no other worker
    or instance tries again within the minute. Whether it stored the row."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return False
    with data_versions.unkept():
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    token.last_used_at = now
    cache.set(key, token, TOKEN_CACHE_SECONDS)
    return True


def _token_key(version: str, key_hash: str) -> str:
    return f"guichet:api-token:{version}:{key_hash}"


def kept_token(key_hash: str) -> ApiToken | None:
    """The live token row of hash `key_hash` (its user joined), from the cache while accounts' data
    is unchanged (issue 17: one query less on every API call).

    Kept as session_user.kept_user keeps a signed-in person's row: under the version of the accounts
    application's data, which every write to one of its tables replaces, whoever makes it and on
    whichever instance (a revocation deletes the row; a deactivation, a password or MFA change
    revokes the person's tokens), so a revoked token is refused on its very next call. Its expiry
    and its user's being active are checked on every call, on the kept row as on a fresh one. Only
    a live token is kept: an unknown one is asked again each time. A kept token's caller has their
    memberships and grants (access_cache.py) read under the same version, left for `access_of`.
    """
    version = data_versions.current(READS)["accounts"]
    key = _token_key(version, key_hash)
    row: ApiToken | None = cache.get(key)
    if row is None:
        row = ApiToken.objects.select_related("user").filter(key_hash=key_hash).first()
        if row is None or not _live(row):
            return None
        if not _note_use(row, key):
            cache.set(key, row, TOKEN_CACHE_SECONDS)
        return row
    if not _live(row):
        return None
    _note_use(row, key)  # before the access entry joins the row (not kept with it)
    access = cache.get(access_key(version, row.user_id))
    if access is not None:
        setattr(row.user, PREFETCHED, access)
    return row


def _live(row: ApiToken) -> bool:
    return row.expires_at > timezone.now() and row.user.is_active


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = kept_token(ApiToken.hash(token))
        if row is None:
            return None
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
