"""Rebuild the case index ("My requests") from the contexts that hold the cases.

Run it once after deploying the index (the data migration) and whenever a fix changed how a
context maps its statuses. Idempotent: rows already right stay untouched, with their timeline.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from guichet.core import cases


class Command(BaseCommand):
    help = "Rebuild the case index from every context (or the kinds named with --kind)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kind", action="append", default=[], help="Only this kind (repeatable).")

    def handle(self, *args: Any, kind: list[str], **options: Any) -> None:
        known = [source.kind for source in cases.sources()]
        unknown = sorted(set(kind) - set(known))
        if unknown:
            raise CommandError(f"Unknown kind(s): {', '.join(unknown)}. Known: {', '.join(known)}.")
        kinds = kind or known
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        total = 0
        with Progress(*columns, transient=True) as progress:
            for each in kinds:
                task = progress.add_task(f"Indexing {each}", total=None)

                def counted(facts: Any, task: Any = task) -> Any:
                    for item in facts:
                        progress.advance(task)
                        yield item

                total += cases.rebuild(counted(cases.every_case([each])), kinds=[each])
        self.stdout.write(f"{total} cases indexed ({', '.join(kinds)}).")
