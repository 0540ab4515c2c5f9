"""What makes a user's API tokens untrustworthy, wherever it happens (pages, admin, commands)."""

from __future__ import annotations

from typing import Any

from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from . import login_limits, services
from .mfa_enrolled import forget_mfa
from .models import User


@receiver(post_save, sender=User)
def _password_or_activity_changed(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    # `_password` holds the new raw password from set_password() until save() has finished: every
    # way of changing a password (form, reset link, admin, changepassword) passes through it.
    if created:
        return
    if getattr(instance, "_password", None) is not None:
        services.api_tokens_revoke(user=instance, reason="password_changed")
    elif not instance.is_active:
        services.api_tokens_revoke(user=instance, reason="deactivated")


@receiver(mfa_signals.authenticator_added)
@receiver(mfa_signals.authenticator_removed)
@receiver(mfa_signals.authenticator_reset)
def _mfa_changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    services.api_tokens_revoke(user=user, reason="mfa_changed", request=request)


@receiver(mfa_signals.authentication_failed)
def _wrong_code_on_the_page(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    # The page's own count is allauth's (per user); the address count is ours, as for the API.
    login_limits.record_address_failure(request, user.email)


@receiver(post_delete, sender=Authenticator)
def _authenticator_removed(sender: Any, instance: Authenticator, **kwargs: Any) -> None:
    # The MFA rule for staff remembers an enrolment (accounts/middleware.py): forgotten at once.
    forget_mfa(instance.user_id)
