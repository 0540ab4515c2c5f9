"""gunicorn settings for bench/tails: the production ones (guichet.ops.gunicorn), plus one line per
request written to $TRACE_DIR/<pid>.jsonl: when it started, its path, wall and CPU time, and the
garbage collections that ran during it (count and time per generation), its SQL statements and
their time, its Redis commands and their time, and whether it opened a database connection.

    gunicorn -c bench/tails/trace_gunicorn.py guichet.config.wsgi

TRACE_BASELINE=1 leaves out the production `post_worker_init` (warm-up, then `gc.freeze()`).
TRACE_PROFILE_FIRST=N profiles each worker's first N requests other than probes (cProfile), written
beside the lines as <pid>-<n>.prof (`python -m pstats`, n its rank among the worker's requests): what
a worker's first pages pay that its later ones do not.
"""

from __future__ import annotations

import cProfile
import gc
import json
import os
import time
from pathlib import Path
from typing import Any

from guichet.ops import gunicorn as _production
from guichet.ops.gunicorn import *  # noqa: F403  (the production hooks and settings, then ours)

_state: dict[str, Any] = {
    "gc": [0.0, 0.0, 0.0],
    "n": [0, 0, 0],
    "started": 0.0,
    "gen": 0,
    "nth": 0,
    "pages": 0,
    "sql": [0, 0.0],
    "redis": [0, 0.0],
    "connected": 0,
}
_PROBES = ("/healthz", "/readyz")
_PROFILE_FIRST = int(os.environ.get("TRACE_PROFILE_FIRST", "0"))


def _on_gc(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        _state["started"], _state["gen"] = time.perf_counter(), info["generation"]
    else:
        _state["gc"][_state["gen"]] += time.perf_counter() - _state["started"]
        _state["n"][_state["gen"]] += 1


def _timed(counter: str, call: Any, *args: Any, **kwargs: Any) -> Any:
    started = time.perf_counter()
    try:
        return call(*args, **kwargs)
    finally:
        _state[counter][0] += 1
        _state[counter][1] += time.perf_counter() - started


def _sql(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    return _timed("sql", execute, sql, params, many, context)


def _count_io() -> None:
    """Each request's SQL statements, Redis commands (their count and wall time) and new database
    connections, from the worker's first request on (the warm-up's are not counted)."""
    import redis
    from django.db import connection
    from django.db.backends.signals import connection_created

    connection.execute_wrappers.append(_sql)
    command = redis.Redis.execute_command

    def execute_command(self: Any, *args: Any, **options: Any) -> Any:
        return _timed("redis", command, self, *args, **options)

    redis.Redis.execute_command = execute_command  # type: ignore[method-assign]

    def connected(**kwargs: Any) -> None:
        _state["connected"] += 1

    connection_created.connect(connected, weak=False)


def post_worker_init(worker: Any) -> None:
    # TRACE_BASELINE=1: without the production warm-up and freeze, to measure what they change.
    if hasattr(_production, "post_worker_init") and not os.environ.get("TRACE_BASELINE"):
        _production.post_worker_init(worker)
    _count_io()
    _state["out"] = Path(os.environ["TRACE_DIR"], f"{os.getpid()}.jsonl").open("a", buffering=1)  # noqa: SIM115  (the worker's lifetime)
    gc.callbacks.append(_on_gc)


def pre_request(worker: Any, req: Any) -> None:
    _state["nth"] += 1
    _state["pages"] += req.path not in _PROBES
    _state["profile"] = cProfile.Profile() if req.path not in _PROBES and _state["pages"] <= _PROFILE_FIRST else None
    _state.update(gc=[0.0, 0.0, 0.0], n=[0, 0, 0], sql=[0, 0.0], redis=[0, 0.0], connected=0)
    _state.update(t=time.time(), wall=time.perf_counter(), cpu=time.process_time())
    if _state["profile"]:
        _state["profile"].enable()


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    wall, cpu = time.perf_counter() - _state["wall"], time.process_time() - _state["cpu"]
    if _state["profile"]:
        _state["profile"].disable()
        _state["profile"].dump_stats(Path(os.environ["TRACE_DIR"], f"{os.getpid()}-{_state['nth']}.prof"))
    line = {
        "t": round(_state["t"], 4),
        "pid": os.getpid(),
        "path": req.path,
        "of_worker": _state["nth"],  # the worker's nth request, whatever its page
        "wall_ms": round(wall * 1000, 2),
        "cpu_ms": round(cpu * 1000, 2),
        "gc_ms": [round(s * 1000, 2) for s in _state["gc"]],
        "gc_n": _state["n"],
        "sql": [_state["sql"][0], round(_state["sql"][1] * 1000, 2)],
        "redis": [_state["redis"][0], round(_state["redis"][1] * 1000, 2)],
        "connected": _state["connected"],
    }
    _state["out"].write(json.dumps(line) + "\n")
