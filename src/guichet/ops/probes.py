"""Probes for load balancers and orchestrators.

/healthz: the process answers (nothing else is asked: a database outage must not get every web
process restarted). /readyz: this process can serve, since the database and the broker answer and
every migration is applied; else 503 and which check failed, so the balancer sends traffic
elsewhere. An unreachable cache is reported ("degraded", 200): pages still answer without it.
Both are answered before sessions, authentication, language and host checks
(ProbeMiddleware), and say nothing about the infrastructure beyond a check's name and the
exception's class: they are public.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2.0
_migrations_applied = False  # once true for this process, stays true: code and schema ship together


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_migrations() -> None:
    global _migrations_applied
    if _migrations_applied:
        return
    executor = MigrationExecutor(connection)
    unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if unapplied:
        raise RuntimeError(f"{len(unapplied)} migrations not applied")
    _migrations_applied = True


def check_cache() -> None:
    key, value = f"guichet:readyz:{uuid.uuid4().hex}", "ok"
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not keep a value")
    finally:
        cache.delete(key)


def check_broker() -> None:
    if not settings.CELERY_BROKER_URL:
        return  # no broker configured: tasks run in process (settings), nothing to reach
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)


# Checks whose failure slows this process without stopping it: without the shared cache, pages are
# answered from the database (core/shared_cache.py) and only signing in waits. Taking every instance
# out of the balancer for it would turn a slower portal into none.
DEGRADE_ONLY = frozenset({"cache"})

CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "migrations": check_migrations,
    "cache": check_cache,
    "broker": check_broker,
}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        if name == "migrations" and not results["database"]["ok"]:
            results[name] = {"ok": False, "error": "database unavailable"}
            continue
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # any failure is "not ready"; the details go to the log, not the public
            log.warning("readiness check %s failed: %s: %s", name, type(exc).__name__, exc)
            results[name] = {"ok": False, "error": type(exc).__name__}
        else:
            results[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    failed = [name for name, result in results.items() if not result["ok"]]
    ready = not set(failed) - DEGRADE_ONLY
    status = ("degraded" if failed else "ready") if ready else "unavailable"
    return JsonResponse({"status": status, "failed": failed, "checks": results}, status=200 if ready else 503)
