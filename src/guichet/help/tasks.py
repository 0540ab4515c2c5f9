"""Background work of the help centre."""

from __future__ import annotations

from celery import shared_task

from .search_store import build_and_store


@shared_task
def rebuild_search_index() -> str:
    """Bring the stored search index up to the articles (a no-op when it already is)."""
    built = build_and_store()
    return built.version
