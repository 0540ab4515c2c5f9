"""Guichet over HTTP, side by side with a bare Django ceiling, in one run.

    python bench/http/run.py            # full: 20 s per scenario
    python bench/http/run.py --quick    # 8 s per scenario, reused data: ≤ 8 minutes
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
   most --quiet-max s), runs wrk (1 thread, 16 connections) and records the CPU share
   other processes took meanwhile;
5. prints a table and, as its last line, one JSON object: each scenario's req/s, p50,
   p99, unexpected answers, queries and its ratio to the bare list's req/s measured around
   it (the bare list runs again after every BARE_EVERY scenarios: the machine's speed drifts).

With --through-nginx, both projects answer through nginx (Debian's) as a scaled-out
deployment would: Guichet as two instances of one worker each (the same two workers in
all), the bare project as one instance of two workers, so both pay the same proxy hop.
"""

from __future__ import annotations

import argparse
import json
import os
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

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PEER = ROOT.parent / "shared" / "bench" / "peer"
README = ROOT / "bench" / "README.md"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
GUICHET_CONFIG = "python:guichet.ops.gunicorn"  # the production gunicorn settings (docs/operations.md)
# BENCH_HTTP_PORTS=8111,8112 when another run may hold the usual ports on a shared machine.
GUICHET_PORT, BARE_PORT = (int(port) for port in os.environ.get("BENCH_HTTP_PORTS", "8101,8102").split(","))
BENCH_BROKER = "redis://127.0.0.1:6379/10"  # this bench's own Redis database, emptied after a run
BARE_DB = "perf_bare"  # the bare project's own settings name it (user perf, password perf)
console = Console()


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


def _psql(sql: str) -> str:
    return _run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", sql]).strip()


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
    app: str, port: int, env: dict[str, str], cwd: Path, log: Path, workers: int = 2, config: str | None = None
) -> Iterator[int]:
    command = [GUNICORN, "--workers", str(workers), "--worker-class", "sync", "--bind", f"127.0.0.1:{port}"]
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


