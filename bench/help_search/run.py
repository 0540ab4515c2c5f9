"""Help search quality and speed: hit@1, hit@3, MRR@5 and p50/p95 latency per query.

    python bench/help_search/run.py [--split test,nl-test2,...|all] [--modes naive,lexical,semantic]

Builds the index straight from the bundled content (src/guichet/help/content),
so it needs no database. Several splits (comma-separated) share one index per mode.
Held out: `test` (tune on `dev`) and `nl-test5` (tune on `nl-dev`, `nl-test`, `nl-test2`, `nl-test3`, `nl-test4`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
os.environ.setdefault("SECRET_KEY", "bench")
os.environ.setdefault("CACHE_URL", "locmem:")  # one process: its own cache is enough

import django  # noqa: E402

django.setup()

from rich.console import Console  # noqa: E402
from rich.progress import track  # noqa: E402
from rich.table import Table  # noqa: E402

from guichet.help.content import bundled_topics  # noqa: E402
from guichet.help.models import category_label  # noqa: E402
from guichet.help.rendering import plain_text  # noqa: E402
from guichet.help.search import Embedder, HelpIndex, IndexedTranslation  # noqa: E402
from guichet.help.search_store import normalise_query  # noqa: E402
from guichet.help.text import words  # noqa: E402


def load_docs() -> list[IndexedTranslation]:
    return [
        IndexedTranslation(
            slug=topic.slug,
            language=language,
            title=text.title,
            keywords=text.keywords,
            text=plain_text(text.body),
            category=topic.category,
            countries=tuple(topic.countries),
            category_label=category_label(topic.category, language),
        )
        for topic in bundled_topics()
        for language, text in topic.translations.items()
    ]


class Naive:
    """Baseline: count the query's words found as substrings of the article text."""

    def __init__(self, docs: list[IndexedTranslation]) -> None:
        self.docs = [(d, " ".join(words(f"{d.title} {d.keywords} {d.text}"))) for d in docs]

    def search(self, query: str, *, language: str, country: str, limit: int = 10) -> list[str]:
        terms = words(query)
        best: dict[str, int] = {}
        for doc, text in self.docs:
            if country in doc.countries:
                score = sum(term in text for term in terms)
                if score:
                    best[doc.slug] = max(best.get(doc.slug, 0), score)
        return [slug for slug, _ in sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))][:limit]


def evaluate(name: str, search, queries: list[dict]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    hit1 = hit3 = mrr = 0.0
    latencies = []
    misses = []
    for query in track(queries, description=f"{name:>9}", transient=True):
        start = time.perf_counter()
        ranked = search(query["q"], language=query["lang"], country=query["country"], limit=10)
        latencies.append((time.perf_counter() - start) * 1000)
        expected = set(query["expected"])
        rank = next((i for i, slug in enumerate(ranked[:5], start=1) if slug in expected), None)
        hit1 += bool(ranked[:1] and ranked[0] in expected)
        hit3 += bool(expected & set(ranked[:3]))
        mrr += 1 / rank if rank else 0
        if not (expected & set(ranked[:3])):
            misses.append((query["q"], query["expected"], ranked[:3]))
    n = len(queries)
    latencies.sort()
    return {
        "hit@1": hit1 / n,
        "hit@3": hit3 / n,
        "mrr@5": mrr / n,
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(0.95 * (n - 1))],
        "misses": misses,  # type: ignore[dict-item]
    }


SPLITS = ["dev", "test", "nl-dev", "nl-test", "nl-test2", "nl-test3", "nl-test4", "nl-test5"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="test", help=f"one or more of {', '.join(SPLITS)}, comma-separated, or all")
    parser.add_argument("--modes", default="naive,lexical,semantic")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    every = [json.loads(line) for line in (HERE / "queries.jsonl").read_text().splitlines() if line.strip()]
    splits = args.split.split(",")
    if unknown := set(splits) - {*SPLITS, "all"}:
        parser.error(f"unknown split(s): {', '.join(sorted(unknown))}")
    chosen = {name: [q for q in every if name == "all" or q["split"] == name] for name in splits}
    docs = load_docs()
    console = Console()
    tables = {}
    for name, queries in chosen.items():
        tables[name] = Table(title=f"help search, {name} split ({len(queries)} queries, {len(docs)} translations)")
        for column in ("mode", "hit@1", "hit@3", "MRR@5", "p50 ms", "p95 ms"):
            tables[name].add_column(column, justify="right")
    for mode in args.modes.split(","):
        # One index per mode, searched for every split asked (building the embeddings is the slow part).
        if mode == "naive":
            search = Naive(docs).search
        else:
            index = HelpIndex(docs, Embedder() if mode == "semantic" else None)
            index.search("warm up", language="en", country="BE")

            def search(q: str, index: HelpIndex = index, **kw: object) -> list[str]:
                # As the site searches: the query normalised as it is cached (search_store).
                return [hit.slug for hit in index.search(normalise_query(q), **kw)]  # type: ignore[arg-type]

        label = "lexical+semantic" if mode == "semantic" else mode
        for name, queries in chosen.items():
            result = evaluate(label, search, queries)
            tables[name].add_row(
                label,
                *(f"{result[k]:.3f}" for k in ("hit@1", "hit@3", "mrr@5")),
                *(f"{result[k]:.1f}" for k in ("p50_ms", "p95_ms")),
            )
            if args.show_misses:
                for q, expected, got in result["misses"]:  # type: ignore[attr-defined]
                    console.print(f"  [{name} {mode}] {q!r} expected {expected} got {got}")
    for table in tables.values():
        console.print(table)


if __name__ == "__main__":
    main()
