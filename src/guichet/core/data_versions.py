"""A version of each application's data, replaced by every write to one of its tables.

Something computed from an application's rows (a home's figures, core/home.py) is kept in the
shared cache under the versions of the applications it read: once any of them is written, the next
read finds no entry under the new version and computes again. So a kept figure is never stale,
and no time-to-live decides when it is right again.

Every write is seen where they all pass: a database execute wrapper (installed on each connection
as it opens) reads the table of each INSERT, UPDATE and DELETE that goes through Django (a model's
save, a queryset's update, bulk creation, raw SQL on Django's cursor alike) and replaces the version
of the application owning the table (its name's prefix: `billing_payment` is billing's). No
context has to remember to say it wrote, and none can forget.

When: at once (the same transaction reads its own writes, as a test or a view that writes then
renders does) and again when the transaction commits (a reader in another process that read the
version replaced at once but, before the commit, the rows as they were, kept its figure under a
version that the commit replaces in turn). Within a transaction, a label replaced since the last
read of versions is not replaced again: a write costs a cache write only when a read could have
kept something under the current version.

Per application, not per organisation: a queryset update does not say whose rows it changed, so
per organisation would trust every such call to say it; per application is always right and
costs a recomputation of that application's figures for the organisations that look next.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from guichet.core import shared_cache

_KEY = "data-version:{}"
# How long a kept answer may stay unread (it is right as long as its versions are current; this only
# lets entries nobody asks for again leave the cache).
KEPT_SECONDS = 24 * 3600
# The applications whose tables a statement writes (Django names tables "<app label>_<model>"):
# anywhere in it, since a data-modifying `WITH` writes several tables at once (core/inserts.py).
_WRITES = re.compile(r'\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?([a-z0-9]+)_', re.IGNORECASE)

# What each keeper reads (asked at each write, once every app is ready: a keeper's reads may
# depend on what other contexts registered). Writes to other applications' tables cost nothing.
_readers: list[Callable[[], Iterable[str]]] = []
_known: dict[str, frozenset[str]] = {}  # the union, once every app is ready (a write asks it every time)


def watch(reads: Callable[[], Iterable[str]]) -> None:
    _readers.append(reads)
    _known.clear()


def _watched() -> frozenset[str]:
    if "labels" in _known:
        return _known["labels"]
    labels = frozenset(label for reads in _readers for label in reads())
    if apps.ready:
        _known["labels"] = labels
    return labels


def _token() -> str:
    return uuid.uuid4().hex


def bump(labels: Iterable[str]) -> None:
    cache.set_many({_KEY.format(label): _token() for label in labels}, timeout=None)


# A shared-cache outage that missed too many writes to list them: every version is replaced.
shared_cache.on_overflowed_recovery(lambda: bump(_watched()))


class _Transaction:
    """The labels one transaction wrote: replaced again when it commits."""

    def __init__(self) -> None:
        self.written: set[str] = set()
        self.fresh: set[str] = set()  # replaced since versions were last read

    def commit(self) -> None:
        bump(self.written)


def _transaction_of(connection: BaseDatabaseWrapper) -> _Transaction:
    state: _Transaction | None = getattr(connection, "_data_versions", None)
    # A rollback drops the commit callback with the transaction: a new one starts afresh.
    if state is None or not any(entry[1] == state.commit for entry in connection.run_on_commit):
        state = _Transaction()
        connection._data_versions = state  # type: ignore[attr-defined]
        transaction.on_commit(state.commit, using=connection.alias)
    return state


def _written(connection: BaseDatabaseWrapper, labels: set[str] | frozenset[str]) -> None:
    if not connection.in_atomic_block:
        bump(labels)  # autocommit: the statement is already committed
        return
    state = _transaction_of(connection)
    state.written |= labels
    if labels - state.fresh:
        bump(labels - state.fresh)
        state.fresh |= labels


def writing(labels: Iterable[str]) -> None:
    """Replace now, in one cache write, the versions of applications the current transaction is
    about to write: its statements then find them replaced (unless versions are read meanwhile)
    and cost no cache write of their own; the commit replaces them again as always.

    For a transaction holding a lock from some statement on (a new request's number, decision
    0001): the cache writes happen before the lock is taken, not while others wait on it."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("data_versions.writing() announces a transaction's writes")
    wanted = set(labels) & _watched()
    if wanted:
        _written(connection, wanted)


