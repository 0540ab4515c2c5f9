"""Send the daily notification digests, for installs without Celery beat (run it from cron once a day)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from guichet.core.notifications import digest


class Command(BaseCommand):
    help = "Enqueue one digest e-mail per person with notifications held for it (at most one a day each)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{digest.send_digests()} digests enqueued.")
