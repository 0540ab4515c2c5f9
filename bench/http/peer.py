"""django-helpdesk 2.6.1, the peer of issue 17, next to Guichet in bench/http/run.py (`--helpdesk`).

The peer's harness (../shared/bench/peer: its `hd` project, seed_hd.py, login.py and the pinned
requirements.lock.txt) is used as it is, never edited: it runs from a work copy under var/ (its
settings keep media under PEER_DIR) with its own virtualenv, both made once and reused.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PEER = ROOT.parent / "shared" / "bench" / "peer"
WORK = ROOT / "var" / "bench-peer"  # the work copy: PEER_DIR
VENV = ROOT / "var" / "bench-peer-venv"
DATABASE = "perf_hd"  # the peer's settings name it (user perf, password perf) with PERF_DB=pg
TICKETS = 100_000  # what seed_hd.py makes; the ticket measured is the middle one, as scenarios.py
TICKET_PATH = "/tickets/50000/"  # the staff single ticket view of the peer's report
SCENARIO = "helpdesk_ticket_view"
# Guichet's pages compared with it (issue 17: request detail ≥ 2.5 times helpdesk's ticket view).
COMPARED = ("request_detail_agent", "request_detail_customer")
Psql = Callable[[str, str], str]  # (SQL, database) -> psql's unaligned output


def python() -> str:
    return str(VENV / "bin" / "python")


def gunicorn_path() -> str:
    return str(VENV / "bin" / "gunicorn")


def environment(base: dict[str, str]) -> dict[str, str]:
    # Guichet's own settings and paths must not leak into the peer's processes.
    env = {key: value for key, value in base.items() if key not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH"}}
    return {**env, "PERF_DB": "pg", "PEER_DIR": str(WORK), "VIRTUAL_ENV": str(VENV)}


def prepare(psql: Psql, base_env: dict[str, str], step: Callable[[str], None]) -> dict[str, str]:
    """Make what is missing: the work copy, the virtualenv, the role and the seeded database.
    `step` shows progress; returns the environment the peer's processes run in."""
    step("helpdesk: work copy of the peer's harness")
    # Refreshed every run from the peer's folder (its files only; data/ and results/ stay).
    shutil.copytree(
        PEER, WORK, dirs_exist_ok=True, ignore=shutil.ignore_patterns("venv", "results", "data", "__pycache__")
    )
    (WORK / "data").mkdir(exist_ok=True)
    if not (VENV / "bin" / "gunicorn").exists():
        step("helpdesk: virtualenv with the peer's pinned requirements (once)")
        # This project's Python: the peer's pins need 3.12 or later for some of their packages
        # (Debian's python3.11 is 3.11.2), and its report's 3.11.7 is not on every machine.
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        subprocess.run(
            [python(), "-m", "pip", "install", "-q", "-r", str(WORK / "requirements.lock.txt")],
            check=True,
        )
    ensure_database(psql)
    env = environment(base_env)
    if seeded(psql) < TICKETS:
        step(f"helpdesk: migrating and seeding {TICKETS:,} tickets (once, a few minutes)")
        hd = WORK / "hd"
        subprocess.run([python(), "manage.py", "migrate", "--no-input", "-v0"], cwd=hd, env=env, check=True)
        subprocess.run([python(), "seed_hd.py"], cwd=hd, env=env, check=True, stdout=subprocess.DEVNULL)
        # As the peer's report: planner statistics before measuring.
        subprocess.run(["vacuumdb", "-h", "127.0.0.1", "-U", "postgres", "-q", "--analyze", "-d", DATABASE], check=True)
    return env


def ensure_database(psql: Psql) -> None:
    """The peer's role and database, created when missing; a partly seeded database dropped first."""
    if not psql("SELECT 1 FROM pg_roles WHERE rolname='perf'", "postgres"):
        psql("CREATE ROLE perf LOGIN PASSWORD 'perf' CREATEDB", "postgres")
    exists = bool(psql(f"SELECT 1 FROM pg_database WHERE datname='{DATABASE}'", "postgres"))  # noqa: S608 (a constant)
    if exists and 0 < seeded(psql) < TICKETS:
        # An interrupted seeding: the peer's seed_hd.py only skips a complete set, so it would add a
        # whole set to the part already there. Start again from an empty database.
        psql(f"DROP DATABASE {DATABASE}", "postgres")
        exists = False
    if not exists:
        psql(f"CREATE DATABASE {DATABASE} OWNER perf", "postgres")


def seeded(psql: Psql) -> int:
    """Tickets in the peer's database (0 before its migration)."""
    if not psql("SELECT to_regclass('helpdesk_ticket')", DATABASE):
        return 0
    return int(psql("SELECT count(*) FROM helpdesk_ticket", DATABASE))


def login(base_url: str, env: dict[str, str]) -> str:
    """The staff session of the peer's own login.py (a real /login/ POST): its sessionid."""
    output = subprocess.run(
        [python(), str(WORK / "login.py"), base_url], check=True, capture_output=True, text=True, env=env
    ).stdout
    return output.split()[0]


# The ticket view's queries, counted as the peer's count_queries.py does (a test Client, the staff
# forced in, CaptureQueriesContext), for this page alone: its script also runs the slow pages and POSTs.
COUNT = """
import sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
client.force_login(get_user_model().objects.get(username="staff"))
client.get(sys.argv[1])  # the first request also fills the process's caches, as a warm worker's are
with CaptureQueriesContext(connection) as queries:
    assert client.get(sys.argv[1]).status_code == 200
print(len(queries.captured_queries))
"""


def count_queries(env: dict[str, str]) -> int:
    """SQL queries of one (warm) staff ticket view, in process."""
    env = {**env, "DJANGO_SETTINGS_MODULE": "hdproj.settings", "PYTHONPATH": str(WORK / "hd")}
    run = subprocess.run([python(), "-c", COUNT, TICKET_PATH], check=True, capture_output=True, text=True, env=env)
    return int(run.stdout.split()[-1])


def versus(rows: list[dict[str, float]], compared: tuple[str, ...] = COMPARED, reference: str = SCENARIO) -> None:
    """Add to each compared row its req/s over the helpdesk ticket view's in the same run
    (`vs_helpdesk_ticket_view`), and the same with each side's req/s first taken over the bare
    list's slices around its own (`vs_helpdesk_ticket_view_adjusted`: the machine's drift between
    the two scenarios removed, the method of every other ratio of the run) and how many times less
    server CPU a request took (`cpu_vs_helpdesk_ticket_view`)."""
    peer = next((row for row in rows if row["scenario"] == reference), None)
    if peer is None:
        return
    for row in rows:
        if row["scenario"] in compared:
            row["vs_helpdesk_ticket_view"] = round(row["rps"] / peer["rps"], 2) if peer["rps"] else 0.0
            if peer.get("ratio") and "ratio" in row:
                row["vs_helpdesk_ticket_view_adjusted"] = round(row["ratio"] / peer["ratio"], 2)
            if row.get("cpu_ms") and "cpu_ms" in peer:
                # Server CPU per request, the helpdesk's over the page's: waiting for the CPU is not in it.
                row["cpu_vs_helpdesk_ticket_view"] = round(peer["cpu_ms"] / row["cpu_ms"], 2)
