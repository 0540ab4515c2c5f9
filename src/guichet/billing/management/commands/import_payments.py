"""`guichet import_payments FILE`: a bank CSV, all or nothing, with a progress bar and a per-row report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from guichet.billing import services


class Command(BaseCommand):
    help = (
        "Import payments from a bank CSV file (date,amount,currency,reference,customer_number[,invoice_number,method])."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        console = Console(file=self.stdout)  # type: ignore[arg-type]
        data = path.read_bytes()
        rows = max(data.count(b"\n") - 1, 1)
        progress = Progress(
            TextColumn("[bold]Importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        try:
            with progress:
                task = progress.add_task("import", total=rows)
                report = services.payments_import(
                    actor=None, data=data, progress=lambda done: progress.update(task, completed=done)
                )
        except services.ImportRejected as rejected:
            table = Table(title=f"{path.name}: rejected, nothing imported")
            for column in ("line", "column", "problem"):
                table.add_column(column)
            for error in rejected.report.errors:
                table.add_row(str(error.line), error.column, str(error.message))
            console.print(table)
            raise CommandError(f"{len(rejected.report.errors)} problems; nothing was imported.") from None
        console.print(
            f"{report.imported} payments imported ({report.allocated} allocated to invoices), "
            f"{report.already_imported} already imported."
        )
