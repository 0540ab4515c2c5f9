"""Load the shipped help articles (new ones only; --overwrite resets edited texts)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from guichet.help.services import load_bundled_content


class Command(BaseCommand):
    help = "Load the help articles shipped in help/content/."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--overwrite", action="store_true", help="also reset texts edited in the admin")

    def handle(self, *args: Any, overwrite: bool, **options: Any) -> None:
        written = load_bundled_content(overwrite=overwrite)
        self.stdout.write(f"{written} help rows written.")