def measure(
    scenario: Scenario, monitor: CpuMonitor, seconds: int, connections: int, quiet_max: float
) -> dict[str, Any]:
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
    monitor.wait_quiet(quiet_max)
    started = time.time()
    output = _run(
        [
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
    )
    line = next(line for line in output.splitlines() if line.startswith("JSON "))
    result = json.loads(line[5:])
    result.update(
        scenario=scenario.name,
        # One more request, after: what a page answers (a POST's is wrk's count of unexpected ones).
        status=scenario.expected if scenario.body is not None else status(scenario),
        queries=scenario.queries,
        foreign_cpu_pct=monitor.mean(started, time.time()),
    )
    return result


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
    bare = [Scenario("bare_list", f"{bare_base}/items/"), Scenario("bare_list_deep", f"{bare_base}/items/?page=2000")]
    return bare, guichet, plan["rows"]


# --- report -------------------------------------------------------------------------------------


def table(results: list[dict[str, Any]], ceiling: float, through_nginx: bool) -> Table:
    how = "through nginx, Guichet 2 instances of 1 worker" if through_nginx else "2 gunicorn workers"
    out = Table(title=f"HTTP, {how}, PostgreSQL — ratio to the bare list measured around it (mean {ceiling:.0f} req/s)")
    for column in ("scenario", "req/s", "ratio", "p50 ms", "p99 ms", "queries", "unexpected", "other CPU %"):
        out.add_column(column, justify="left" if column == "scenario" else "right")
    for result in results:
        out.add_row(
            result["scenario"],
            f"{result['rps']:.1f}",
            f"{result['ratio']:.2f}",
            f"{result['p50_ms']:.0f}",
            f"{result['p99_ms']:.0f}",
            "" if result["queries"] is None else str(result["queries"]),
            str(result["unexpected"] + result["socket_errors"]),
            f"{result['foreign_cpu_pct']:.1f}",
        )
    return out


def write_readme(
    results: list[dict[str, Any]], ceiling: float, rows: dict[str, Any], seconds: int, through_nginx: bool
) -> None:
    # Each way of serving keeps its own table: a run through nginx does not replace the direct one.
    marker = "bench/http nginx" if through_nginx else "bench/http"
    start, end = f"<!-- {marker}: start -->", f"<!-- {marker}: end -->"
    how = " through nginx (Guichet: 2 instances of 1 worker; bare: 1 instance of 2)" if through_nginx else ""
    lines = [
        start,
        f"Run of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}{how}, {seconds} s per scenario, "
        f"{os.cpu_count()} cores; largest organisation: {rows['organisation_requests']:,} requests. "
        f"Bare list ceiling: {ceiling:.0f} req/s on average, measured again after every {BARE_EVERY} scenarios; "
        "each ratio is to the mean of the bare runs just before and after it.",
        "",
        "| scenario | req/s | ratio | p50 ms | p99 ms | queries | not as expected | other CPU % |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        queries = "" if r["queries"] is None else r["queries"]
        lines.append(
            f"| {r['scenario']} | {r['rps']:.1f} | {r['ratio']:.2f} | {r['p50_ms']:.0f} | {r['p99_ms']:.0f} "
            f"| {queries} | {r['unexpected'] + r['socket_errors']} | {r['foreign_cpu_pct']:.1f} |"
        )
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


# The bare list is measured again after every few scenarios: this machine's speed drifts within a
# run (by a third between two quiet runs an hour apart, with no other process busy), so each
# scenario is compared with the ceiling measured around it, not only with the one at the start.
BARE_EVERY = 5
AGAIN = " again"


def interleaved(bare: list[Scenario], guichet: list[Scenario], every: int) -> list[Scenario]:
    """The bare scenarios, then Guichet's with the bare list again after every `every` and at the end."""
    ceiling = bare[0]
    again = Scenario(ceiling.name + AGAIN, ceiling.url)
    plan = list(bare)
    for index, scenario in enumerate(guichet, start=1):
        plan.append(scenario)
        if index % every == 0 or index == len(guichet):
            plan.append(again)
    return plan


def with_ratios(results: list[dict[str, Any]]) -> float:
    """Each result's ratio to the mean of the bare-list runs just before and after it; the run's mean ceiling."""
    ceilings = [i for i, result in enumerate(results) if result["scenario"] in ("bare_list", "bare_list" + AGAIN)]
    for index, result in enumerate(results):
        before = max((i for i in ceilings if i <= index), default=ceilings[0])
        after = min((i for i in ceilings if i >= index), default=before)
        around = (results[before]["rps"] + results[after]["rps"]) / 2
        result["ceiling_rps"] = round(around, 1)
        result["ratio"] = round(result["rps"] / around, 3)
    return round(sum(results[i]["rps"] for i in ceilings) / len(ceilings), 1)


def start_servers(
    stack: ExitStack, database_url: str, bare_env: dict[str, str], logs: Path, through_nginx: bool
) -> set[int]:
    """Start both projects on the scenarios' ports; return the processes whose CPU is this bench's."""
    env = guichet_env(database_url)
    if not through_nginx:
        return {
            stack.enter_context(
                gunicorn("guichet.config.wsgi", GUICHET_PORT, env, ROOT, logs / "guichet.log", config=GUICHET_CONFIG)
            ),
            stack.enter_context(gunicorn("bareproj.wsgi", BARE_PORT, bare_env, PEER / "bare", logs / "bare.log")),
        }
    # The instances listen above the scenarios' ports, where nginx listens (apart even when those are adjacent).
    first, second, bare = GUICHET_PORT + 20, GUICHET_PORT + 21, BARE_PORT + 40
    roots = {
        stack.enter_context(
            gunicorn(
                "guichet.config.wsgi", port, env, ROOT, logs / f"guichet-{port}.log", workers=1, config=GUICHET_CONFIG
            )
        )
        for port in (first, second)
    }
    roots.add(stack.enter_context(gunicorn("bareproj.wsgi", bare, bare_env, PEER / "bare", logs / "bare.log")))
    roots.add(stack.enter_context(nginx({GUICHET_PORT: [first, second], BARE_PORT: [bare]}, logs)))
    return roots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="8 s per scenario")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--quiet-max", type=float, default=120, help="longest wait for a quiet machine, in seconds")
    parser.add_argument("--only", nargs="*", help="Guichet scenarios to run (the bare list always runs)")
    parser.add_argument("--write-readme", action="store_true", help="write the table into bench/README.md")
    parser.add_argument("--no-broker", action="store_true", help="no Celery broker: e-mails rendered in the request")
    parser.add_argument(
        "--through-nginx", action="store_true", help="both projects behind nginx; Guichet as 2 instances of 1 worker"
    )
    args = parser.parse_args()
    if args.no_broker:
        os.environ["CELERY_BROKER_URL"] = ""
    seconds = 8 if args.quick else args.seconds
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_requests")
    if not database_url.startswith("postgres"):
        sys.exit("The HTTP bench measures PostgreSQL: set DATABASE_URL to a postgres:// database.")
    ensure_wrk()
    bare, guichet, rows = build_scenarios(database_url)
    if args.only:
        guichet = [scenario for scenario in guichet if scenario.name in args.only]
    bare_env = prepare_bare()
    logs = Path(tempfile.mkdtemp(prefix="bench-http-"))
    results: list[dict[str, Any]] = []
    with ExitStack() as stack:
        roots = start_servers(stack, database_url, bare_env, logs, args.through_nginx)
        monitor = CpuMonitor(roots, {database_url.rsplit("/", 1)[1], BARE_DB})
        monitor.start()
        progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), TimeElapsedColumn(), console=console)
        plan = interleaved(bare, guichet, BARE_EVERY)
        with progress:
            task = progress.add_task("HTTP bench", total=len(plan))
            for scenario in plan:
                progress.update(task, description=scenario.name)
                results.append(measure(scenario, monitor, seconds, args.connections, args.quiet_max))
                progress.advance(task)
    empty_bench_queue()
    ceiling = with_ratios(results)
    console.print(table(results, ceiling, args.through_nginx))
    console.print(f"server logs: {logs}")
    if args.write_readme:
        write_readme(results, ceiling, rows, seconds, args.through_nginx)
    summary = {"ceiling_rps": ceiling, "seconds": seconds, "through_nginx": args.through_nginx, "scenarios": results}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
