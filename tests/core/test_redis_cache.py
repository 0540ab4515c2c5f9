"""The shared cache's backend (core/redis_cache.py): Django's RedisCache, one Redis client per pool."""

from __future__ import annotations

from unittest import mock

import pytest
import redis

from guichet.core.redis_cache import KeptClientRedisCache
from tests.reliability.conftest import REDIS_HOST, REDIS_PORT, holding_redis_db


@pytest.fixture
def cache():  # type: ignore[no-untyped-def]
    with holding_redis_db() as number:
        yield KeptClientRedisCache(f"redis://{REDIS_HOST}:{REDIS_PORT}/{number}", {"KEY_PREFIX": "kept-client-test"})


def test_it_answers_as_django_redis_cache(cache) -> None:  # type: ignore[no-untyped-def]
    cache.set("a", {"row": 1}, 30)
    assert cache.get("a") == {"row": 1}
    assert cache.add("a", "other") is False
    assert cache.get_many(["a", "missing"]) == {"a": {"row": 1}}
    cache.set_many({"b": 2, "c": 3})
    assert cache.incr("b") == 3
    cache.delete("a")
    assert cache.get("a", "gone") == "gone"
    cache.clear()
    assert cache.get("c") is None


def test_one_client_serves_every_call(cache) -> None:  # type: ignore[no-untyped-def]
    built = []
    original = redis.Redis.__init__

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(self)
        original(self, *args, **kwargs)

    with mock.patch.object(redis.Redis, "__init__", counting):
        for number in range(10):
            cache.set(f"k{number}", number)
            assert cache.get(f"k{number}") == number
        assert cache.get_many(["k1", "k2"]) == {"k1": 1, "k2": 2}
    assert len(built) == 1  # Django's RedisCache builds one per call: 21 here
