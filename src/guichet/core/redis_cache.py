"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache operation
(`self._client(connection_pool=pool)`); redis-py's constructor fills a table of about 170 response
callbacks each time: ~60 µs of CPU, more than the GET it serves (~60 µs). A signed-in page makes
5 to 7 cache calls (session, data versions, the user's row and access, a home's kept answers), so
that was ~0.4 ms of every request. A `redis.Redis` holds no connection of its own: each command
takes one from the pool and gives it back, so one client per pool is safe across threads, and
the pool itself notices a fork (gunicorn's workers) and opens new connections in the child.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _KeptClients(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class KeptClientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _KeptClients
