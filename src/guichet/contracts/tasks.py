"""Periodic contract housekeeping (Celery beat); safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def apply_due_terminations() -> int:
    return services.terminations_apply_due()
