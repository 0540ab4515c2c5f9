"""The bell at scale: seed notifications for many people, then time the unread count and the bell.

    .venv/bin/python bench/notifications_scale/run.py                  # SQLite var/bench-notifications.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_notify .venv/bin/python bench/notifications_scale/run.py

Seeds once (a later run reuses the data): `--people` accounts, `--rows` notifications
spread Zipf-like (s=1), so the first person holds tens of thousands, a fifth of
them unread. Then, in process: the count query alone (`inbox.unread_count`) for
the heaviest person and for random ones, and the bell's whole request through
Django's test Client (session, middleware, template), p50/p95, plus the query
plan. The table goes into bench/README.md under "The notification bell".
About two minutes on SQLite with the defaults on a busy 2-core machine (seeding is most of it).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("CACHE_URL", "locmem:")
os.environ.setdefault("LOG_REQUESTS", "0")  # the timings, not one log line per call
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-notifications.sqlite3'}")
os.environ["ALLOWED_HOSTS"] = ",".join(
    {*os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(","), "testserver"}
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from guichet.accounts.models import User  # noqa: E402
from guichet.core.models import Notification  # noqa: E402
from guichet.core.notifications import inbox  # noqa: E402

README = ROOT / "bench" / "README.md"
DOMAIN = "@bench-notify.example"
TEMPLATES = ["request_agent_reply", "order_shipment_update", "billing_invoice_issued", "contract_signed"]


def seed(people: int, rows: int) -> list[int]:
    existing = list(User.objects.filter(email__endswith=DOMAIN).order_by("id").values_list("id", flat=True))
    if existing and Notification.objects.filter(user_id=existing[0]).exists():
        return existing
    User.objects.bulk_create(
        [User(email=f"p{n}{DOMAIN}", first_name="P", last_name=str(n), language="fr") for n in range(people)],
        batch_size=5000,
    )
    ids = list(User.objects.filter(email__endswith=DOMAIN).order_by("id").values_list("id", flat=True))
    rng = random.Random(20261206)
    weights = [1 / (rank + 1) for rank in range(len(ids))]
    owners = rng.choices(ids, weights=weights, k=rows)
    now = datetime.now(UTC)
    batch: list[Notification] = []
    for n, owner in enumerate(owners):
        batch.append(
            Notification(
                user_id=owner,
                template=TEMPLATES[n % len(TEMPLATES)],
                category="requests",
                context={"number": f"BE-2026-{n:06d}"},
                link="/fr/requests/",
                created_at=now - timedelta(seconds=rows - n),
                read_at=None if rng.random() < 0.2 else now,
            )
        )
        if len(batch) == 20_000:
            with transaction.atomic():
                Notification.objects.bulk_create(batch)
            batch = []
    with transaction.atomic():
        Notification.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE core_notification")  # as autovacuum would: index-only counts
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return ids


def timed(call: Callable[[], object], repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def plan(user_id: int) -> str:
    unread = Notification.objects.filter(user_id=user_id, read_at__isnull=True).values("id")
    sql, params = unread.query.sql_with_params()
    count_sql = f"SELECT COUNT(*) FROM ({sql}) AS unread"  # noqa: S608
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + count_sql, params)
        return " / ".join(str(row[-1]) for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    ids = seed(args.people, args.rows)
    seeded = time.perf_counter() - started
    heaviest = ids[0]
    total = Notification.objects.count()
    heavy_rows = Notification.objects.filter(user_id=heaviest).count()
    heavy_unread = inbox.unread_count(heaviest)
    rng = random.Random(1)
    results = {
        "count, heaviest person": timed(lambda: inbox.unread_count(heaviest), args.repeat),
        "count, random person": timed(lambda: inbox.unread_count(rng.choice(ids)), args.repeat),
    }
    client = Client()
    client.force_login(User.objects.get(pk=heaviest))
    bell = reverse("portal:notification_bell")
    client.get(bell)
    results["bell request (whole stack), heaviest"] = timed(lambda: client.get(bell), args.repeat)
    database = connection.vendor
    lines = [
        f"### {database} — {datetime.now(UTC):%Y-%m-%d}, {platform.machine()}",
        "",
        f"{total:,} notifications for {len(ids):,} people; the heaviest has {heavy_rows:,} "
        f"({heavy_unread:,} unread). Seeded or reused in {seeded:.0f} s; {args.repeat} calls each.",
        "",
        "| what | p50 ms | p95 ms |",
        "|---|---|---|",
        *[f"| {name} | {p50:.2f} | {p95:.2f} |" for name, (p50, p95) in results.items()],
        "",
        f"Plan of the count: `{plan(heaviest)}`",
    ]
    block = "\n".join(lines)
    print(block)
    text = README.read_text()
    start, end = f"<!-- bench/notifications: {database} start -->", f"<!-- bench/notifications: {database} end -->"
    section = "## The notification bell"
    if section not in text:
        text += (
            f"\n{section}\n\n    .venv/bin/python bench/notifications_scale/run.py  "
            "# DATABASE_URL=postgres://… for PostgreSQL\n\n"
            "The bell's unread count is one `COUNT(*)` on the partial index `notification_unread` "
            "(`user_id` where `read_at IS NULL`); measured in process.\n"
        )
    if start in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), f"{start}\n{block}\n{end}", text, flags=re.S)
    else:
        text += f"\n{start}\n{block}\n{end}\n"
    README.write_text(text)


if __name__ == "__main__":
    main()
