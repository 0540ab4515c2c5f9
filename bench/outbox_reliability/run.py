"""The outbox under worker kills: 1,000 notifications, SIGKILL the worker while it drains, count at the SMTP sink.

    .venv/bin/python bench/outbox_reliability/run.py [--messages 1000] [--kills 8] [--write-readme]

Needs Redis at 127.0.0.1:6379 (it takes one database number, 12 by default,
for itself). It starts an SMTP sink (aiosmtpd) in this process, migrates a
fresh SQLite file (var/bench-outbox.sqlite3; or the database of --database-url,
whose outbox is emptied first), starts a real Celery worker (prefork, 2
processes), queues the messages through `enqueue` in committed transactions,
then repeatedly kills the worker's whole process group with SIGKILL 1-2 s after
it has started delivering, and restarts it. This process plays celery beat:
it runs `sweep_outbox` every few seconds, with OUTBOX_STUCK_AFTER_SECONDS low,
so the messages the dead workers held (claimed "sending", or reserved from the
broker and never acknowledged) are dispatched again. At the end every
Message-ID must have arrived: 0 lost; after deduplication by Message-ID, 0
duplicates. The raw duplicate deliveries (a worker killed between the SMTP
server's "250 OK" and marking the row sent) are reported: delivery is at least
once, the Message-ID is what makes it exactly once for the receiver.
"""

from __future__ import annotations

import argparse
import datetime
import email.parser
import email.policy
import os
import platform
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VAR = ROOT / "var"
README = ROOT / "bench" / "README.md"
CELERY = Path(sys.executable).with_name("celery")
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
LOCK_KEY = "guichet:redis-db:held-by"  # the same key as tests/reliability: one holder per database
MARKER = "<!-- outbox_reliability:{vendor}:{edge} -->"
HEADING = "## Outbox under worker kills"
CONTEXT = {
    "first_name": "Ana",
    "organisation": "Tipografia",
    "application": "invoices",
    "reason": "",
    "url": "http://x/",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=8, help="SIGKILLs while draining (at least 5)")
    parser.add_argument("--kill-after", default="1.0-2.0", help="seconds of delivering before each kill: MIN-MAX")
    parser.add_argument("--sweep-every", type=float, default=3.0, help="seconds between sweep_outbox runs")
    parser.add_argument("--stuck-after", type=int, default=5, help="OUTBOX_STUCK_AFTER_SECONDS for the run")
    parser.add_argument("--concurrency", type=int, default=2, help="worker pool processes")
    parser.add_argument("--time-limit", type=float, default=180.0, help="give up after this many seconds")
    parser.add_argument("--redis-db", type=int, default=12)
    parser.add_argument("--database-url", default=f"sqlite:///{VAR / 'bench-outbox.sqlite3'}")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--write-readme", action="store_true", help="record the figures in bench/README.md")
    args = parser.parse_args()
    if args.kills < 5:
        parser.error("--kills must be at least 5")
    return args


# --- SMTP sink -----------------------------------------------------------------


