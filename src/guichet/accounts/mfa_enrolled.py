"""Whether a member of staff has enrolled a second factor, remembered a while in the shared cache.

Every staff page asks (StaffMfaRequiredMiddleware). An enrolled factor is remembered for
MFA_REMEMBERED_SECONDS: one query less on every staff page. Removing an authenticator forgets it at
once (accounts/signals.py), so only "enrolled" is ever remembered. The remembered answer is read in
the same round trip as the signed-in person's row (session_user.kept_user) and left on the user.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.core.cache import cache

MFA_REMEMBERED_SECONDS = 300
PREFETCHED = "_guichet_mfa_enrolled"  # attribute kept_user sets when the cache said "enrolled"


def mfa_key(user_id: object) -> str:
    return f"guichet:mfa-enrolled:{user_id}"


def forget_mfa(user_id: object) -> None:
    cache.delete(mfa_key(user_id))


def has_mfa(user: object) -> bool:
    if getattr(user, PREFETCHED, False):
        return True
    key = mfa_key(getattr(user, "pk", None))
    if cache.get(key):
        return True
    enrolled = Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
    if enrolled:
        cache.set(key, True, MFA_REMEMBERED_SECONDS)
    return enrolled
