"""Search the help centre from the shell; `--jsonl` answers a stream of queries."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from guichet.core.models import Country
from guichet.help import selectors


class Command(BaseCommand):
    help = 'Search help articles: `help_search --lang fr --country BE --json "query"`, or --jsonl from stdin.'

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("query", nargs="?", default="")
        parser.add_argument("--lang", default="en")
        parser.add_argument("--country", default="BE")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="print a JSON array")
        parser.add_argument("--jsonl", action="store_true", help='read {"q","lang","country"} lines from stdin')

    def _search(self, query: str, lang: str, country: str, limit: int) -> list[dict[str, object]]:
        if country not in Country.values:
            raise CommandError(f"unknown country {country!r} (BE, CA, RO)")
        return [r.as_json() for r in selectors.search_articles(query, language=lang, country=country, limit=limit)]

    def handle(self, *args: Any, **options: Any) -> None:
        if options["jsonl"]:
            for line in sys.stdin:
                if not line.strip():
                    continue
                request = json.loads(line)
                results = self._search(
                    request.get("q", ""),
                    request.get("lang", options["lang"]),
                    request.get("country", options["country"]),
                    options["limit"],
                )
                self.stdout.write(json.dumps(results, ensure_ascii=False))
            return
        if not options["query"]:
            raise CommandError("give a query, or --jsonl")
        results = self._search(options["query"], options["lang"], options["country"], options["limit"])
        if options["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False))
        else:
            for result in results:
                self.stdout.write(f"{result['score']:.4f}  {result['slug']}  {result['title']}")
