"""The search statement of searches typed for the first time, under EXPLAIN ANALYZE (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<copy of bench_requests> \
        .venv/bin/python bench/global_search/plans.py [-n 200]

As the largest organisation's customer (every application granted), each of the first `n` texts of
bench/global_search/texts.py is searched once in process; its one statement (core/search.py's
`WITH … UNION ALL …`) is re-run under `EXPLAIN (ANALYZE, FORMAT JSON)`. Per kind of text: the
server's planning and execution times (p50, max) and the indexes and sequential scans the plans
used. Needs bench/http's data (bench/http/run.py seeds it).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_requests")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ["CACHE_URL"] = "locmem:"
os.environ["HELP_SEMANTIC_SEARCH"] = "off"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import translation  # noqa: E402

from guichet.accounts import selectors  # noqa: E402
from guichet.accounts.models import Membership, Organisation  # noqa: E402
from guichet.core.search import search  # noqa: E402
from guichet.core.tenancy import across_organisations, tenant_scope  # noqa: E402
from guichet.search import searchers  # noqa: E402

spec = importlib.util.spec_from_file_location("search_texts", Path(__file__).with_name("texts.py"))
assert spec is not None and spec.loader is not None
texts = importlib.util.module_from_spec(spec)
spec.loader.exec_module(texts)


def _scans(node: dict[str, Any], into: Counter[str]) -> None:
    kind = node["Node Type"]
    if "Index" in kind or kind == "Seq Scan":
        into[f"{kind} {node.get('Index Name') or node.get('Relation Name')}"] += 1
    for child in node.get("Plans", ()):
        _scans(child, into)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=200)
    args = parser.parse_args()
    with across_organisations():
        org = Organisation.objects.get(customer_number="BENCH-BE-00000")
        user = Membership.objects.filter(organisation=org).select_related("user").order_by("id")[0].user
    with tenant_scope(org), translation.override(user.language):
        me = searchers.for_customer(org, selectors.granted_applications(user, org))
    times: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    scans: dict[str, Counter[str]] = defaultdict(Counter)
    for n, text in enumerate(texts.first_time_texts(org, args.n)):
        kind = texts.MIX[n % len(texts.MIX)]
        statements: list[tuple[str, Any]] = []

        def keep(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            if sql.startswith("WITH search_"):
                statements.append((sql, params))  # noqa: B023 (used at once, in this iteration)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(keep), translation.override(user.language):
            search(text, me)
        for sql, params in statements:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
                (plan,) = cursor.fetchone()
            plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]
            times[kind].append((plan["Planning Time"], plan["Execution Time"], text))
            _scans(plan["Plan"], scans[kind])
    for kind, rows in times.items():
        planning, execution = [row[0] for row in rows], [row[1] for row in rows]
        slowest = max(rows, key=lambda row: row[1])
        print(
            f"{kind:9} n={len(rows):3}  planning p50 {statistics.median(planning):.2f} ms max {max(planning):.2f}  "
            f"execution p50 {statistics.median(execution):.2f} ms max {max(execution):.2f} ({slowest[2]!r})"
        )
        print("          " + ", ".join(f"{name} x{count}" for name, count in scans[kind].most_common()))


if __name__ == "__main__":
    main()
