"""CPU time of one help search page in process (Django's test Client), for a capacity estimate
that a busy machine does not distort: wall time waits for other work, CPU time does not.

    DATABASE_URL=postgres://… python bench/help_search/page_cpu.py [--n 300]

Prints the web process's CPU ms per request for the cached results page (`facture en double`,
as bench/http asks) and for distinct queries (results not cached, query vectors not cached),
and what 2 sync workers on 2 idle cores could then serve (the database's own CPU, one
SearchLog INSERT per page, not counted).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
os.environ.setdefault("SECRET_KEY", "bench")
os.environ.setdefault("CACHE_URL", "locmem:")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402


def cpu_ms(client: Client, paths: list[str]) -> list[float]:
    spent = []
    for path in paths:
        started = time.process_time()
        assert client.get(path, HTTP_HOST="127.0.0.1").status_code == 200
        spent.append((time.process_time() - started) * 1000)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    client = Client()
    same = "/fr/help/search/?q=facture+en+double"
    cpu_ms(client, [same] * 5)  # warm: index loaded, result cached
    cached = cpu_ms(client, [same] * args.n)
    distinct = cpu_ms(client, [f"/fr/help/search/?q=facture+en+double+{i}" for i in range(min(args.n, 60))])
    for name, values in (("cached results", cached), ("distinct queries", distinct)):
        mean = statistics.fmean(values)
        p50 = statistics.median(values)
        print(f"{name}: CPU {mean:.1f} ms/request (p50 {p50:.1f}), 2 cores ≈ {2000 / mean:.0f} req/s")
    print("load", os.getloadavg())


if __name__ == "__main__":
    main()
