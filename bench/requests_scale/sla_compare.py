"""The console queue's SLA column, the old way (business hours counted day by day) against the new
(closed form and stored marks), on the bench data: same results, and the time each takes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_requests python bench/requests_scale/sla_compare.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("CACHE_URL", "locmem:")

import django  # noqa: E402

django.setup()

from datetime import timedelta  # noqa: E402
from typing import Any  # noqa: E402

from django.utils import timezone  # noqa: E402
from tests.core.test_calendar_closed_form import day_by_day  # noqa: E402

from guichet.accounts.models import User  # noqa: E402
from guichet.core.calendar import calendar_of  # noqa: E402
from guichet.support import rules, selectors  # noqa: E402
from guichet.support.models import Request, Status  # noqa: E402

NOW = timezone.now()


def counted(row: Request) -> tuple[str, timedelta | None] | None:
    """What the queue showed before: the state and time left, counted day by day."""
    if row.resolution_due is None or row.status in (Status.WAITING, Status.RESOLVED, Status.CLOSED):
        return None
    calendar = calendar_of(row.organisation)
    if row.resolution_due <= NOW:
        return "breached", -day_by_day(calendar, row.resolution_due, NOW)
    left = day_by_day(calendar, NOW, row.resolution_due)
    return rules.sla_state(left, rules.resolution_target(row.type, row.priority)), left


def stored(row: Request) -> tuple[str, timedelta | None] | None:
    view = selectors.sla_of(row, NOW)
    return None if view.state in ("paused", "done") else (view.state, view.remaining)


def best_of(function: Any, rows: list[Request], rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for row in rows:
            function(row)
        best = min(best, time.perf_counter() - started)
    return best * 1000


def main() -> None:
    agent = User.objects.get(email="agent0.be@bench.example")
    rows = list(selectors.queue_for(agent, selectors.QueueFilters(), now=NOW)[:50])
    assert [counted(r) for r in rows] == [stored(r) for r in rows], "the two disagree"
    print(f"{len(rows)} rows, the first {(NOW - rows[0].resolution_due).days} days overdue; same results")
    print(f"day by day: {best_of(counted, rows):.2f} ms; closed form + marks: {best_of(stored, rows):.2f} ms")


if __name__ == "__main__":
    main()
