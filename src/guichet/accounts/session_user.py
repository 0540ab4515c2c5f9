"""The signed-in person's row, read from the shared cache instead of the database on every request.

Django's AuthenticationMiddleware loads the user row on each signed-in request (1 query, ~0.65 ms
of the worker's CPU, more of its wall time) only to check that the session still belongs to that
row: the session keeps an HMAC of the password hash, so a password change, made anywhere, ends
every other session at once; and a deactivated or deleted person is signed out at once.

Here the row is kept in the cache under the version of the accounts application's data
(core/data_versions.py), which every write to one of its tables replaces, whoever makes it (a
save, a queryset's update, raw SQL on Django's cursor), at once and again when its transaction
commits. So the row compared is always the current one, and the check that follows is Django's
own, step by step (`django.contrib.auth.get_user`): the session's hash against the row's, then
against SECRET_KEY_FALLBACKS (the session moves to the current key), else the session is flushed.
Only a row the backend accepts (an existing, active person) is kept; a refused one is asked again
on the next request. The entry expires after USER_CACHE_SECONDS in any case, so entries of people
who stopped signing in do not pile up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import (  # type: ignore[attr-defined]  # Django's own session key reader
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    _get_user_session_key,
    load_backend,
)
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from guichet.core import data_versions

from .access_cache import PREFETCHED, READS, access_key
from .mfa_enrolled import PREFETCHED as MFA_PREFETCHED
from .mfa_enrolled import mfa_key

if TYPE_CHECKING:
    from .models import User

USER_CACHE_SECONDS = 600


def _key(version: str, backend_path: str, user_id: Any) -> str:
    return f"guichet:session-user:{version}:{backend_path}:{user_id}"


def kept_user(backend_path: str, user_id: Any) -> User | None:
    """What `backend.get_user(user_id)` answers now, from the cache while accounts' data is unchanged.

    A customer's memberships and grants (access_cache.py) are kept under the same version: they are
    read in the same round trip and left on the user for the request's first `access_of`; so is a
    member of staff's remembered second factor (mfa_enrolled.py), for the MFA middleware.
    """
    version = data_versions.current(READS)["accounts"]
    key, access, mfa = _key(version, backend_path, user_id), access_key(version, user_id), mfa_key(user_id)
    found = cache.get_many([key, access, mfa])
    user: User | None = found.get(key)
    if user is None:
        user = load_backend(backend_path).get_user(user_id)
        if user is not None:
            cache.set(key, user, USER_CACHE_SECONDS)
    if user is not None and access in found:
        setattr(user, PREFETCHED, found[access])
    if user is not None and found.get(mfa):
        setattr(user, MFA_PREFETCHED, True)
    return user


def get_user(request: HttpRequest) -> Any:
    """`django.contrib.auth.get_user` with the row from `kept_user`: the same session verification."""
    user: User | None = None
    try:
        user_id = _get_user_session_key(request)
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        pass
    else:
        if backend_path in settings.AUTHENTICATION_BACKENDS:
            user = kept_user(backend_path, user_id)
            if user is not None:  # Django asks hasattr(user, "get_session_auth_hash"): every User has it
                session_hash = request.session.get(HASH_SESSION_KEY)
                session_auth_hash = user.get_session_auth_hash()
                verified = bool(session_hash) and constant_time_compare(str(session_hash), session_auth_hash)
                if not verified:
                    if session_hash and any(
                        constant_time_compare(session_hash, fallback)
                        for fallback in user.get_session_auth_fallback_hash()
                    ):
                        request.session.cycle_key()
                        request.session[HASH_SESSION_KEY] = session_auth_hash
                    else:
                        request.session.flush()
                        user = None
    return user or AnonymousUser()


class KeptUserAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware (request.user, request.auser), the user row from the cache."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user(request))  # type: ignore[assignment]


def _cached_user(request: HttpRequest) -> Any:
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]
