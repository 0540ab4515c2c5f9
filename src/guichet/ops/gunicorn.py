"""gunicorn settings for the portal: `gunicorn -c python:guichet.ops.gunicorn guichet.config.wsgi`.

Each worker, once it has loaded the application and before its first request, loads what the first
requests would otherwise load (ops/warmup.py), then collects once and freezes everything it holds
(`gc.freeze()`): the garbage collector's full collections then walk only what requests created since,
instead of the whole application, every time (a pause of 0.2 to 0.3 s on the bench machine, in whichever
request triggered it; bench/README.md, "Tails"; decision 0019).

With PROMETHEUS_MULTIPROC_DIR set, each worker writes its metrics into that directory; these
hooks empty it when the server starts (numbers of an earlier run must not be added in) and tell
prometheus-client when a worker dies, so its gauges are dropped. Command-line options still
apply (-w, -b, …).
"""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path
from typing import Any

import structlog
from prometheus_client import multiprocess

log = structlog.get_logger("guichet.ops")


def on_starting(server: Any) -> None:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        for leftover in Path(directory).glob("*.db"):
            leftover.unlink()


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker: Any) -> None:
    """Warm the worker up, then freeze what it holds out of the collector's reach."""
    from guichet.ops.warmup import warm_up  # the application is loaded: Django is set up

    started = time.perf_counter()
    if worker is not None:
        worker.notify()  # alive: the arbiter's timeout counts from here, not from the fork
    try:
        loaded = warm_up()
    except Exception:  # a first use then happens in a request, as it did before: not worth a failed boot
        log.exception("warm-up failed")
        loaded = {}
    gc.collect()
    gc.freeze()
    seconds = round(time.perf_counter() - started, 2)
    log.info("worker ready", warmed=loaded, frozen_objects=gc.get_freeze_count(), seconds=seconds)
