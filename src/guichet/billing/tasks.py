"""Thin, idempotent periodic work."""

from __future__ import annotations

from celery import shared_task


@shared_task
def refresh_invoice_statuses() -> int:
    """Nightly: unpaid invoices past their due date become overdue."""
    from .services import invoices_refresh_statuses

    return invoices_refresh_statuses()
