"""Periodic request housekeeping (Celery beat); safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def close_resolved_requests() -> int:
    return services.auto_close_resolved()


@shared_task(ignore_result=True)
def escalate_late_requests() -> int:
    return services.escalate_breaches()
