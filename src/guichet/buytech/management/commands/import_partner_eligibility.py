"""Apply the partner's eligibility CSV (customer_number, partner_id, status): all rows or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guichet.buytech import services
from guichet.core.errors import DomainError


class Command(BaseCommand):
    help = "Import the partner's Buy Tech eligibility file (CSV: customer_number, partner_id, status)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error

        def progress(done: int, total: int) -> None:
            if done == total or done % 100 == 0:
                self.stdout.write(f"{done}/{total}")

        try:
            record = services.partner_import(actor=None, file_name=path.name, content=content, progress=progress)
        except DomainError as error:
            for row in error.details.get("errors", []):
                self.stderr.write(f"line {row['line']}: {row['message']}")
            raise CommandError(str(error.message)) from error
        self.stdout.write(
            self.style.SUCCESS(f"{record.rows} rows imported: {record.eligible} eligible, {record.refused} refused.")
        )
