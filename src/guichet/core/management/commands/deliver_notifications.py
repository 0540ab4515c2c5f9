"""Send what the outbox owes, for installs without a Celery broker (run it from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from rich.progress import Progress

from guichet.core.notifications import delivery


class Command(BaseCommand):
    help = "Deliver pending and stuck outbox e-mails once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=5000)

    def handle(self, *args: Any, limit: int, **options: Any) -> None:
        ids = delivery.due_ids(limit)
        sent = 0
        with Progress(transient=True) as progress:
            task = progress.add_task("Delivering e-mails", total=len(ids))
            for message_id in ids:
                sent += delivery.deliver(message_id)
                progress.advance(task)
        self.stdout.write(f"{sent} sent, {len(ids) - sent} left for a later try.")
