"""Sign-in failure limits shared by the login form, the MFA step, the API token and contract signing.

Two counts, both in the shared cache (`CACHE_URL`, Redis in production: settings refuse to start
without it when DEBUG is off, so every worker process sees the same counts):

- **per account**: allauth's `login_failed` rate (settings `LOGIN_FAILURES_PER_ACCOUNT` in
  `LOGIN_FAILURE_WINDOW_MINUTES`), keyed by the e-mail typed for passwords and by the user for
  authenticator codes, the same key allauth's own MFA form uses, so page and API share it;
- **per address, weighted by account**: an address is refused once `LOGIN_FAILED_ACCOUNTS_PER_IP`
  *different* accounts failed from it in the window. Counting accounts rather than failures means
  a few colleagues mistyping behind one proxy address lock themselves, not the whole office, while
  an address trying passwords across many accounts is stopped.
"""

from __future__ import annotations

import hashlib
import time

from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from guichet.core import audit, shared_cache
from guichet.core.errors import DomainError
from guichet.core.notifications.outbox import enqueue

from .errors import Code
from .models import User


class Throttled(DomainError):
    code = Code.THROTTLED
    status = 429


TOO_MANY = _("Too many failed login attempts. Try again later.")
UNAVAILABLE = _("Signing in and account changes are unavailable for a few minutes. Please try again shortly.")


class CountingUnavailable(DomainError):
    """The failure counts cannot be read: no password or code is checked without them."""

    code = Code.SIGN_IN_UNAVAILABLE
    status = 503


def require_counting() -> None:
    """Fail closed: while the shared cache is unreachable, nobody's password or code is tried."""
    if not shared_cache.reachable():
        raise CountingUnavailable(UNAVAILABLE)


def _window_seconds() -> int:
    return settings.LOGIN_FAILURE_WINDOW_MINUTES * 60


def _address_keys(request: HttpRequest, account: str = "") -> tuple[str, str]:
    # One fixed window per period: the count and the accounts it counted expire together.
    ip = get_adapter(request).get_client_ip(request)
    period = int(time.time() // _window_seconds())
    base = f"guichet:login-failed:{ip}:{period}"
    return base, f"{base}:{hashlib.sha256(account.lower().encode()).hexdigest()}"


def address_blocked(request: HttpRequest) -> bool:
    count_key, _account_key = _address_keys(request)
    return int(cache.get(count_key, 0)) >= settings.LOGIN_FAILED_ACCOUNTS_PER_IP


def record_address_failure(request: HttpRequest, account: str) -> None:
    """Count `account` once against the caller's address (cache.add and incr are atomic on Redis)."""
    count_key, account_key = _address_keys(request, account)
    if cache.add(account_key, 1, timeout=_window_seconds()):
        cache.add(count_key, 0, timeout=_window_seconds())
        cache.incr(count_key)


def _mfa_key(user: User) -> str:
    return f"mfa-auth-user-{user.pk}"  # the key of allauth's MFA form (mfa/base/internal/flows.py)


def verify_totp(request: HttpRequest, user: User, code: str) -> bool:
    """Check an authenticator code outside allauth's pages (API token, API signing), under its limits.

    A wrong code counts against the user and the address; the code that reaches the limit locks
    both for the window, is audited, and tells the user by e-mail that someone has their password.
    Raises `Throttled` while locked, even for the right code, and `CountingUnavailable` while the
    counts cannot be read.
    """
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return False
    require_counting()
    if address_blocked(request) or not ratelimit.consume(request, action="login_failed", key=_mfa_key(user)):
        audit.record("auth.otp_throttled", actor_label=user.email, request=request)
        raise Throttled(TOO_MANY)
    if TOTP(authenticator).validate_code(code):
        ratelimit.clear(request, action="login_failed", key=_mfa_key(user))
        return True
    record_address_failure(request, user.email)
    audit.record("auth.otp_failed", actor_label=user.email, request=request)
    if not ratelimit.consume(request, action="login_failed", key=_mfa_key(user), dry_run=True):
        _lock(request, user)
    return False


@transaction.atomic
def _lock(request: HttpRequest, user: User) -> None:
    audit.record(
        "auth.otp_locked",
        actor=user,
        target=user.email,
        request=request,
        data={"minutes": settings.LOGIN_FAILURE_WINDOW_MINUTES},
    )
    enqueue(
        to=user.email,
        language=user.language,
        template="otp_locked",
        context={
            "first_name": user.first_name,
            "minutes": settings.LOGIN_FAILURE_WINDOW_MINUTES,
            "ip": audit.client_ip(request) or "",
        },
    )
