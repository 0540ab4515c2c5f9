"""Guichet over HTTP, side by side with a bare Django ceiling, in one run.

    python bench/http/run.py            # full: 5 slices of 4 s per scenario
    python bench/http/run.py --quick    # 3 slices of 2 s per scenario, reused data: ≤ 8 minutes
    python bench/http/run.py --write-readme

What it does, in order:
1. seeds (or reuses) the scale data of bench/requests_scale in DATABASE_URL's PostgreSQL
   database (default `bench_requests`);
2. makes real sessions and an API token there, and counts each page's SQL queries
   (bench/http/scenarios.py);
3. starts Guichet under gunicorn as in production (`-c python:guichet.ops.gunicorn`, DEBUG off, 2 sync workers, Redis
   cache) and the bare project of ../shared/bench/peer/bare (its own settings and seeding,
   as they are) under the same gunicorn;
4. for each scenario waits for a quiet machine (other processes < 5 % CPU for 5 s, at
   most --quiet-max s), then runs wrk (1 thread, 16 connections) in short slices, the bare list's
   and the scenario's in turn: B S B S … B. Around each slice it reads the server processes' CPU
   time (/proc/<pid>/stat: utime + stime of the side's gunicorn master and workers, the exited
   workers' in their master's cutime + cstime);
5. prints a table and, as its last line, one JSON object: each scenario's req/s, p50, p99
   (from its slices' latency distributions merged), unexpected answers, queries, its ratio (the
   median of each slice's req/s over the mean of the two bare slices around it, with the lowest and
   highest), its server CPU per request and its CPU ratio (the bare list's CPU per request over the
   scenario's, from the same slices): the machine's speed drifts by up to 40 % within minutes, and
   a slice a few seconds from its bare slices shares their speed.

With --helpdesk, django-helpdesk 2.6.1 (issue 17's peer, ../shared/bench/peer, as it is) runs too, from a
work copy and a virtualenv under var/ made once (bench/http/peer.py), on BENCH_HTTP_PORTS' third port (default:
a free one), 2 sync workers; its staff single ticket view is one more scenario, and the request detail
pages' rows carry their req/s over its (`vs_helpdesk_ticket_view`).

With --through-nginx, both projects answer through nginx (Debian's) as a scaled-out
deployment would: Guichet as two instances of one worker each (the same two workers in
all), the bare project as one instance of two workers, so both pay the same proxy hop.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

# bench/http/peer.py (django-helpdesk, the peer of issue 17: --helpdesk), found however this file is
# loaded (as a script, or by path from the tests and bench/tails).
sys.path.insert(0, str(Path(__file__).resolve().parent))
import peer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PEER = peer.PEER  # ../shared/bench/peer: the bare ceiling project and django-helpdesk's harness
README = ROOT / "bench" / "README.md"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
GUICHET_CONFIG = "python:guichet.ops.gunicorn"  # the production gunicorn settings (docs/operations.md)


def parse_ports(text: str) -> tuple[int, int, int | None]:
    """BENCH_HTTP_PORTS: Guichet's port, the bare project's and, optionally, django-helpdesk's (--helpdesk;
    without it, a free port is taken when needed)."""
    ports = [int(port) for port in text.split(",") if port.strip()]
    if len(ports) not in (2, 3) or len(set(ports)) != len(ports):
        raise ValueError(f"BENCH_HTTP_PORTS: two or three different ports, not {text!r}")
    return ports[0], ports[1], ports[2] if len(ports) == 3 else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# BENCH_HTTP_PORTS=8111,8112[,8113] when another run may hold the usual ports on a shared machine.
GUICHET_PORT, BARE_PORT, HELPDESK_PORT = parse_ports(os.environ.get("BENCH_HTTP_PORTS", "8101,8102"))
BENCH_BROKER = "redis://127.0.0.1:6379/10"  # this bench's own Redis database, emptied after a run
BARE_DB = "perf_bare"  # the bare project's own settings name it (user perf, password perf)
# Wide enough for the whole table when the output goes to a file (rich would wrap it at 80 columns).
console = Console(width=None if sys.stdout.isatty() else 180)


# --- the machine's other work ----------------------------------------------------------------


class CpuMonitor(threading.Thread):
    """Samples, once a second, the share of the machine's CPU used by processes that are not
    this bench (its gunicorns, wrk, and PostgreSQL backends of its two databases)."""

    def __init__(self, ours: set[int], databases: set[str]) -> None:
        super().__init__(daemon=True)
        self.ours, self.databases = ours, databases
        self.samples: list[tuple[float, float]] = []
        self.hz, self.cpus = os.sysconf("SC_CLK_TCK"), os.cpu_count() or 1

    def _is_ours(self, pid: int, command: str) -> bool:
        if command.startswith("postgres: "):
            # A backend reads "postgres: [cluster:] <user> <database> <client(port)> <state>";
            # without a client it is one of the server's own processes, shared by everyone.
            words = command.split()
            client = next((i for i, word in enumerate(words) if "(" in word), None)
            return client is None or words[client - 1] in self.databases
        return command.startswith("wrk ") or any(_descends(pid, root) for root in self.ours)

    def _ticks(self) -> dict[int, tuple[str, int]]:
        found = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            found[int(entry)] = (command, int(fields[11]) + int(fields[12]))
        return found

    def run(self) -> None:
        before, t_before = self._ticks(), time.monotonic()
        while True:
            time.sleep(1)
            now, t_now = self._ticks(), time.monotonic()
            used = sum(
                ticks - before.get(pid, (command, 0))[1]
                for pid, (command, ticks) in now.items()
                if not self._is_ours(pid, command)
            )
            share = 100 * used / self.hz / self.cpus / (t_now - t_before)
            self.samples.append((time.time(), max(0.0, share)))
            before, t_before = now, t_now

    def wait_quiet(self, most: float) -> None:
        deadline = time.time() + most
        while time.time() < deadline:
            recent = [share for _, share in self.samples[-5:]]
            if len(recent) == 5 and max(recent) < 5:
                return
            time.sleep(1)
        console.print(f"[yellow]still busy after {most:.0f} s: measuring anyway[/]")

    def mean(self, start: float, end: float) -> float:
        shares = [share for at, share in self.samples if start <= at <= end]
        return round(sum(shares) / len(shares), 1) if shares else -1.0


def _descends(pid: int, root: int) -> bool:
    while pid > 1:
        if pid == root:
            return True
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return False
        pid = int(stat[stat.rindex(")") + 2 :].split()[1])
    return False


# --- servers ------------------------------------------------------------------------------------


def _run(command: list[str], **options: Any) -> str:
    result = subprocess.run(command, check=True, capture_output=True, text=True, **options)
    return result.stdout


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        sys.exit("wrk is missing: apt-get install wrk")
    console.print("installing wrk")
    _run(["apt-get", "install", "-y", "-qq", "wrk"], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def guichet_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/9"),
        "DEBUG": "",
        # One math thread per worker: two workers' embedding threads otherwise fight over 2 cores.
        "OMP_NUM_THREADS": "1",
        # As in production: the confirmation e-mail goes to a worker through the broker, not
        # rendered and sent inside the request (no worker consumes during the bench; the queue is
        # emptied afterwards). --no-broker measures the in-process fallback instead.
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", BENCH_BROKER),
    }


def _psql(sql: str, database: str = "postgres") -> str:
    return _run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", sql]).strip()


def ensure_database(name: str, owner: str = "postgres") -> None:
    # The names are this bench's own (DATABASE_URL's path, the bare project's constant).
    if not _psql(f"SELECT 1 FROM pg_database WHERE datname='{name}'"):  # noqa: S608
        _psql(f"CREATE DATABASE {name} OWNER {owner}")


def prepare_bare() -> dict[str, str]:
    env = {**os.environ, "PERF_DB": "pg", "PEER_DIR": str(PEER), "PYTHONPATH": str(PEER / "bare")}
    if not _psql("SELECT 1 FROM pg_roles WHERE rolname='perf'"):
        _psql("CREATE ROLE perf LOGIN PASSWORD 'perf'")
    ensure_database(BARE_DB, owner="perf")
    _run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=PEER / "bare", env=env)
    _run([PYTHON, "seed_bare.py"], cwd=PEER / "bare", env=env)
    return env


@contextmanager
def gunicorn(
    app: str,
    port: int,
    env: dict[str, str],
    cwd: Path,
    log: Path,
    workers: int = 2,
    config: str | None = None,
    executable: str = GUNICORN,  # django-helpdesk's: its own virtualenv's
) -> Iterator[int]:
    command = [executable, "--workers", str(workers), "--worker-class", "sync", "--bind", f"127.0.0.1:{port}"]
    probe = "/"  # the bare project's: any answer, a 404 too
    if config:  # Guichet's: the production settings and hooks (docs/operations.md)
        command += ["-c", config]
        # Its liveness probe, answered before sessions and the database: a worker's first page stays
        # its first page, paid in the measured requests as a visitor would after a deploy.
        probe = "/healthz"
    with log.open("w") as output:
        process = subprocess.Popen(
            [*command, "--log-level", "warning", app], cwd=cwd, env=env, stdout=output, stderr=output
        )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=5)
                break
            except urllib.error.HTTPError:
                break  # it answers: a 404 or a redirect is an answer
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit(f"{app} did not start on port {port}; see {log}")
        yield process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


NGINX_CONF = """
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
daemon off;
events {{ worker_connections 512; }}
http {{
  access_log off;
  client_body_temp_path {run}/body; proxy_temp_path {run}/proxy; fastcgi_temp_path {run}/fastcgi;
  uwsgi_temp_path {run}/uwsgi; scgi_temp_path {run}/scgi;
  {servers}
}}
"""
# least_conn, as docs/operations.md's deployment: each request goes to the instance with the fewest
# requests in hand (round robin among the equal), so none waits behind a slow one while another
# instance is free. Round robin, nginx's default, queued one in two requests on each one-worker
# instance whatever it held (p99 192 to 247 ms on seven pages; bench/README.md).
NGINX_SERVER = """
  upstream u{port} {{ least_conn; {upstreams} }}
  server {{
    listen 127.0.0.1:{port};
    location / {{ proxy_pass http://u{port}; proxy_set_header Host $http_host; }}
  }}"""


@contextmanager
def nginx(routes: dict[int, list[int]], run: Path) -> Iterator[int]:
    """nginx listening on each route's port, spreading its requests over the route's upstreams."""
    servers = "".join(
        NGINX_SERVER.format(port=port, upstreams=" ".join(f"server 127.0.0.1:{up};" for up in ups))
        for port, ups in routes.items()
    )
    conf = run / "nginx.conf"
    conf.write_text(NGINX_CONF.format(run=run, servers=servers))
    process = subprocess.Popen(["/usr/sbin/nginx", "-c", str(conf), "-p", str(run)], stderr=subprocess.DEVNULL)
    try:
        for port in routes:
            for _ in range(60):
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    time.sleep(0.5)
            else:
                raise SystemExit(f"nginx did not listen on port {port}; see {run}/nginx-error.log")
        yield process.pid
    finally:
        process.send_signal(signal.SIGQUIT)  # graceful: finish the open connections, then exit
        process.wait(30)


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    queries: int | None = None
    expected: int = 200
    body: dict[str, Any] | str | None = None  # a POST: JSON, or a form already encoded
    paths: list[str] | None = None  # a GET of the next one at each request (`url`: the status check)
    side: str = "guichet"  # whose server processes answer it: "guichet" or "bare" (CPU per request)


def status(scenario: Scenario) -> int:
    """One GET of `scenario`'s page, its status (a redirect is followed)."""
    # Always http://127.0.0.1, built above.
    request = urllib.request.Request(scenario.url, headers=scenario.headers)  # noqa: S310
    try:
        return urllib.request.urlopen(request, timeout=120).status  # noqa: S310
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0  # no answer (a worker killed by its timeout): the scenario is reported, not the run lost


def wrk_command(scenario: Scenario, seconds: int, connections: int) -> list[str]:
    headers = [part for name, value in scenario.headers.items() for part in ("-H", f"{name}: {value}")]
    arguments = ["--", str(scenario.expected)]
    if scenario.paths:
        listed = Path(tempfile.mkstemp(suffix=".paths")[1])
        listed.write_text("\n".join(scenario.paths) + "\n")
        arguments.append(f"paths={listed}")
    # No request before wrk's: a production worker is warmed by its own warm-up (ops/warmup.py), not
    # by traffic, so whatever a worker's first requests still pay is in the figures (decision 0019).
    if scenario.body is not None:
        body = Path(tempfile.mkstemp(suffix=".body")[1])
        is_form = isinstance(scenario.body, str)
        body.write_text(scenario.body if is_form else json.dumps(scenario.body))  # type: ignore[arg-type]
        arguments += ["POST", str(body), "application/x-www-form-urlencoded" if is_form else "application/json"]
    return [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        *headers,
        "-s",
        str(HERE / "report.lua"),
        scenario.url,
        *arguments,
    ]


def process_ticks(sides: dict[str, set[int]]) -> dict[str, int]:
    """CPU ticks (user + system) each side's processes have used so far: its gunicorn masters and
    every process under them. A worker that exited is still counted: once reaped, its ticks are in
    its master's cutime/cstime."""
    return scan_sides(sides)[0]


def scan_sides(sides: dict[str, set[int]]) -> tuple[dict[str, int], dict[str, set[int]]]:
    """process_ticks, and each side's processes."""
    parents, ticks = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
        ticks[int(entry)] = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    used = dict.fromkeys(sides, 0)
    members: dict[str, set[int]] = {name: set() for name in sides}
    for pid, count in ticks.items():
        ancestor = pid
        while ancestor > 1:
            side = next((name for name, roots in sides.items() if ancestor in roots), None)
            if side:
                used[side] += count
                members[side].add(pid)
                break
            ancestor = parents.get(ancestor, 0)
    return used, members


def database_ticks(processes: set[int]) -> dict[int, int]:
    """CPU ticks so far (user + system) of each PostgreSQL backend serving one of `processes`: the
    client port in the backend's title (`postgres: … <user> <database> 127.0.0.1(<port>) <state>`)
    is the local port of a TCP socket one of them holds."""
    inodes = set()
    for pid in processes:
        try:
            links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        except OSError:
            continue
        inodes |= {int(link[8:-1]) for link in links if link.startswith("socket:[")}
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[9]) in inodes:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            title = Path(f"/proc/{entry}/cmdline").read_bytes().decode(errors="replace")
            if not title.startswith("postgres: "):
                continue
            client = re.search(r"\((\d+)\)", title)
            if client and int(client[1]) in ports:
                stat = Path(f"/proc/{entry}/stat").read_text()
                found[int(entry)] = sum(int(value) for value in stat[stat.rindex(")") + 2 :].split()[11:13])
        except OSError:
            continue
    return found


def ticks_delta(before: dict[int, int], after: dict[int, int]) -> int:
    """Ticks used between two readings of processes that come and go (a backend closed at its
    connection's age limit, another opened): each process still there counts from its first
    reading, or from zero when it started meanwhile; one that ended takes its last ticks with it."""
    return sum(ticks - before.get(pid, 0) for pid, ticks in after.items())


@dataclass
class Slice:
    """One wrk run of a few seconds, and the CPU its side's server processes used meanwhile
    (gunicorn's; PostgreSQL's backends of those processes apart)."""

    scenario: str
    result: dict[str, Any]
    cpu_ticks: int
    started: float
    ended: float
    db_ticks: int = 0


def run_slice(scenario: Scenario, sides: dict[str, set[int]], seconds: int, connections: int) -> Slice:
    command = wrk_command(scenario, seconds, connections)
    started = time.time()
    used, members = scan_sides(sides)
    database = database_ticks(members[scenario.side])
    output = _run(command)
    used_after, members = scan_sides(sides)
    database_after = database_ticks(members[scenario.side])
    ended = time.time()
    line = next(line for line in output.splitlines() if line.startswith("JSON "))
    return Slice(
        scenario.name,
        json.loads(line[5:]),
        used_after[scenario.side] - used[scenario.side],
        started,
        ended,
        ticks_delta(database, database_after),
    )


# --- the method: slices of the bare list and of a scenario, in turn -------------------------------
# This machine's speed drifts by up to 40 % within minutes (bench/README.md), so a scenario is
# compared with the bare list measured a few seconds before and after it, slice by slice:
# B S B S B S B. Each scenario slice gives one ratio, to the mean of the two bare slices around
# it; the scenario's ratio is their median, and their spread says whether the verdict is firm.


def pair_ratios(bare: list[float], scenario: list[float]) -> list[float]:
    """Each scenario slice's figure over the mean of the bare slices just before and after it
    (the slices ran bare, scenario, bare, …, bare: one more bare slice than scenario slices)."""
    if len(bare) != len(scenario) + 1:
        raise ValueError(f"{len(bare)} bare slices around {len(scenario)} scenario slices")
    return [value / ((bare[i] + bare[i + 1]) / 2) for i, value in enumerate(scenario)]


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def spread(values: list[float]) -> tuple[float, float]:
    """The lowest and the highest: with 3 to 5 pairs, an interquartile range would be two of them."""
    return min(values), max(values)


def merge_latencies(distributions: list[list[list[int]]]) -> dict[int, int]:
    """Slices' latency distributions (report.lua's [microseconds, count] pairs) as one."""
    merged: dict[int, int] = {}
    for distribution in distributions:
        for value, count in distribution:
            merged[value] = merged.get(value, 0) + count
    return merged


def percentile_ms(distribution: dict[int, int], percent: float) -> float:
    """wrk's own percentile (stats.c): the smallest latency whose cumulated count reaches the rank."""
    total = sum(distribution.values())
    if not total:
        return 0.0
    rank = math.floor(percent / 100 * total + 1.0)  # wrk: round(p / 100 * count + 0.5)
    seen = 0
    for value in sorted(distribution):
        seen += distribution[value]
        if seen >= rank:
            return value / 1000
    return max(distribution) / 1000


def cpu_ms_per_request(ticks: int, requests: int, hertz: int) -> float:
    """Server CPU milliseconds a request took: its side's ticks over the slices' answered requests."""
    return 1000 * ticks / hertz / requests if requests else 0.0


def summarise(
    name: str, slices: list[Slice], hertz: int, queries: int | None = None, status: int | None = None
) -> dict[str, Any]:
    """One row from a scenario's slices: req/s over their whole time, latencies from their merged
    distribution, the answers not as expected and the CPU per request over all of them."""
    requests = sum(piece.result["requests"] for piece in slices)
    latency = merge_latencies([piece.result["latency_us"] for piece in slices])
    return {
        "scenario": name,
        "requests": requests,
        "rps": round(requests / sum(piece.result["seconds"] for piece in slices), 2),
        "p50_ms": percentile_ms(latency, 50),
        "p90_ms": percentile_ms(latency, 90),
        "p99_ms": percentile_ms(latency, 99),
        "max_ms": max(latency, default=0) / 1000,
        "unexpected": sum(piece.result["unexpected"] for piece in slices),
        "socket_errors": sum(piece.result["socket_errors"] for piece in slices),
        "cpu_ms": round(cpu_ms_per_request(sum(piece.cpu_ticks for piece in slices), requests, hertz), 2),
        "db_cpu_ms": round(cpu_ms_per_request(sum(piece.db_ticks for piece in slices), requests, hertz), 2),
        "slices": len(slices),
        "queries": queries,
        "status": status,
    }


def compare(row: dict[str, Any], bare: list[Slice], slices: list[Slice], hertz: int) -> None:
    """Add to a scenario's row its ratios to the bare slices around its own: req/s (median and
    spread of the pairs) and CPU per request (bare over scenario: above 1, cheaper than the bare list)."""
    ratios = pair_ratios([piece.result["rps"] for piece in bare], [piece.result["rps"] for piece in slices])
    low, high = spread(ratios)

    def cpu(piece: Slice) -> float:
        return cpu_ms_per_request(piece.cpu_ticks, piece.result["requests"], hertz)

    cpu_ratios = [
        1 / ratio if ratio else 0.0 for ratio in pair_ratios([cpu(p) for p in bare], [cpu(p) for p in slices])
    ]
    bare_requests = sum(piece.result["requests"] for piece in bare)
    bare_cpu = cpu_ms_per_request(sum(piece.cpu_ticks for piece in bare), bare_requests, hertz)
    bare_db = cpu_ms_per_request(sum(piece.db_ticks for piece in bare), bare_requests, hertz)
    both = row["cpu_ms"] + row["db_cpu_ms"]
    row.update(
        ceiling_rps=round(median([piece.result["rps"] for piece in bare]), 1),
        ratio=round(median(ratios), 3),
        ratio_min=round(low, 3),
        ratio_max=round(high, 3),
        ratios=[round(ratio, 3) for ratio in ratios],
        bare_cpu_ms=round(bare_cpu, 2),
        bare_db_cpu_ms=round(bare_db, 2),
        # With each side's PostgreSQL backends: the bare list spends much of its time there.
        cpu_db_ratio=round((bare_cpu + bare_db) / both, 3) if both else 0.0,
        # The median of the pairs, as for req/s: a ratio of the totals could fall outside its own spread.
        cpu_ratio=round(median(cpu_ratios), 3),
        cpu_ratio_min=round(min(cpu_ratios), 3),
        cpu_ratio_max=round(max(cpu_ratios), 3),
    )


def every_five(rows: list[dict[str, Any]], blocks: list[list[Slice]], every: int = 5) -> None:
    """The former method's ratio, from the same run, for comparison (bench/README.md): a scenario's
    req/s over the mean of the bare list measured before and after its group of `every` scenarios
    (here the first bare slice of the group's first block and the last of its last block)."""
    for start in range(0, len(rows), every):
        group = blocks[start : start + every]
        around = (group[0][0].result["rps"] + group[-1][-1].result["rps"]) / 2
        for row in rows[start : start + every]:
            row["ratio_every5"] = round(row["rps"] / around, 3)


def build_scenarios(database_url: str) -> tuple[list[Scenario], list[Scenario], dict[str, Any]]:
    console.print("Seeding (or reusing) the scale data …")
    ensure_database(database_url.rsplit("/", 1)[1])
    _run([PYTHON, str(HERE / "scenarios.py"), "--forget-created"], env=guichet_env(database_url))
    subprocess.run(
        [PYTHON, str(ROOT / "bench" / "requests_scale" / "run.py"), "--seed-only"],
        check=True,
        env=guichet_env(database_url),
    )
    # The deploy step: the help search index is built and stored before the web processes start.
    subprocess.run([PYTHON, "-m", "guichet", "build_search_index"], check=True, env=guichet_env(database_url))
    plan = json.loads(_run([PYTHON, str(HERE / "scenarios.py")], env=guichet_env(database_url)))
    base = f"http://127.0.0.1:{GUICHET_PORT}"
    guichet = [
        Scenario(name, base + spec["path"], spec["headers"], spec["queries"], paths=spec.get("paths"))
        for name, spec in plan["pages"].items()
    ]
    create = plan["create"]
    guichet.append(
        Scenario(
            "api_create_request",
            base + create["path"],
            create["headers"],
            plan["api_create_queries"],
            expected=201,
            body=create["body"],
        )
    )
    form = plan["create_form"]
    guichet.append(
        Scenario("form_create_request", base + form["path"], form["headers"], form["queries"], 302, form["body"])
    )
    bare_base = f"http://127.0.0.1:{BARE_PORT}"
    bare = [
        Scenario("bare_list", f"{bare_base}/items/", side="bare"),
        Scenario("bare_list_deep", f"{bare_base}/items/?page=2000", side="bare"),
    ]
    return bare, guichet, plan["rows"]


# --- report -------------------------------------------------------------------------------------


COLUMNS = (
    "scenario",
    "req/s",
    "ratio",
    "spread",
    "CPU ms",
    "DB ms",
    "CPU ratio",
    "CPU+DB ratio",
    "p50 ms",
    "p99 ms",
    "queries",
)
COLUMNS_END = ("not as expected", "other CPU %")
# --helpdesk: the detail pages' req/s over django-helpdesk's ticket view's, and (in brackets) the
# same after each side's req/s is taken over its own bare slices (peer.versus).
PEER_COLUMN = "vs helpdesk"


def header(results: list[dict[str, Any]]) -> list[str]:
    with_peer = any("vs_helpdesk_ticket_view" in row for row in results)
    return [*COLUMNS, *COLUMNS_END, *([PEER_COLUMN] if with_peer else [])]


def cells(row: dict[str, Any], with_peer: bool = False) -> list[str]:
    """A row's cells, in header() order (the bare list's own row has no ratio to itself)."""
    compared = "ratio_min" in row
    versus = ""
    if "vs_helpdesk_ticket_view" in row:
        versus = f"{row['vs_helpdesk_ticket_view']:.2f}"
        if "vs_helpdesk_ticket_view_adjusted" in row:
            versus += f" ({row['vs_helpdesk_ticket_view_adjusted']:.2f})"
    return [
        row["scenario"],
        f"{row['rps']:.1f}",
        f"{row['ratio']:.2f}",
        f"{row['ratio_min']:.2f}-{row['ratio_max']:.2f}" if compared else "",
        f"{row['cpu_ms']:.1f}",
        f"{row['db_cpu_ms']:.1f}",
        f"{row['cpu_ratio']:.2f} ({row['cpu_ratio_min']:.2f}-{row['cpu_ratio_max']:.2f})" if compared else "",
        f"{row['cpu_db_ratio']:.2f}" if compared else "",
        f"{row['p50_ms']:.0f}",
        f"{row['p99_ms']:.0f}",
        "" if row["queries"] is None else str(row["queries"]),
        str(row["unexpected"] + row["socket_errors"]),
        f"{row['foreign_cpu_pct']:.1f}",
        *([versus] if with_peer else []),
    ]


def table(results: list[dict[str, Any]], ceiling: float, through_nginx: bool) -> Table:
    how = "through nginx, Guichet 2 instances of 1 worker" if through_nginx else "2 gunicorn workers"
    out = Table(
        title=f"HTTP, {how}, PostgreSQL — median ratio to the bare list's slices around each slice "
        f"(bare list {ceiling:.0f} req/s over the run)"
    )
    columns = header(results)
    for column in columns:
        out.add_column(column, justify="left" if column == "scenario" else "right")
    for result in results:
        out.add_row(*cells(result, PEER_COLUMN in columns))
    return out


def write_readme(
    results: list[dict[str, Any]], ceiling: float, rows: dict[str, Any], plan: str, through_nginx: bool
) -> None:
    # Each way of serving keeps its own table: a run through nginx does not replace the direct one.
    marker = "bench/http nginx" if through_nginx else "bench/http"
    start, end = f"<!-- {marker}: start -->", f"<!-- {marker}: end -->"
    how = " through nginx (Guichet: 2 instances of 1 worker; bare: 1 instance of 2)" if through_nginx else ""
    columns = header(results)
    lines = [
        start,
        f"Run of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}{how}, {plan}, "
        f"{os.cpu_count()} cores; largest organisation: {rows['organisation_requests']:,} requests. "
        f"Bare list: {ceiling:.0f} req/s over the run. Ratio: the median of each slice's req/s over the "
        "bare slices just before and after it (spread: lowest-highest); CPU ratio: the bare list's server "
        "CPU per request over the scenario's, without and with its PostgreSQL backends' (method above).",
        "",
        "| " + " | ".join(columns) + " |",
        "|" + "---|" * len(columns),
    ]
    lines += ["| " + " | ".join(cells(row, PEER_COLUMN in columns)) + " |" for row in results]
    lines.append(end)
    text = README.read_text()
    block = "\n".join(lines)
    if start in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text += f"\n## Over HTTP, side by side ({marker})\n\n{block}\n"
    README.write_text(text)


def empty_bench_queue() -> None:
    """Drop the confirmation e-mails the creation scenarios queued (no worker consumes them)."""
    if os.environ.get("CELERY_BROKER_URL", BENCH_BROKER) == BENCH_BROKER:
        import redis

        redis.Redis.from_url(BENCH_BROKER).delete("celery")


def start_servers(
    stack: ExitStack, database_url: str, bare_env: dict[str, str], logs: Path, through_nginx: bool
) -> dict[str, set[int]]:
    """Start both projects on the scenarios' ports; return each side's root processes (`guichet`,
    `bare`; `proxy`: nginx, counted in neither side's CPU per request)."""
    env = guichet_env(database_url)
    if not through_nginx:
        return {
            "guichet": {
                stack.enter_context(
                    gunicorn(
                        "guichet.config.wsgi", GUICHET_PORT, env, ROOT, logs / "guichet.log", config=GUICHET_CONFIG
                    )
                )
            },
            "bare": {
                stack.enter_context(gunicorn("bareproj.wsgi", BARE_PORT, bare_env, PEER / "bare", logs / "bare.log"))
            },
        }
    # The instances listen above the scenarios' ports, where nginx listens (apart even when those are adjacent).
    first, second, bare = GUICHET_PORT + 20, GUICHET_PORT + 21, BARE_PORT + 40
    guichet = {
        stack.enter_context(
            gunicorn(
                "guichet.config.wsgi", port, env, ROOT, logs / f"guichet-{port}.log", workers=1, config=GUICHET_CONFIG
            )
        )
        for port in (first, second)
    }
    return {
        "guichet": guichet,
        "bare": {stack.enter_context(gunicorn("bareproj.wsgi", bare, bare_env, PEER / "bare", logs / "bare.log"))},
        "proxy": {stack.enter_context(nginx({GUICHET_PORT: [first, second], BARE_PORT: [bare]}, logs))},
    }


def start_helpdesk(stack: ExitStack, logs: Path) -> tuple[int, Scenario]:
    """django-helpdesk 2.6.1 from the peer's harness (bench/http/peer.py: made when missing) under its own
    gunicorn, 2 sync workers as the peer's run_all.sh; its staff logged in through its real /login/.
    Returns its gunicorn and the scenario of its staff single ticket view."""
    env = peer.prepare(_psql, dict(os.environ), lambda step: console.print(f"{step} …"))
    port = HELPDESK_PORT or free_port()
    log = logs / "helpdesk.log"
    pid = stack.enter_context(
        gunicorn("hdproj.wsgi", port, env, peer.WORK / "hd", log, executable=peer.gunicorn_path())
    )
    base = f"http://127.0.0.1:{port}"
    session = peer.login(base, env)
    cookie = {"Cookie": f"sessionid={session}"}
    return pid, Scenario(peer.SCENARIO, base + peer.TICKET_PATH, cookie, peer.count_queries(env), side="helpdesk")


def measure_all(
    bare: Scenario, scenarios: list[Scenario], sides: dict[str, set[int]], monitor: CpuMonitor, args: Any
) -> tuple[list[dict[str, Any]], list[Slice]]:
    """Each scenario in turn with the bare list, B S B S … B, after a wait for a quiet machine; a
    scenario's first bare slice is the previous one's last when the wait was short (under 10 s).
    Returns each scenario's row and every bare slice."""
    hertz = os.sysconf("SC_CLK_TCK")
    rows, blocks, bare_slices = [], [], []
    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), TimeElapsedColumn(), console=console)
    with progress:
        task = progress.add_task("HTTP bench", total=len(scenarios))
        for scenario in scenarios:
            progress.update(task, description=scenario.name)
            waited = time.time()
            monitor.wait_quiet(args.quiet_max)
            waited = time.time() - waited
            shared = bool(bare_slices) and waited < 10
            around = [bare_slices[-1] if shared else run_slice(bare, sides, args.slice_seconds, args.connections)]
            slices = []
            for _ in range(args.slices):
                slices.append(run_slice(scenario, sides, args.slice_seconds, args.connections))
                around.append(run_slice(bare, sides, args.slice_seconds, args.connections))
            bare_slices += around[1:] if shared else around
            # One more request, after: what a page answers (a POST's is wrk's count of unexpected ones).
            answered = scenario.expected if scenario.body is not None else status(scenario)
            row = summarise(scenario.name, slices, hertz, scenario.queries, answered)
            compare(row, around, slices, hertz)
            row["foreign_cpu_pct"] = monitor.mean(around[0].started, around[-1].ended)
            rows.append(row)
            blocks.append(around)
            progress.advance(task)
    every_five(rows, blocks)
    bare_row = summarise(bare.name, bare_slices, hertz, status=status(bare))
    bare_row.update(
        ratio=1.0,
        ceiling_rps=bare_row["rps"],
        foreign_cpu_pct=monitor.mean(bare_slices[0].started, bare_slices[-1].ended),
    )
    return [bare_row, *rows], bare_slices


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 slices of 2 s per scenario (and of the bare list)")
    parser.add_argument("--slices", type=int, default=5, help="slices of each scenario, each between two bare ones")
    parser.add_argument("--slice-seconds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--quiet-max", type=float, default=120, help="longest wait for a quiet machine, in seconds")
    parser.add_argument("--only", nargs="*", help="scenarios to run (the bare list always runs)")
    parser.add_argument("--write-readme", action="store_true", help="write the table into bench/README.md")
    parser.add_argument("--no-broker", action="store_true", help="no Celery broker: e-mails rendered in the request")
    parser.add_argument(
        "--through-nginx", action="store_true", help="both projects behind nginx; Guichet as 2 instances of 1 worker"
    )
    parser.add_argument(
        "--helpdesk",
        action="store_true",
        help="django-helpdesk 2.6.1's staff ticket view too (../shared/bench/peer), compared with the detail pages",
    )
    args = parser.parse_args()
    if args.quick:
        args.slices, args.slice_seconds = 3, 2
    if args.no_broker:
        os.environ["CELERY_BROKER_URL"] = ""
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_requests")
    if not database_url.startswith("postgres"):
        sys.exit("The HTTP bench measures PostgreSQL: set DATABASE_URL to a postgres:// database.")
    ensure_wrk()
    bare, guichet, rows = build_scenarios(database_url)
    ceiling_list, others = bare[0], [*bare[1:], *guichet]
    if args.only:
        others = [scenario for scenario in others if scenario.name in args.only]
    bare_env = prepare_bare()
    logs = Path(tempfile.mkdtemp(prefix="bench-http-"))
    with ExitStack() as stack:
        sides = start_servers(stack, database_url, bare_env, logs, args.through_nginx)
        databases = {database_url.rsplit("/", 1)[1], BARE_DB}
        if args.helpdesk:
            helpdesk, ticket_view = start_helpdesk(stack, logs)
            sides["helpdesk"], databases = {helpdesk}, databases | {peer.DATABASE}
            others.insert(0, ticket_view)  # measured first, the same way as every other scenario
        monitor = CpuMonitor(set().union(*sides.values()), databases)
        monitor.start()
        results, bare_slices = measure_all(ceiling_list, others, sides, monitor, args)
    peer.versus(results)
    empty_bench_queue()
    ceiling = results[0]["rps"]
    console.print(table(results, ceiling, args.through_nginx))
    console.print(f"server logs: {logs}")
    plan = f"{args.slices} slices of {args.slice_seconds} s per scenario between {args.slices + 1} of the bare list"
    if args.write_readme:
        write_readme(results, ceiling, rows, plan, args.through_nginx)
    summary = {
        "ceiling_rps": ceiling,
        "seconds": args.slices * args.slice_seconds,
        "slices": args.slices,
        "slice_seconds": args.slice_seconds,
        "through_nginx": args.through_nginx,
        "bare_slices_rps": [piece.result["rps"] for piece in bare_slices],
        "scenarios": results,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
