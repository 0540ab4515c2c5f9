"""gunicorn settings for the portal: `gunicorn -c python:guichet.ops.gunicorn guichet.config.wsgi`.

With PROMETHEUS_MULTIPROC_DIR set, each worker writes its metrics into that directory; these
hooks empty it when the server starts (numbers of an earlier run must not be added in) and tell
prometheus-client when a worker dies, so its gauges are dropped. Command-line options still
apply (-w, -b, …).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from prometheus_client import multiprocess


def on_starting(server: Any) -> None:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        for leftover in Path(directory).glob("*.db"):
            leftover.unlink()


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
