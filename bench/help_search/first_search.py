"""The first help search of a freshly started process, with the index stored by `build_search_index`.

    DATABASE_URL=postgres://… python bench/help_search/first_search.py [--runs 5]

Each run starts a new Python process (as a new gunicorn worker would), sets Django up, then
imports the URLconf (every view module: what any first request of a new worker pays, reported
apart), then times its first `search_articles` call with empty result and query-vector caches:
loading the stored index, the embedding model, encoding the query, ranking, rendering snippets.
The target (issue 17) is under 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, os, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
import django
django.setup()
from django.core.cache import cache
from django.urls import get_resolver
from guichet.help import selectors
cache.clear()
started = time.perf_counter()
get_resolver().url_patterns  # every view module, imported by any first request whatever its page
urlconf = time.perf_counter() - started
started = time.perf_counter()
results = selectors.search_articles(QUERY, language="fr", country="BE")
first = time.perf_counter() - started
started = time.perf_counter()
selectors.search_articles(QUERY + " svp", language="fr", country="BE")
second = time.perf_counter() - started
top = results[0].slug if results else None
print(json.dumps({"urlconf_s": urlconf, "first_s": first, "second_uncached_s": second, "top": top}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--query", default="facture en double")
    args = parser.parse_args()
    env = {
        **os.environ,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench"),
        "CACHE_URL": "locmem:",
        "OMP_NUM_THREADS": "1",
        "PYTHONPATH": str(ROOT / "src"),
    }
    runs = []
    for _ in range(args.runs):
        code = CHILD.replace("QUERY", json.dumps(args.query))
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(runs[-1], flush=True)
    firsts = [r["first_s"] for r in runs]
    print(f"first search: median {statistics.median(firsts) * 1000:.0f} ms, max {max(firsts) * 1000:.0f} ms")
    print(os.getloadavg())


if __name__ == "__main__":
    main()
