"""What a web worker's first requests cost against its later ones, as the worker itself timed them.

    DATABASE_URL=postgres://…/<bench copy> BENCH_HTTP_PORTS=8151,8152 \\
        .venv/bin/python bench/tails/first_requests.py [--rounds 5] [--requests 6] [--only customer_list …]
            [--profile 2]

Each round starts Guichet under gunicorn with the production settings plus bench/tails's per-request
trace (`trace_gunicorn.py`), one worker, and waits until the worker has warmed up (its trace file
appears once `post_worker_init` is done: what production's workers do before their first request;
no request is sent to warm it). Then, one at a time, `--requests` GETs of each scenario of bench/http
(same data and sessions), in order: the first scenario's first request is the worker's first. It
prints, per scenario and per rank (1st, 2nd … request of that page in the worker), the median over
the rounds of the server's wall and CPU time. `--profile N` keeps a cProfile of the worker's first N
requests of the last round (their paths are printed; read them with `python -m pstats`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import http  # noqa: E402  (bench/http/run.py, loaded by bench/tails/run.py)


def _round(scenarios: list[Any], requests: int, profile: int, database_url: str) -> list[dict[str, Any]]:
    logs = Path(tempfile.mkdtemp(prefix="bench-first-"))
    trace = logs / "trace"
    trace.mkdir()
    env = {**http.guichet_env(database_url), "TRACE_DIR": str(trace), "TRACE_PROFILE_FIRST": str(profile)}
    config = str(HERE / "trace_gunicorn.py")
    with http.gunicorn("guichet.config.wsgi", http.GUICHET_PORT, env, http.ROOT, logs / "g.log", 1, config):
        for _ in range(600):  # the worker's trace file is opened once its warm-up is done
            if list(trace.glob("*.jsonl")):
                break
            time.sleep(0.1)
        time.sleep(1)  # and its readiness answered: the trace of that probe is left out below
        skipped = sum(1 for _ in next(trace.glob("*.jsonl")).open())
        for scenario in scenarios:
            for _ in range(requests):
                http.status(scenario)
    lines = [json.loads(line) for line in next(trace.glob("*.jsonl")).read_text().splitlines()][skipped:]
    if profile:
        print(f"profiles in {trace}:", *(f"{line['of_worker']}: {line['path']}" for line in lines[:profile]))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=6, help="requests of each scenario, one at a time")
    parser.add_argument("--only", nargs="*", help="bench/http's GET scenarios, in this order")
    parser.add_argument("--profile", type=int, default=0, help="profile the worker's first N requests (last round)")
    args = parser.parse_args()
    database_url = os.environ["DATABASE_URL"]
    _, guichet, _ = http.build_scenarios(database_url)
    pages = {scenario.name: scenario for scenario in guichet if scenario.body is None}
    scenarios = [pages[name] for name in args.only] if args.only else list(pages.values())
    rounds = [
        _round(scenarios, args.requests, args.profile if last else 0, database_url)
        for last in [False] * (args.rounds - 1) + [True]
    ]
    print(f"median over {args.rounds} rounds of the server's wall / CPU ms, by rank of the page's request")
    print(f"{'scenario':26}" + "".join(f"{rank:>14}" for rank in range(1, args.requests + 1)))
    for index, scenario in enumerate(scenarios):
        cells = []
        for rank in range(args.requests):
            at = index * args.requests + rank
            wall = statistics.median(lines[at]["wall_ms"] for lines in rounds)
            cpu = statistics.median(lines[at]["cpu_ms"] for lines in rounds)
            cells.append(f"{wall:7.1f}/{cpu:5.1f}")
        print(f"{scenario.name:26}" + "".join(f"{cell:>14}" for cell in cells), flush=True)
    first = [lines[0]["wall_ms"] for lines in rounds]
    print(json.dumps({"first_request_wall_ms": first, "rounds": rounds}))


if __name__ == "__main__":
    main()
