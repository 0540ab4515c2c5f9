"""An article or translation saved or deleted: the search index follows.

Every save bumps `updated_at` (the search stamp compares it), the cached stamp is dropped so
every process looks again, and once the transaction commits a worker rebuilds the stored
index (tasks.py), re-embedding only the passages that changed.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Article, ArticleTranslation
from .search_store import forget_stamp


@receiver(pre_save, sender=Article)
@receiver(pre_save, sender=ArticleTranslation)
def _touched(sender: Any, instance: Article | ArticleTranslation, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # fixtures keep the times they carry
        instance.updated_at = timezone.now()


@receiver(post_save, sender=Article)
@receiver(post_save, sender=ArticleTranslation)
@receiver(post_delete, sender=Article)
@receiver(post_delete, sender=ArticleTranslation)
def _changed(sender: Any, **kwargs: Any) -> None:
    forget_stamp()
    transaction.on_commit(_enqueue_rebuild)


def _enqueue_rebuild() -> None:
    from .tasks import rebuild_search_index

    rebuild_search_index.delay()
