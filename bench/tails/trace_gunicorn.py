"""gunicorn settings for bench/tails: the production ones (guichet.ops.gunicorn), plus one line per
request written to $TRACE_DIR/<pid>.jsonl: when it started, its path, wall and CPU time, and the
garbage collections that ran during it (count and time per generation).

    gunicorn -c bench/tails/trace_gunicorn.py guichet.config.wsgi

TRACE_BASELINE=1 leaves out the production `post_worker_init` (warm-up, then `gc.freeze()`).
"""

from __future__ import annotations

import gc
import json
import os
import time
from pathlib import Path
from typing import Any

from guichet.ops import gunicorn as _production
from guichet.ops.gunicorn import *  # noqa: F403  (the production hooks and settings, then ours)

_state: dict[str, Any] = {"gc": [0.0, 0.0, 0.0], "n": [0, 0, 0], "started": 0.0, "gen": 0}


def _on_gc(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        _state["started"], _state["gen"] = time.perf_counter(), info["generation"]
    else:
        _state["gc"][_state["gen"]] += time.perf_counter() - _state["started"]
        _state["n"][_state["gen"]] += 1


def post_worker_init(worker: Any) -> None:
    # TRACE_BASELINE=1: without the production warm-up and freeze, to measure what they change.
    if hasattr(_production, "post_worker_init") and not os.environ.get("TRACE_BASELINE"):
        _production.post_worker_init(worker)
    _state["out"] = Path(os.environ["TRACE_DIR"], f"{os.getpid()}.jsonl").open("a", buffering=1)  # noqa: SIM115  (the worker's lifetime)
    gc.callbacks.append(_on_gc)


def pre_request(worker: Any, req: Any) -> None:
    _state.update(gc=[0.0, 0.0, 0.0], n=[0, 0, 0], t=time.time(), wall=time.perf_counter(), cpu=time.process_time())


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    line = {
        "t": round(_state["t"], 4),
        "pid": os.getpid(),
        "path": req.path,
        "wall_ms": round((time.perf_counter() - _state["wall"]) * 1000, 2),
        "cpu_ms": round((time.process_time() - _state["cpu"]) * 1000, 2),
        "gc_ms": [round(s * 1000, 2) for s in _state["gc"]],
        "gc_n": _state["n"],
    }
    _state["out"].write(json.dumps(line) + "\n")
