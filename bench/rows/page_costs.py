"""Where a list or detail page spends its time, in process, on the bench's scale database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_requests \
        .venv/bin/python bench/rows/page_costs.py [--pages customer_list console_queue …] [-n 50] [--profile]
            [--computed [--labels support billing …]] [--src OTHER_CHECKOUT/src]

Django's test Client through the whole stack (middleware, sessions, templates), DEBUG off, a
process-local cache. Needs the data of bench/requests_scale (bench/http/run.py seeds it). For each
page: CPU ms per request (median of n after 5 warm ones), its queries, and with --profile the
functions that take the most time (cProfile, cumulative and own time).

`hello_*` and `layout_*` are what every signed-in page pays before its own content: the middleware
alone, and `base.html` with nothing in it (bench/rows/layout_pages.py, mounted by this script
only). `global_search`, `api_search` and `console_search` are bench/http's global search (`maintenance`:
a word that also reads as a number and a serial's beginning, so every lookup runs). `--computed`
replaces the data versions of `--labels` (default: every application) before each request, so
nothing kept is found; `--fresh` types a different text into the search pages at every request
(bench/global_search/texts.py: the organisation's numbers, serials and subject words, as bench/http's
`global_search_first` does; the results pages with `all=1`, so a number shows its list, not a
jump); `--src` measures another checkout's code (the code before a change) against the same
database. `--worker` first does what a production web worker does once the application is
loaded (ops/gunicorn.py: warm-up, then `gc.freeze()`); `--gc-threshold 2000,10,10` sets the
collector's thresholds; with either, each page also reports its mean and largest CPU time and the
collector's share (bench/README.md, "Tails"). The bare project (../shared/bench/peer/bare) does its
25-row list in ~3 ms of CPU in process and its "hello" in 0.1 ms, for comparison.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib.util
import io
import itertools
import os
import pstats
import statistics
import sys
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
SRC = sys.argv[sys.argv.index("--src") + 1] if "--src" in sys.argv else str(ROOT / "src")
sys.path.insert(0, SRC)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_requests")
os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
os.environ["DEBUG"] = ""
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("CACHE_URL", "locmem:")
os.environ["CELERY_BROKER_URL"] = ""
os.environ.setdefault("HELP_SEMANTIC_SEARCH", "off")  # as bench/http runs: the lexical help index

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from guichet.accounts.models import ApiToken, Membership, Organisation, User  # noqa: E402
from guichet.core import data_versions  # noqa: E402
from guichet.core.search import Query  # noqa: E402
from guichet.core.tenancy import across_organisations  # noqa: E402
from guichet.support.models import Request  # noqa: E402

PREFIX = "BENCH"
# What the homes read (core/home.py keeps their answers under these applications' data versions).
LABELS = ("accounts", "billing", "buytech", "contracts", "inventory", "orders", "support")
SEARCH = "maintenance"  # bench/http's global search
SEARCH_PAGES = ("global_search", "api_search", "console_search")


def _texts() -> Any:
    spec = importlib.util.spec_from_file_location("search_texts", ROOT / "bench" / "global_search" / "texts.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fresh_paths(path: str, count: int) -> Iterator[str]:
    """`path` with a different `q` each time (and `all=1` on the results pages)."""
    with across_organisations():
        org = Organisation.objects.get(customer_number=f"{PREFIX}-BE-00000")
    texts = _texts().first_time_texts(org, count)
    base = path.split("?", 1)[0]
    extra = {} if base.startswith("/api/") else {"all": "1"}
    for text in texts:
        yield f"{base}?{urlencode({'q': Query.parse(text).text, **extra})}"


def pages() -> dict[str, tuple[str, Client]]:
    from layout_pages import mount  # beside this script

    mount()
    with across_organisations():
        org = Organisation.objects.get(customer_number=f"{PREFIX}-BE-00000")
        customer = Membership.objects.filter(organisation=org).select_related("user").order_by("id")[0].user
        agent = User.objects.get(email="agent0.be@bench.example")
        newest = Request.objects.filter(organisation=org).order_by("-created_at").values_list("number", flat=True)[0]
    as_customer, as_agent = Client(), Client()
    as_customer.force_login(customer)
    as_agent.force_login(agent)
    as_client = Client(headers={"Authorization": f"Bearer {ApiToken.issue(customer)}"})
    lang = customer.language
    return {
        "hello_anonymous": ("/en/_bench/hello/", Client()),
        "hello_customer": (f"/{lang}/_bench/hello/", as_customer),
        "hello_agent": ("/en/_bench/hello/", as_agent),
        "layout_customer": (f"/{lang}/_bench/layout/", as_customer),
        "layout_agent": ("/en/_bench/layout/", as_agent),
        "customer_list": (f"/{lang}/requests/", as_customer),
        "customer_list_deep": (f"/{lang}/requests/?page=400", as_customer),
        "api_requests": ("/api/v1/requests", as_client),
        "console_queue": ("/en/console/requests/", as_agent),
        "request_detail_customer": (f"/{lang}/requests/{newest}/", as_customer),
        "request_detail_agent": (f"/en/console/requests/{newest}/", as_agent),
        "customer_home": (f"/{lang}/", as_customer),
        "console_home": ("/en/console/", as_agent),
        # The other applications' customer lists (bench/http seeds their data into this organisation).
        "contracts_list": (f"/{lang}/contracts/", as_customer),
        "invoices_list": (f"/{lang}/billing/", as_customer),
        "orders_list": (f"/{lang}/orders/", as_customer),
        "machines_list": (f"/{lang}/inventory/", as_customer),
        "global_search": (f"/{lang}/search/?q={SEARCH}", as_customer),
        "api_search": (f"/api/v1/search?q={SEARCH}", as_client),
        "console_search": (f"/en/console/search/?q={SEARCH}", as_agent),
        "global_search_empty": (f"/{lang}/search/", as_customer),  # the page around the results
    }


class _Collections:
    """Time spent in the garbage collector, per generation, from `gc.callbacks`."""

    def __init__(self) -> None:
        self.ms, self.count, self._started = [0.0, 0.0, 0.0], [0, 0, 0], 0.0
        gc.callbacks.append(self)

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.process_time()
        else:
            self.ms[info["generation"]] += (time.process_time() - self._started) * 1000
            self.count[info["generation"]] += 1

    def reset(self) -> None:
        self.ms, self.count = [0.0, 0.0, 0.0], [0, 0, 0]


def _counted(into: list[str], execute: Any, sql: str, *rest: Any) -> Any:
    into.append(sql)
    return execute(sql, *rest)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", nargs="*")
    parser.add_argument("-n", type=int, default=50)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--dump", help="with --profile: also write each page's profile to DUMP.<page> (pstats)")
    parser.add_argument("--sql", action="store_true", help="print each page's statements")
    parser.add_argument(
        "--computed", action="store_true", help="replace every data version before each request: nothing kept"
    )
    parser.add_argument("--labels", nargs="*", default=LABELS, help="the data versions --computed replaces")
    parser.add_argument("--fresh", action="store_true", help="a different search text at every request")
    parser.add_argument("--src", help="the src directory of the code to measure (default: this checkout's)")
    parser.add_argument("--worker", action="store_true", help="warm up and freeze as a production web worker")
    parser.add_argument("--gc-threshold", help="the collector's thresholds, e.g. 2000,10,10")
    args = parser.parse_args()
    print(f"code: {SRC}")
    collections = _Collections() if args.worker or args.gc_threshold else None
    every = pages()
    if args.worker:
        from guichet.ops.gunicorn import post_worker_init

        post_worker_init(worker=None)
    if args.gc_threshold:
        gc.set_threshold(*(int(part) for part in args.gc_threshold.split(",")))
    print(f"gc thresholds {gc.get_threshold()}, frozen objects {gc.get_freeze_count():,}")
    for name, (path, client) in every.items():
        if args.pages and name not in args.pages:
            continue
        forget = (lambda: data_versions.bump(args.labels)) if args.computed else (lambda: None)
        fresh = args.fresh and name in SEARCH_PAGES
        paths = fresh_paths(path, args.n + 6) if fresh else itertools.repeat(path)
        for _ in range(5):
            forget()
            response = client.get(next(paths))
            assert response.status_code == 200, (path, response.status_code)
        forget()
        captured: list[str] = []  # counted where every statement passes (CaptureQueriesContext saw none here)
        with connection.execute_wrapper(partial(_counted, captured)):
            client.get(next(paths))
        times, walls = [], []
        if collections:
            collections.reset()
        profiler = cProfile.Profile(time.process_time) if args.profile else None  # CPU, as the figure above
        for _ in range(args.n):
            forget()
            here = next(paths)
            start, wall = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            client.get(here)
            if profiler:
                profiler.disable()
            times.append((time.process_time() - start) * 1000)
            walls.append((time.perf_counter() - wall) * 1000)
        print(
            f"{name:26} {path:40} CPU ms p50 {statistics.median(times):7.1f}  wall ms p50 "
            f"{statistics.median(walls):7.1f}  queries {len(captured)}"
        )
        if collections:
            print(
                f"{'':26} CPU ms mean {statistics.mean(times):6.1f} max {max(times):6.1f}; collector "
                f"{sum(collections.ms) / args.n:5.2f} ms a request, full collections {collections.count[2]} "
                f"({collections.ms[2]:.0f} ms), young {collections.count[0] + collections.count[1]} "
                f"({collections.ms[0] + collections.ms[1]:.0f} ms)"
            )
        if args.sql:
            print("\n".join(captured))
        if profiler and args.dump:
            profiler.dump_stats(f"{args.dump}.{name}")
        if profiler:
            for key in ("cumulative", "tottime"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(args.top)
                print(out.getvalue())


if __name__ == "__main__":
    main()
