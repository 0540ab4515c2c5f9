"""Deploy step: build the help search index (lexical + embeddings) and store it for every process."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from guichet.help.search_store import build_and_store


class Command(BaseCommand):
    help = "Build the help search index and store it (skipped when the stored one matches the articles)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="rebuild even if the stored index is current")

    def handle(self, *args: Any, force: bool, **options: Any) -> None:
        started = time.perf_counter()
        columns = (TextColumn("embedding articles"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, transient=True, disable=not self.stdout.isatty()) as bar:
            task = bar.add_task("embed", total=None)
            built = build_and_store(
                force=force,
                on_total=lambda total: bar.update(task, total=total),
                progress=lambda done: bar.advance(task, done),
            )
        seconds = time.perf_counter() - started
        if built.rebuilt:
            self.stdout.write(
                f"Help search index {built.version[:12]} built: {built.documents} translations, "
                f"{built.embedded} passages embedded, {seconds:.1f} s."
            )
        else:
            self.stdout.write(
                f"Help search index {built.version[:12]} already current ({built.documents} translations)."
            )
