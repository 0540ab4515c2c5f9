"""kombu's Redis transport, its channel keeping one Redis client for its commands (issue 17).

kombu's Redis channel builds a new `redis.Redis` for each command it sends outside its consumer's
loop (`conn_or_acquire`): each task published, so each new request's e-mail, paid for a client's
construction (its ~170 response callbacks copied one by one), 0.1 to 0.2 ms of CPU, for a client
that only borrows a connection from the channel's pool. This channel builds it once and keeps it
for its life: a `redis.Redis` is safe to share (each command takes a pooled connection), the pool
is the same, and a channel kombu revives after a broker error is a new channel with a new client.

Used when the broker is Redis (`CELERY_BROKER_TRANSPORT` in settings); any other URL keeps kombu's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kombu.transport import redis


class Channel(redis.Channel):
    _commands: Any = None  # the client kept for this channel's commands, built on first use

    @contextmanager
    def conn_or_acquire(self, client: Any = None) -> Iterator[Any]:
        if client:
            yield client
            return
        if self._commands is None:
            self._commands = self._create_client()
        yield self._commands


class Transport(redis.Transport):
    Channel = Channel
