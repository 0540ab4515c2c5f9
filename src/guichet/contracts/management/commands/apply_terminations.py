"""Apply accepted terminations whose effective date has come (what the Celery beat task does)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from guichet.contracts.services import terminations_apply_due


class Command(BaseCommand):
    help = "Apply accepted contract terminations whose effective date has come. Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (tests, catch-up)")

    def handle(self, *args: Any, today: date | None = None, **options: Any) -> None:
        applied = terminations_apply_due(today=today)
        self.stdout.write(f"{applied} termination(s) applied")
