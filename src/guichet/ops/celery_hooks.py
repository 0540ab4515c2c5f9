"""Celery signals: the request id travels in each task's headers; tasks are counted by final state.

A task published while serving a request carries that request's id (header `request_id`), and
the worker binds it while the task runs, so the task's log lines and the e-mails it writes share
the id. A task published by beat or by another task without one gets a new id. Eager tasks (no
broker) run inside the request and keep its id.
"""

from __future__ import annotations

from contextvars import Token
from typing import Any

from celery import signals

from guichet.core import request_id

from . import metrics

HEADER = "request_id"
_bound: dict[str, Token[str]] = {}  # task id -> how to unbind it when the task ends


@signals.before_task_publish.connect
def carry_request_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
    current = request_id.current()
    if headers is not None and current:
        headers.setdefault(HEADER, current)


def _carried(task: Any) -> str | None:
    """A worker puts a message's own headers on the task's request; an eager `apply(headers=…)` keeps them apart."""
    if task is None:
        return None
    return task.request.get(HEADER) or (task.request.get("headers") or {}).get(HEADER)


@signals.task_prerun.connect
def bind_request_id(task_id: str = "", task: Any = None, **_: Any) -> None:
    carried = _carried(task)
    if carried or not request_id.current():
        _bound[task_id] = request_id.bind(request_id.accept(carried))


@signals.task_postrun.connect
def unbind_and_count(task_id: str = "", task: Any = None, state: str | None = None, **_: Any) -> None:
    token = _bound.pop(task_id, None)
    if token is not None:
        request_id.unbind(token)
    metrics.TASKS.labels(task=getattr(task, "name", "unknown"), state=state or "UNKNOWN").inc()