class Sink:
    """aiosmtpd on a free loopback port; counts every delivery by Message-ID."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.lock = threading.Lock()
        self.deliveries: list[str] = []
        self.seen: set[str] = set()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._parser = email.parser.BytesHeaderParser(policy=email.policy.default)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message_id = str(self._parser.parsebytes(envelope.content)["Message-ID"] or "")
        with self.lock:
            self.deliveries.append(message_id)
            self.seen.add(message_id)
        return "250 Message accepted for delivery"

    def counts(self) -> tuple[int, int]:
        """(raw deliveries, distinct Message-IDs)."""
        with self.lock:
            return len(self.deliveries), len(self.seen)


# --- Redis ---------------------------------------------------------------------


def take_redis_db(number: int) -> Any:
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=number, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        sys.exit(f"Redis not reachable at {REDIS_HOST}:{REDIS_PORT}: {exc}")
    if not client.set(LOCK_KEY, os.getpid(), nx=True, ex=900):
        sys.exit(f"Redis database {number} is held by another run (key {LOCK_KEY}); try --redis-db N")
    for key in client.scan_iter():  # a killed earlier run's queue must not leak into this one
        if key != LOCK_KEY.encode():
            client.delete(key)
    return client


def release_redis_db(client: Any) -> None:
    for key in client.scan_iter():
        client.delete(key)
    client.close()


# --- the worker ----------------------------------------------------------------


class Worker:
    """A real `celery worker` in its own process group, so one SIGKILL takes the pool children too."""

    def __init__(self, env: dict[str, str], concurrency: int, log: Path) -> None:
        self.env, self.concurrency, self.log = env, concurrency, log
        self.process: subprocess.Popen[bytes] | None = None
        self.started = 0
        self.started_at = 0.0

    def start(self) -> None:
        self.started += 1
        with self.log.open("ab") as output:
            output.write(f"\n=== worker start #{self.started} at {datetime.datetime.now():%H:%M:%S}\n".encode())
            output.flush()
            self.process = subprocess.Popen(
                [
                    str(CELERY),
                    "-A",
                    "guichet.config",
                    "worker",
                    "--pool=prefork",
                    "-c",
                    str(self.concurrency),
                    "-l",
                    "warning",
                    "--without-mingle",
                    "--without-gossip",
                    "--without-heartbeat",
                    "-n",
                    f"bench-outbox-{os.getpid()}-{self.started}@%h",
                ],
                env=self.env,
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started_at = time.monotonic()

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # warm shutdown: the main process stops its pool
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()


# --- the run -------------------------------------------------------------------


def configure(args: argparse.Namespace, sink: Sink) -> dict[str, str]:
    """Environment shared by this process and the worker, set before Django loads its settings."""
    broker = f"redis://{REDIS_HOST}:{REDIS_PORT}/{args.redis_db}"
    env = {
        "DJANGO_SETTINGS_MODULE": "guichet.config.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-not-secret",
        "CACHE_URL": os.environ.get("CACHE_URL") or "locmem:",
        "DATABASE_URL": args.database_url,
        "CELERY_BROKER_URL": broker,
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "OUTBOX_STUCK_AFTER_SECONDS": str(args.stuck_after),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    src = str(ROOT / "src")
    sys.path.insert(0, src)
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))}


def fresh_database(args: argparse.Namespace) -> None:
    if args.database_url.startswith("sqlite:///"):
        path = Path(args.database_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif args.database_url.startswith(("postgres://", "postgresql://")):
        ensure_postgres_database(args.database_url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from guichet.core.models import OutboxMessage

    OutboxMessage.objects.all().delete()


def ensure_postgres_database(url: str) -> None:
    """Create the bench's PostgreSQL database when it does not exist yet."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    db = dj_database_url.parse(url)
    params = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"] or None}
    params["password"] = db["PASSWORD"] or None
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))


def describe_database(connection: Any) -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (file, WAL)"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


def status_counts() -> dict[str, int]:
    from django.db.models import Count

    from guichet.core.models import OutboxMessage

    return {row["status"]: row["n"] for row in OutboxMessage.objects.values("status").annotate(n=Count("pk"))}


