"""What creating a request costs, in process, on the bench's scale database (issue 17).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<copy of bench_requests> \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/<db> \
        .venv/bin/python bench/creation/costs.py [--only api form] [-n 200] [--profile | --lock]

The two creation scenarios of bench/http (`POST /api/v1/requests` with a token, the request form
with a session and a CSRF cookie), through Django's test Client and the whole stack (middleware,
authentication, validation, the writes, the publish of the confirmation e-mail to the broker after
commit, the answer), DEBUG off. Without CELERY_BROKER_URL the e-mail is delivered in process, which
is not what production does: give a Redis database of your own (it is emptied at the end).

For each: wall and CPU ms per creation (median of n after 10 warm ones), its statements, and with
--profile the functions that take the most time (cProfile, cumulative and own); with --lock how long
the numbering series stays locked (from the statement taking the number to the end of the commit:
every other new request of the country waits meanwhile) and its share of the wall time. The
requests it creates are deleted at the end (bench/http's `forget_created`).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench" / "http"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
os.environ["DEBUG"] = ""
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("CACHE_URL", "locmem:")

import scenarios as http_scenarios  # noqa: E402  (sets Django up)
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from guichet.accounts.models import ApiToken, Membership, Organisation  # noqa: E402
from guichet.core.tenancy import across_organisations  # noqa: E402

BODY = {"type": "general", "subject": http_scenarios.BENCH_SUBJECT, "description": "Created by bench/creation."}


def creations() -> dict[str, Callable[[], int]]:
    """Each scenario as a call that creates one request and returns the HTTP status."""
    with across_organisations():
        org = Organisation.objects.get(customer_number=f"{http_scenarios.PREFIX}-BE-00000")
        customer = Membership.objects.filter(organisation=org).select_related("user").order_by("id")[0].user
    token = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(customer)}"}
    api = Client()
    form = http_scenarios._form_create(customer.language, http_scenarios._session_cookie(customer))
    form["body"]["contact_email"] = customer.email
    sent = dict(form["client"].cookies.items())

    def post_form() -> int:
        # The same cookies on every POST, as wrk sends them: the test Client would otherwise keep each
        # answer's "messages" cookie, and the unread confirmations pile up (~160 a request after 300,
        # spilling into the session), a cost no browser pays (it reads them on the page it is sent to).
        form["client"].cookies.clear()
        form["client"].cookies.update(sent)
        return form["client"].post(form["path"], form["body"]).status_code

    return {
        "api": lambda: api.post("/api/v1/requests", BODY, content_type="application/json", **token).status_code,
        "form": post_form,
    }


class LockTimer:
    """An execute wrapper timing the numbering lock: from the statement that takes the number (its
    upsert, or the request's INSERT calling `guichet_next_number`) to the end of the commit: its
    callback runs first after the commit, before those the creation registered earlier (the e-mail's
    publish to the broker, registered before the number since the rows are built first), which run
    once the lock is released."""

    def __init__(self) -> None:
        self.held: list[float] = []
        self.since: float | None = None

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if self.since is None and ("core_numbersequence" in sql or "guichet_next_number" in sql):
            self.since = time.perf_counter()
            transaction.on_commit(self._released)
            connection.run_on_commit.insert(0, connection.run_on_commit.pop())
        return execute(sql, params, many, context)

    def _released(self) -> None:
        assert self.since is not None
        self.held.append(1000 * (time.perf_counter() - self.since))
        self.since = None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*")
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--lock", action="store_true", help="time the numbering lock")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    broker = settings.CELERY_BROKER_URL or "none: e-mails delivered in process"
    print(f"broker: {broker}")
    try:
        for name, create in creations().items():
            if args.only and name not in args.only:
                continue
            for _ in range(10):
                status = create()
                assert status in (201, 302), (name, status)
            with CaptureQueriesContext(connection) as captured:
                create()
            statements = len(captured)  # now: the next request empties Django's log
            walls, cpus = [], []
            profiler = cProfile.Profile() if args.profile else None
            timer = LockTimer()
            with connection.execute_wrapper(timer) if args.lock else contextlib.nullcontext():
                for _ in range(args.n):
                    wall, cpu = time.perf_counter(), time.process_time()
                    if profiler is not None:
                        profiler.enable()
                    create()
                    if profiler is not None:
                        profiler.disable()
                    walls.append(1000 * (time.perf_counter() - wall))
                    cpus.append(1000 * (time.process_time() - cpu))
            lock = ""
            if timer.held:
                share = 100 * sum(timer.held) / sum(walls)
                lock = f", lock held {statistics.median(timer.held):.2f} ms ({share:.0f} % of the wall time)"
            print(
                f"{name}: {statements} statements, wall {statistics.median(walls):.2f} ms, "
                f"CPU {statistics.median(cpus):.2f} ms (median of {args.n}){lock}"
            )
            if profiler is not None:
                for order in ("cumulative", "tottime"):
                    out = io.StringIO()
                    pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
                    print(out.getvalue())
    finally:
        print(f"deleted: {http_scenarios.forget_created()}")
        if settings.CELERY_BROKER_URL:
            import redis

            redis.Redis.from_url(settings.CELERY_BROKER_URL).delete("celery")


if __name__ == "__main__":
    main()
