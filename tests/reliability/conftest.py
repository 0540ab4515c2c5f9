"""What the tests that run real processes share: a Redis database of their own, and the
URL of this process's test database for those processes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection

from tests.tools import require_redis

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# Databases of the Redis server these tests may take; a lock key makes concurrent runs use different ones.
REDIS_DBS = range(10, 16)
LOCK_KEY = "guichet:redis-db:held-by"  # the same key as bench/outbox_reliability: one holder per database


@contextmanager
def holding_redis_db() -> Iterator[int]:
    """A Redis database number held by the caller alone, emptied of any earlier run's keys."""
    import redis

    require_redis(f"redis://{REDIS_HOST}:{REDIS_PORT}/0")
    for number in REDIS_DBS:
        db = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=number)
        if db.set(LOCK_KEY, os.getpid(), nx=True, ex=600):
            # Leftovers of a killed run (queued tasks, cached counters) must not reach this test.
            for key in db.scan_iter():
                if key != LOCK_KEY.encode():
                    db.delete(key)
            try:
                yield number
            finally:
                db.delete(LOCK_KEY)
                db.close()
            return
        db.close()
    pytest.fail(f"every Redis database {REDIS_DBS.start}-{REDIS_DBS.stop - 1} is held by another run")


@pytest.fixture
def redis_db() -> Iterator[int]:
    with holding_redis_db() as number:
        yield number


def subprocess_database_url() -> str:
    """The URL of the test database this process uses, for a worker or server subprocess."""
    db: dict[str, Any] = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if connection.creation.is_in_memory_db(name):  # type: ignore[attr-defined]
            pytest.fail("the SQLite test database is in memory: set DATABASES TEST NAME to a file (settings)")
        return f"sqlite:///{Path(name).resolve()}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        user = quote(db.get("USER") or "", safe="")
        password = quote(db.get("PASSWORD") or "", safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = db.get("HOST") or "127.0.0.1"
        port = f":{db['PORT']}" if db.get("PORT") else ""
        return f"postgres://{auth}{host}{port}/{quote(str(db['NAME']), safe='')}"
    pytest.skip(f"no way to hand {db['ENGINE']} to a subprocess")
