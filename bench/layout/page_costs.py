"""What every signed-in page pays before its own content: middleware, session, user, layout.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_requests \
        .venv/bin/python bench/layout/page_costs.py [--pages layout_customer …] [-n 100] [--profile]

Django's test Client through the whole stack, DEBUG off, a process-local cache, on the bench's
scale database (bench/requests_scale). Besides the queue and the customer list, it mounts one
page of its own, `/<lang>/_bench/layout/`: `base.html` with an empty content block, the smallest
page a signed-in person can get; what it costs is what every page pays. `/<lang>/_bench/hello/`
answers a word without a template: the middleware alone. For each page: CPU ms per
request (median of n after 5 warm ones), its queries, and with --profile cProfile's top functions.
The bare project (../shared/bench/peer/bare) does its 25-row list in ~3 ms of CPU in process and
its "hello" in 0.1 ms, for comparison.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_requests")
os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
os.environ["DEBUG"] = ""
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("CACHE_URL", "locmem:")
os.environ["CELERY_BROKER_URL"] = ""

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.conf.urls.i18n import i18n_patterns  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402

from guichet.accounts.models import Membership, Organisation, User  # noqa: E402
from guichet.config import urls as site_urls  # noqa: E402
from guichet.core.tenancy import across_organisations  # noqa: E402

PREFIX = "BENCH"


def _layout(request):  # type: ignore[no-untyped-def]
    return render(request, "base.html")


def _hello(request):  # type: ignore[no-untyped-def]
    return HttpResponse("Hello")  # the middleware alone: no template, no context processor


def _mount_layout_page() -> None:
    """The site's URLs plus the empty page, as the root URLconf of this process only."""
    module = types.ModuleType("bench_layout_urls")
    own = i18n_patterns(path("_bench/layout/", _layout), path("_bench/hello/", _hello))
    module.urlpatterns = [*site_urls.urlpatterns, *own]  # type: ignore[attr-defined]
    for handler in ("handler400", "handler403", "handler404", "handler500"):
        setattr(module, handler, getattr(site_urls, handler))
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()


def pages() -> dict[str, tuple[str, Client]]:
    with across_organisations():
        org = Organisation.objects.get(customer_number=f"{PREFIX}-BE-00000")
        customer = Membership.objects.filter(organisation=org).select_related("user").order_by("id")[0].user
        agent = User.objects.get(email="agent0.be@bench.example")
    as_customer, as_agent = Client(), Client()
    as_customer.force_login(customer)
    as_agent.force_login(agent)
    lang = customer.language
    return {
        "hello_anonymous": ("/en/_bench/hello/", Client()),
        "hello_customer": (f"/{lang}/_bench/hello/", as_customer),
        "hello_agent": ("/en/_bench/hello/", as_agent),
        "layout_customer": (f"/{lang}/_bench/layout/", as_customer),
        "layout_agent": ("/en/_bench/layout/", as_agent),
        "customer_list": (f"/{lang}/requests/", as_customer),
        "console_queue": ("/en/console/requests/", as_agent),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", nargs="*")
    parser.add_argument("-n", type=int, default=100)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    _mount_layout_page()
    for name, (url, client) in pages().items():
        if args.pages and name not in args.pages:
            continue
        for _ in range(5):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = len(captured)  # now: the next request's start empties the log it reads
        times, walls = [], []
        profiler = cProfile.Profile() if args.profile else None
        for _ in range(args.n):
            start, wall = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            client.get(url)
            if profiler:
                profiler.disable()
            times.append((time.process_time() - start) * 1000)
            walls.append((time.perf_counter() - wall) * 1000)
        cpu, elapsed = statistics.median(times), statistics.median(walls)
        print(f"{name:18} {url:32} CPU ms p50 {cpu:6.2f}  wall {elapsed:6.2f}  queries {queries}")
        if profiler:
            for key in ("cumulative", "tottime"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(args.top)
                print(out.getvalue())


if __name__ == "__main__":
    main()