def run(args: argparse.Namespace) -> dict[str, Any]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console()
    rng = random.Random(args.seed)
    low, high = (float(x) for x in args.kill_after.split("-"))
    sink = Sink()
    sink.controller.start()
    env = configure(args, sink)
    redis_client = take_redis_db(args.redis_db)
    log = VAR / "bench-outbox-worker.log"
    log.unlink(missing_ok=True)
    worker = Worker(env, args.concurrency, log)
    figures: dict[str, Any] = {}
    try:
        fresh_database(args)
        from django.db import connection, transaction

        from guichet.core.models import OutboxMessage
        from guichet.core.notifications.outbox import enqueue
        from guichet.core.notifications.tasks import sweep_outbox

        figures["vendor"] = connection.vendor
        figures["database"] = describe_database(connection)
        started = time.monotonic()
        deadline = started + args.time_limit
        worker.start()
        kill_log: list[tuple[float, int]] = []  # (seconds since start, distinct delivered at the kill)
        sweeps = redispatched = 0

        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[info]}"),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            queued = progress.add_task("queued", total=args.messages, info="")
            delivered = progress.add_task("delivered", total=args.messages, info="")
            languages = ("fr", "ro", "en")
            for start in range(0, args.messages, 50):
                with transaction.atomic():  # dispatched to Redis when each batch commits
                    for i in range(start, min(start + 50, args.messages)):
                        enqueue(
                            to=f"customer{i}@example.com",
                            template="access_granted",
                            language=languages[i % 3],
                            context=CONTEXT,
                            thread_key=f"bench-{i}",
                        )
                progress.update(queued, completed=min(start + 50, args.messages))
            expected = set(OutboxMessage.objects.values_list("message_id", flat=True))
            figures["queued_in"] = time.monotonic() - started

            last_sweep = time.monotonic()
            delivering_since: float | None = None  # when the current worker was first seen delivering
            kill_at = 0.0
            distinct_at_start = 0
            all_in_at: float | None = None
            while True:
                now = time.monotonic()
                raw, distinct = sink.counts()
                pending = args.messages - len(sink.seen & expected)
                info = f"kills {len(kill_log)}/{args.kills} · raw {raw} · worker #{worker.started}"
                progress.update(delivered, completed=args.messages - pending, info=info)
                if pending == 0 and all_in_at is None:
                    all_in_at = now
                if all_in_at is not None and now - all_in_at >= max(3.0, args.sweep_every + 1):
                    break  # everything in, and a grace period for late duplicates has passed
                if now > deadline:
                    console.print(f"[red]time limit of {args.time_limit:.0f} s reached with {pending} not delivered")
                    break
                # Kill the worker 1-2 s after it has started delivering, while messages remain.
                if len(kill_log) < args.kills and pending > 0:
                    if delivering_since is None:
                        if distinct > distinct_at_start:
                            delivering_since = now
                            kill_at = now + rng.uniform(low, high)
                    elif now >= kill_at:
                        worker.kill()
                        kill_log.append((now - started, len(sink.seen & expected)))
                        console.log(
                            f"SIGKILL #{len(kill_log)} (worker #{worker.started}) with "
                            f"{kill_log[-1][1]} delivered; status {status_counts()}"
                        )
                        worker.start()
                        delivering_since, distinct_at_start = None, sink.counts()[1]
                if worker.process is not None and worker.process.poll() is not None:
                    console.log(f"[yellow]worker exited on its own ({worker.process.returncode}); restarting")
                    worker.start()
                # celery beat's part: re-dispatch rows stuck in "sending" or pending and due.
                if now - last_sweep >= args.sweep_every:
                    redispatched += sweep_outbox()
                    sweeps += 1
                    last_sweep = now
                time.sleep(0.05)
            figures["total_time"] = time.monotonic() - started
            figures["drain_time"] = (all_in_at - started) if all_in_at else None
        worker.stop()
        time.sleep(0.5)

        with sink.lock:
            counts = Counter(sink.deliveries)
        arrived = set(counts) & expected
        statuses = status_counts()
        figures.update(
            messages=args.messages,
            kills=len(kill_log),
            kill_log=kill_log,
            worker_starts=worker.started,
            sweeps=sweeps,
            redispatched=redispatched,
            raw_deliveries=sum(counts.values()),
            distinct=len(arrived),
            lost=len(expected - arrived),
            unexpected=len(set(counts) - expected),
            duplicates_raw=sum(n - 1 for mid, n in counts.items() if mid in expected),
            duplicated_messages=sum(1 for mid, n in counts.items() if mid in expected and n > 1),
            # Dedup keeps one delivery per Message-ID; what is left must be exactly the queued set.
            duplicates_after_dedup=len(arrived) - len(set(arrived)),
            statuses=statuses,
            resent_rows=OutboxMessage.objects.filter(attempts__gt=1).count(),
            stuck_after=args.stuck_after,
            sweep_every=args.sweep_every,
            concurrency=args.concurrency,
        )
        return figures
    finally:
        worker.stop()
        sink.controller.stop()
        release_redis_db(redis_client)


