"""Store the SLA marks of requests that have none (rows imported or written before the marks existed)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from rich.progress import Progress

from guichet.support import sla
from guichet.support.models import Request


class Command(BaseCommand):
    help = "Compute the 'at risk' and 'breached' instants of requests, in chunks, with progress."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--chunk", type=int, default=2000)
        parser.add_argument("--all", action="store_true", help="recompute every request's marks, not only missing ones")

    def handle(self, *args: Any, chunk: int, all: bool, **options: Any) -> None:
        missing = Request._base_manager.filter(resolution_due__isnull=False)
        if not all:
            missing = missing.filter(sla_breached_from__isnull=True)
        with Progress(transient=True) as progress:
            task = progress.add_task("SLA marks", total=missing.count())
            written = sla.backfill(Request, chunk=chunk, only_missing=not all, done=lambda n: progress.advance(task, n))
        self.stdout.write(f"{written} requests marked.")
