"""Periodic work of the accounts context."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .models import ApiToken


@shared_task
def purge_expired_api_tokens() -> int:
    """Expired tokens no longer authenticate (api_access.py); this removes their rows."""
    deleted, _rows = ApiToken.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