def _labels_of(sql: Any) -> set[str] | frozenset[str]:
    if not isinstance(sql, str):
        return set()
    head = sql.lstrip()[:8].upper()
    if head.startswith("SELECT"):  # most statements: a SELECT writes nothing (no data-modifying WITH in it)
        return set()
    if head.startswith("TRUNCATE"):
        return _watched()
    return {label.lower() for label in _WRITES.findall(sql)} & _watched()


_unkept: ContextVar[bool] = ContextVar("guichet_data_versions_unkept", default=False)


@contextmanager
def unkept() -> Iterator[None]:
    """Writes in this block replace no version: for a column that no kept answer holds or was
    computed from, written often (an API token's "last used", read only from the database by the
    security page and the admin). Replacing accounts' version for it would make every instance
    read again every kept session user, access entry and token (issue 17)."""
    token = _unkept.set(True)
    try:
        yield
    finally:
        _unkept.reset(token)


def _on_execute(connection: BaseDatabaseWrapper) -> Callable[..., Any]:
    def wrapper(execute: Callable[..., Any], sql: Any, params: Any, many: bool, context: dict[str, Any]) -> Any:
        result = execute(sql, params, many, context)
        if _unkept.get():
            return result
        labels = _labels_of(sql)
        if labels:
            _written(connection, labels)
        return result

    wrapper.data_versions = True  # type: ignore[attr-defined]
    return wrapper


def install(connection: BaseDatabaseWrapper, **_kwargs: Any) -> None:
    """connection_created receiver: every connection reports its writes (once, however often it reconnects)."""
    if not any(getattr(wrapper, "data_versions", False) for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.append(_on_execute(connection))


def current(labels: Iterable[str]) -> dict[str, str]:
    """The version of each label's data now (a label never written yet, or evicted, gets a new one)."""
    wanted = sorted(set(labels))
    keys = {label: _KEY.format(label) for label in wanted}
    found = cache.get_many(keys.values())
    versions = {}
    for label, key in keys.items():
        if key not in found:
            token = _token()
            cache.add(key, token, timeout=None)
            found[key] = cache.get(key) or token  # another process's, if it added one first
        versions[label] = found[key]
    state: _Transaction | None = getattr(connections[DEFAULT_DB_ALIAS], "_data_versions", None)
    if state is not None:
        state.fresh.clear()  # something may now be kept under these: the next write replaces them
    return versions


def kept[T](name: str, reads: Iterable[str], scope: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """`compute()`'s answer, kept in the shared cache under the current versions of `reads` (the
    applications whose rows it comes from) and `scope` (everything else it depends on: the
    organisation, ids, the language): computed again only once one of them is written.

    Each label must be watched (`watch`) by the module that keeps something under it, or a write to
    it would not replace its version: asked here, so a forgotten `watch` fails at once, not stale.
    """
    labels = frozenset(reads)
    missing = labels - _watched()
    if missing:
        raise LookupError(f"{name}: nothing replaces the version of {sorted(missing)} (data_versions.watch)")
    versions = current(labels)
    parts = repr((scope, sorted(versions.items()))).encode()
    key = f"kept:{name}:" + hashlib.blake2b(parts, digest_size=16).hexdigest()
    entry = cache.get(key)
    if entry is None:
        entry = (compute(),)  # in a tuple: a kept None or empty answer is still found
        cache.set(key, entry, KEPT_SECONDS)
    return entry[0]
