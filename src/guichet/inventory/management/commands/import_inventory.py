"""guichet import_inventory CUSTOMER_NUMBER FILE: a customer's machines from CSV, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from guichet.accounts.models import Organisation
from guichet.inventory.importer import ImportRejected, import_file


def _count_rows(path: Path) -> int:
    with path.open("rb") as stream:
        return max(sum(1 for _line in stream) - 1, 0)


class Command(BaseCommand):
    help = "Import an organisation's inventory from a CSV file; a bad file is rejected whole, with a per-row report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", help="customer number, e.g. BE-100001")
        parser.add_argument("file", type=Path)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(customer_number=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['organisation']}.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            disable=options["no_progress"],
            transient=True,
        ) as progress:
            task = progress.add_task("rows", total=_count_rows(path))

            def advance(done: int) -> None:
                if done % 500 == 0:
                    progress.update(task, completed=done)

            try:
                with path.open("rb") as stream:
                    report = import_file(actor=None, organisation=organisation, stream=stream, progress=advance)
            except ImportRejected as rejected:
                bad = rejected.report
                for error in bad.errors:
                    self.stderr.write(f"line {error.line}: {error.column}: {error.message}")
                raise CommandError(
                    f"Rejected: {bad.error_count} problems in {bad.rows} rows; nothing was imported."
                ) from None
        self.stdout.write(f"{report.rows} rows: {report.created} created, {report.updated} updated.")
