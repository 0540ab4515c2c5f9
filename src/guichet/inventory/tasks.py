"""Periodic inventory work (Celery beat); safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def apply_due_transfers() -> int:
    """Confirmed transfers whose machine has left: end the contract line, mark the machine gone."""
    return services.transfers_take_effect()


@shared_task(ignore_result=True)
def import_inventory_file(job_id: int) -> str:
    """A CSV uploaded in the console, imported outside the request (progress in the cache)."""
    from .importer import run_job

    return run_job(job_id)
