"""The shared cache (Redis) as a copy that may be missing: an outage slows pages, it does not break them.

Everything Guichet keeps in the cache can be found again without it: sessions are in the database
(`cached_db`), kept figures and access entries are computed again, the help search's stored index
is in the database. So when Redis does not answer, `TolerantRedisCache` answers a read with a miss
and drops a write, logs it (once per outage), and for `RETRY_SECONDS` does not try again — one
slow connection attempt per process every few seconds, not one per cache call.

What an outage could leave behind is a *stale* entry: a session signed out, or a data version
replaced, while Redis could not hear it, found again once Redis answers. So every key a process
failed to write or delete is remembered, and deleted at the first answer after the outage, before
anything is read under it: the next read finds nothing and goes to the database. (A process that
stops before Redis answers again forgets its list: docs/operations.md says to restart the web
processes after an outage longer than a restart, so each of them starts clean.)

The sign-in limits are the one thing a miss cannot stand in for: a count that cannot be read would
let anyone try passwords without limit. `reachable()` tells them, and they refuse to check a
password while it is false (accounts/login_limits.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.sessions.backends.cached_db import KEY_PREFIX as SESSION_KEY_PREFIX
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .redis_cache import KeptClientRedisCache

log = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
# Beyond this many keys missed in one outage, the list stops growing: the outage is logged as an
# error, and at recovery every cached session is dropped (the database has them all) and every data
# version replaced instead.
MISSED_KEYS_MAX = 50_000
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class TolerantRedisCache(KeptClientRedisCache):
    """Django's Redis cache (one client per pool: core/redis_cache.py), answering a miss instead of
    raising when Redis is unreachable."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._lock = threading.Lock()
        self._down_until = 0.0  # monotonic: no attempt before this instant
        self._outage_started = 0.0
        self._missed: set[str] = set()
        self._overflowed = False

    # --- state -------------------------------------------------------------------------------

    def is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _failed(self, operation: str, error: BaseException | None, keys: Iterable[str] = ()) -> None:
        with self._lock:
            if not self._outage_started:
                self._outage_started = time.monotonic()
                log.warning("shared cache unreachable (%s: %s): answering from the database", operation, error)
            if error is not None:
                self._down_until = time.monotonic() + RETRY_SECONDS
            for key in keys:
                if len(self._missed) >= MISSED_KEYS_MAX:
                    if not self._overflowed:
                        log.error("shared cache outage: over %d writes missed", MISSED_KEYS_MAX)
                    self._overflowed = True
                    break
                self._missed.add(key)

    def _recover(self) -> None:
        """First answer after an outage: forget what was written meanwhile, before anything is read.

        Raises (leaving the list as it was) when Redis is still unreachable."""
        with self._lock:
            missed, overflowed, started = list(self._missed), self._overflowed, self._outage_started
        if missed:
            self._cache.delete_many(missed)
        else:
            self._cache.get_client(None).ping()  # an answer, not only an empty list, ends the outage
        with self._lock:
            self._missed.difference_update(missed)
            self._overflowed = self._overflowed and not overflowed
            if not self._missed:
                self._outage_started = 0.0
        log.warning(
            "shared cache reachable again after %.0f s; %d missed keys dropped", time.monotonic() - started, len(missed)
        )
        if overflowed:
            self._drop_cached_sessions()
            for hook in _overflow_hooks:
                hook()

    def _drop_cached_sessions(self) -> None:
        client = self._cache.get_client(None, write=True)
        batch: list[bytes] = []
        for key in client.scan_iter(match=f"*{SESSION_KEY_PREFIX}*", count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)

    def _call(self, operation: str, fallback: Any, call: Callable[[], Any], written: Iterable[str] = ()) -> Any:
        if self.is_down():
            self._failed(operation, None, written)
            return fallback
        try:
            if self._outage_started:
                self._recover()
            return call()
        except _UNREACHABLE as error:
            self._failed(operation, error, written)
            return fallback

    def reachable(self) -> bool:
        """Whether Redis answers now (asked once, unless an attempt failed in the last seconds)."""
        if self.is_down():
            return False
        return bool(self._call("ping", False, lambda: self._cache.get_client(None).ping()))

    # --- Django's cache API ------------------------------------------------------------------

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        made = self.make_and_validate_key(key, version=version)
        return bool(
            self._call("add", False, lambda: super(TolerantRedisCache, self).add(key, value, timeout, version), [made])
        )

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._call("get", default, lambda: super(TolerantRedisCache, self).get(key, default, version))

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        made = self.make_and_validate_key(key, version=version)
        self._call("set", None, lambda: super(TolerantRedisCache, self).set(key, value, timeout, version), [made])

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return bool(self._call("touch", False, lambda: super(TolerantRedisCache, self).touch(key, timeout, version)))

    def delete(self, key: str, version: int | None = None) -> bool:
        made = self.make_and_validate_key(key, version=version)
        return bool(self._call("delete", False, lambda: super(TolerantRedisCache, self).delete(key, version), [made]))

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        keys = list(keys)
        return self._call("get_many", {}, lambda: super(TolerantRedisCache, self).get_many(keys, version))

    def has_key(self, key: str, version: int | None = None) -> bool:
        return bool(self._call("has_key", False, lambda: super(TolerantRedisCache, self).has_key(key, version)))

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        made = self.make_and_validate_key(key, version=version)
        return int(self._call("incr", delta, lambda: super(TolerantRedisCache, self).incr(key, delta, version), [made]))

    def set_many(self, data: dict[str, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[str]:
        made = [self.make_and_validate_key(key, version=version) for key in data]
        self._call("set_many", None, lambda: super(TolerantRedisCache, self).set_many(data, timeout, version), made)
        return []

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        keys = list(keys)
        made = [self.make_and_validate_key(key, version=version) for key in keys]
        self._call("delete_many", None, lambda: super(TolerantRedisCache, self).delete_many(keys, version), made)

    def clear(self) -> None:
        self._call("clear", None, lambda: super(TolerantRedisCache, self).clear())


_overflow_hooks: list[Callable[[], None]] = []


def on_overflowed_recovery(hook: Callable[[], None]) -> None:
    """Run `hook` when Redis answers again after an outage that missed too many writes to list."""
    _overflow_hooks.append(hook)


def reachable() -> bool:
    """Whether the shared cache can count now (always, for a cache in this process's memory)."""
    reach = getattr(cache, "reachable", None)
    return True if reach is None else bool(reach())
