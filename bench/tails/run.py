"""Where the slowest answers come from: each page's latency distribution over HTTP, and what the
server did during its slowest requests.

    DATABASE_URL=postgres://…/<bench copy> BENCH_HTTP_PORTS=8151,8152 \\
        .venv/bin/python bench/tails/run.py [--seconds 8] [--only invoices_list customer_home]

Guichet runs under gunicorn with the production settings (`guichet.ops.gunicorn`) plus the hooks
of `trace_gunicorn.py`, which write one line per request (wall and CPU time, garbage collections
during it). For each scenario of bench/http (same data and sessions, no request before wrk's), wrk's p50/p90/p99/max
as the client saw them, then the server's: the requests slower than three times the page's median
wall time, and how many of those ran a full (generation 2) garbage collection, spent most of their
time off the CPU (waiting for the database or the cache, or descheduled by another process), or
were among the first five requests of their worker for that page (first use of a template, a
catalogue, a cache entry). The bare list of ../shared/bench/peer/bare runs first and last: its tail
is the machine's own noise.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("bench_http_run", HERE.parent / "http" / "run.py")
assert _spec and _spec.loader
http = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = http  # its dataclasses look their module up
_spec.loader.exec_module(http)

SLOW = 3.0  # a request is "slow" when its wall time is this many times the page's median
FIRST = 5  # a worker's first requests of a page


def _pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def server_side(lines: list[dict[str, Any]]) -> dict[str, Any]:
    if not lines:
        return {}
    walls = [line["wall_ms"] for line in lines]
    median = statistics.median(walls)
    seen: dict[int, int] = {}
    for line in sorted(lines, key=lambda line: line["t"]):
        seen[line["pid"]] = seen.get(line["pid"], 0) + 1
        line["nth"] = seen[line["pid"]]
    slow = [line for line in lines if line["wall_ms"] > SLOW * median]
    return {
        "n": len(lines),
        "wall_p50": median,
        "wall_p99": _pct(walls, 0.99),
        "wall_max": max(walls),
        "cpu_p50": statistics.median(line["cpu_ms"] for line in lines),
        "gc2_requests": sum(1 for line in lines if line["gc_n"][2]),
        "gc2_ms_max": max(line["gc_ms"][2] for line in lines),
        "gc_ms_total": round(sum(sum(line["gc_ms"]) for line in lines), 1),
        "slow": len(slow),
        "slow_gc2": sum(1 for line in slow if line["gc_n"][2]),
        "slow_off_cpu": sum(1 for line in slow if line["cpu_ms"] < line["wall_ms"] / 2),
        "slow_first": sum(1 for line in slow if line["nth"] <= FIRST),
        "slow_connected": sum(1 for line in slow if line.get("connected")),
        "sql_ms_p50": statistics.median(line["sql"][1] for line in lines) if "sql" in lines[0] else 0.0,
        "redis_ms_p50": statistics.median(line["redis"][1] for line in lines) if "redis" in lines[0] else 0.0,
        "slowest": sorted(slow, key=lambda line: -line["wall_ms"])[:3],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--quiet-max", type=float, default=30)
    parser.add_argument("--only", nargs="*", help="Guichet scenarios to run")
    parser.add_argument("--config", default=str(HERE / "trace_gunicorn.py"), help="gunicorn settings to trace with")
    args = parser.parse_args()
    database_url = os.environ["DATABASE_URL"]
    http.ensure_wrk()
    bare, guichet, _ = http.build_scenarios(database_url)
    guichet = [scenario for scenario in guichet if not args.only or scenario.name in args.only]
    bare_env = http.prepare_bare()
    logs = Path(tempfile.mkdtemp(prefix="bench-tails-"))
    trace = logs / "trace"
    trace.mkdir()
    print(f"per-request lines in {trace}", flush=True)
    env = {**http.guichet_env(database_url), "TRACE_DIR": str(trace)}
    results = []
    read: dict[Path, int] = {}
    with ExitStack() as stack:
        roots = {
            stack.enter_context(
                http.gunicorn(
                    "guichet.config.wsgi", http.GUICHET_PORT, env, http.ROOT, logs / "guichet.log", config=args.config
                )
            ),
            stack.enter_context(
                http.gunicorn("bareproj.wsgi", http.BARE_PORT, bare_env, http.PEER / "bare", logs / "bare.log")
            ),
        }
        monitor = http.CpuMonitor(roots, {database_url.rsplit("/", 1)[1], http.BARE_DB})
        monitor.start()
        for scenario in [bare[0], *guichet, bare[0]]:
            result = http.measure(scenario, monitor, args.seconds, args.connections, args.quiet_max)
            path = scenario.url.split(f":{http.GUICHET_PORT}", 1)[-1].split("?")[0]
            lines = []
            for file in sorted(trace.glob("*.jsonl")):  # what each worker wrote since the last scenario
                with file.open() as handle:
                    handle.seek(read.get(file, 0))
                    lines += [json.loads(line) for line in handle.read().splitlines()]
                    read[file] = handle.tell()
            mine = [line for line in lines if line["path"] == path]
            result["server"] = server_side(mine) if f":{http.GUICHET_PORT}/" in scenario.url else {}
            results.append(result)
            s = result["server"]
            print(
                f"{result['scenario']:26} client p50 {result['p50_ms']:6.0f} p90 {result['p90_ms']:6.0f} "
                f"p99 {result['p99_ms']:6.0f} max {result['max_ms']:6.0f}  rps {result['rps']:6.1f} "
                f"other CPU {result['foreign_cpu_pct']:4.1f} %",
                flush=True,
            )
            if s:
                print(
                    f"{'':26} server wall p50 {s['wall_p50']:5.1f} p99 {s['wall_p99']:6.1f} max {s['wall_max']:6.1f} "
                    f"cpu p50 {s['cpu_p50']:5.1f} | gen-2 GCs in {s['gc2_requests']}/{s['n']} requests "
                    f"(longest {s['gc2_ms_max']:.1f} ms), GC total {s['gc_ms_total']} ms | slow (>{SLOW}x p50) "
                    f"{s['slow']}: gen-2 {s['slow_gc2']}, off-CPU {s['slow_off_cpu']}, first {FIRST} {s['slow_first']}"
                    f", new DB connection {s['slow_connected']} | SQL p50 {s['sql_ms_p50']:.1f} ms, Redis p50 "
                    f"{s['redis_ms_p50']:.1f} ms",
                    flush=True,
                )
                for line in s["slowest"]:
                    print(f"{'':30} {json.dumps(line)}", flush=True)
    http.empty_bench_queue()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
