"""The id of the request (or Celery task) being served: in every log line, task header and e-mail.

It lives in the kernel because the outbox, also kernel, stores it with each message; the
middleware that sets it per request and the Celery hooks that carry it are in `guichet.ops`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

HEADER = "X-Request-ID"
# A load balancer's or client's id is kept when it is plain: letters, digits and . _ : - (UUIDs, hex,
# AWS trace ids), at most 128 characters. Anything else (spaces, newlines, markup) could forge or
# break log lines, so a fresh one replaces it.
_SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")

_current: ContextVar[str] = ContextVar("request_id", default="")


def mint() -> str:
    return uuid.uuid4().hex


def accept(candidate: str | None) -> str:
    """The caller's id if it is sane, else a new one."""
    if candidate and _SANE.fullmatch(candidate):
        return candidate
    return mint()


def current() -> str:
    """The id being served, or "" outside any request or task."""
    return _current.get()


def bind(request_id: str) -> Token[str]:
    """Serve `request_id` from now on; `unbind(token)` goes back to what was served before."""
    return _current.set(request_id)


def unbind(token: Token[str]) -> None:
    _current.reset(token)


@contextmanager
def bound(request_id: str) -> Iterator[str]:
    token = bind(request_id)
    try:
        yield request_id
    finally:
        unbind(token)