def report(figures: dict[str, Any]) -> str:
    from rich.console import Console
    from rich.table import Table

    rows = [
        ("messages queued", f"{figures['messages']:,}"),
        ("worker SIGKILLs while draining", str(figures["kills"])),
        ("worker starts", str(figures["worker_starts"])),
        ("lost (Message-IDs never received)", str(figures["lost"])),
        ("duplicates after dedup by Message-ID", str(figures["duplicates_after_dedup"])),
        (
            "raw duplicate deliveries (before dedup)",
            f"{figures['duplicates_raw']} (on {figures['duplicated_messages']} messages)",
        ),
        ("raw deliveries at the sink", f"{figures['raw_deliveries']:,}"),
        ("unexpected Message-IDs", str(figures["unexpected"])),
        ("rows sent / other statuses", f"{figures['statuses']}"),
        ("sweeps (tasks re-dispatched)", f"{figures['sweeps']} ({figures['redispatched']:,})"),
        ("all delivered after", f"{figures['drain_time']:.1f} s" if figures["drain_time"] else "not all delivered"),
        ("total time", f"{figures['total_time']:.1f} s"),
    ]
    table = Table(title="Outbox under worker kills")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for name, value in rows:
        table.add_row(name, value)
    Console().print(table)
    kills = ", ".join(f"{t:.1f} s ({n})" for t, n in figures["kill_log"])
    statuses = ", ".join(f"{k} {v:,}" for k, v in sorted(figures["statuses"].items()))
    return "\n".join(
        [
            MARKER.format(vendor=figures["vendor"], edge="start"),
            f"### {figures['messages']:,} messages, {figures['kills']} SIGKILLs — {datetime.date.today():%Y-%m-%d}",
            "",
            f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, database {figures['database']}, "
            f"Redis broker; worker `--pool=prefork -c {figures['concurrency']}`, killed (whole process group) "
            f"1-2 s after each restart had begun delivering; `sweep_outbox` every {figures['sweep_every']:g} s "
            f"with `OUTBOX_STUCK_AFTER_SECONDS={figures['stuck_after']}`.",
            "",
            "| measure | value |",
            "|---|---:|",
            *(f"| {name} | {value} |" for name, value in rows[:6]),
            f"| raw deliveries at the sink | {figures['raw_deliveries']:,} |",
            f"| outbox rows at the end | {statuses} |",
            f"| rows with a failed SMTP attempt (attempts > 1) | {figures['resent_rows']} |",
            f"| sweeps run (tasks re-dispatched by them) | {figures['sweeps']} ({figures['redispatched']:,}) |",
            f"| all delivered after | {rows[10][1]} |",
            f"| total time (queue, drain, grace for late duplicates) | {figures['total_time']:.1f} s |",
            "",
            f"Kills at (seconds since start, messages delivered so far): {kills}. "
            f"1-minute load average at the end: {os.getloadavg()[0]:.1f}.",
            MARKER.format(vendor=figures["vendor"], edge="end"),
        ]
    )


def write_readme(section: str, vendor: str) -> None:
    text = README.read_text() if README.exists() else "# Benchmarks\n\nResults of the benchmarks in this folder.\n"
    intro = (
        f"{HEADING}\n\n"
        "`bench/outbox_reliability/run.py` queues 1,000 notifications through `enqueue` (committed in\n"
        "batches of 50), runs a real Celery worker (prefork, 2 processes) against the Redis broker and\n"
        "SIGKILLs its whole process group 1-2 s after each (re)start has begun delivering, then\n"
        "restarts it. The script plays celery beat: it runs `sweep_outbox` every 3 s with\n"
        "`OUTBOX_STUCK_AFTER_SECONDS=5`, so what the dead workers held (rows claimed `sending`, tasks\n"
        "reserved from Redis and never acknowledged) is dispatched again. An aiosmtpd sink counts every\n"
        'delivery by Message-ID. "lost" counts queued Message-IDs never received; after keeping one\n'
        "delivery per Message-ID, what is left must be exactly the queued set (no duplicate, nothing\n"
        "unexpected). Delivery is at least once: a worker killed after the SMTP server's 250 but before\n"
        "the row is marked sent (or a claim taken again past the deadline) makes a raw duplicate with\n"
        "the same Message-ID, which the receiver drops. The run stops after 3 minutes at most and\n"
        "exits non-zero if anything is lost.\n\n"
        "    .venv/bin/python bench/outbox_reliability/run.py --write-readme\n"
        "    .venv/bin/python bench/outbox_reliability/run.py --write-readme \\\n"
        "        --database-url postgres://postgres@127.0.0.1:5432/bench_outbox\n\n"
    )
    start, end = MARKER.format(vendor=vendor, edge="start"), MARKER.format(vendor=vendor, edge="end")
    if start in text and end in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: section, text, flags=re.S)
    elif HEADING in text:
        # At the end of this section, before whatever heading of the same level follows it.
        begin = text.index(HEADING) + len(HEADING)
        following = re.search(r"^## ", text[begin:], flags=re.M)
        cut = begin + following.start() if following else len(text)
        text = text[:cut].rstrip() + "\n\n" + section + "\n\n" + text[cut:].lstrip()
        text = text.rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + intro + section + "\n"
    README.write_text(text)


def main() -> int:
    args = parse_args()
    figures = run(args)
    section = report(figures)
    ok = figures["lost"] == 0 and figures["unexpected"] == 0 and figures["kills"] >= 5
    if args.write_readme:
        write_readme(section, figures["vendor"])
        print(f"written to {README.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
