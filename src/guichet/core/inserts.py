"""New rows of several tables written in one statement, for a transaction that holds a lock meanwhile.

Why: a new request takes its number with an upsert that keeps the series' row locked until the
transaction commits (`core.numbering`), so every other new request of the country waits for
each statement that follows it. Its case row, the case's first step, its timeline event, the
audit row, the outbox e-mail and the notification are independent of one another but for two
foreign keys (the step's case, the notification's e-mail): on PostgreSQL they go in one
round trip, a data-modifying `WITH` whose parts are the ORM's own INSERTs, a row pointing at
an earlier one through `(SELECT id FROM …)`. Elsewhere (SQLite) each row is inserted in turn.

    with inserts.together():      # inside the transaction
        inserts.add(case, step)   # kept; a row may point at an earlier unsaved one
        inserts.add(event)
    # here every row is written and has its id

`add` outside a `together` block writes at once. Like `bulk_create`, no `pre_save`/`post_save`
signal is sent: only rows of models that need none belong here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import cast

from django.db import connections, models, router, transaction
from django.db.models.expressions import RawSQL
from django.db.models.sql import InsertQuery
from django.db.transaction import TransactionManagementError

_pending: ContextVar[list[models.Model] | None] = ContextVar("guichet_inserts_pending", default=None)


def add(*rows: models.Model) -> None:
    """Insert `rows` (new, in order), now or at the end of the enclosing `together` block."""
    pending = _pending.get()
    if pending is None:
        write(list(rows))
    else:
        pending.extend(rows)


@contextmanager
def together() -> Iterator[None]:
    """Keep the rows `add`ed inside the block and write them as it ends (nothing on an error)."""
    if _pending.get() is not None:
        raise TransactionManagementError("inserts.together() blocks do not nest")
    if not connections["default"].in_atomic_block:  # else each row the block meets would commit alone
        raise TransactionManagementError("inserts.together() runs inside the transaction that needs it")
    pending: list[models.Model] = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    write(pending)


def write(rows: list[models.Model]) -> None:
    """Insert `rows` in one statement on PostgreSQL (one each elsewhere) and give each its id."""
    if not rows:
        return
    alias = router.db_for_write(type(rows[0]))
    connection = connections[alias]
    if len(rows) == 1:  # one INSERT, as `objects.create` sends (no transaction of its own)
        _insert(rows[0], alias)
        return
    if connection.vendor != "postgresql":
        with transaction.atomic(using=alias, savepoint=False):  # all or none, as the one statement
            for row in rows:
                for field, earlier in _unsaved_targets(row, rows):  # saved by now: take its id
                    setattr(row, field.name, earlier)
                _insert(row, alias)
        return
    quote = connection.ops.quote_name
    parts, params = [], []
    for index, row in enumerate(rows):
        linked = _link(row, rows[:index], quote)
        query = InsertQuery(type(row))
        query.insert_values(_fields(row), [row])
        compiler = query.get_compiler(using=alias)
        compiler.returning_fields = [row._meta.pk]
        (sql, row_params), *_ = compiler.as_sql()
        for field, earlier in linked:  # the expression stood in for the id while compiling
            setattr(row, field.name, earlier)
        parts.append(f"t{index} AS ({sql})")
        params.extend(row_params)
    # Only quoted column names of our models and the parts' own names: the values are parameters.
    ids = ", ".join(_id_of(quote, row, index) for index, row in enumerate(rows))
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(parts)} SELECT {ids}", params)
        values = cursor.fetchone()
    for row, pk in zip(rows, values, strict=True):
        _saved(row, pk, alias)
    for row in rows:  # a row pointing at an earlier one now carries its id
        for field, earlier in _unsaved_targets(row, rows):
            setattr(row, field.name, earlier)


def _insert(row: models.Model, alias: str) -> None:
    """One row's INSERT, with no signal (as the batch's)."""
    [(pk, *_)] = type(row)._base_manager._insert(  # type: ignore[attr-defined]
        [row], fields=_fields(row), returning_fields=[row._meta.pk], using=alias
    )
    _saved(row, pk, alias)


def _saved(row: models.Model, pk: object, alias: str) -> None:
    row.pk = pk
    row._state.adding = False
    row._state.db = alias


def _id_of(quote: Callable[[str], str], row: models.Model, index: int) -> str:
    """The id part `index` of the statement gives `row`: a model's quoted column, no outside text."""
    return f"(SELECT {quote(cast(str, row._meta.pk.column))} FROM t{index})"  # noqa: S608


def _fields(row: models.Model) -> list[models.Field]:
    """What an INSERT of `row` names, as `bulk_create` does: every stored column but an automatic id."""
    return [
        field
        for field in row._meta.concrete_fields
        if not field.generated and not (field.primary_key and row.pk is None)
    ]


def _unsaved_targets(row: models.Model, rows: list[models.Model]) -> list[tuple[models.ForeignKey, models.Model]]:
    """`row`'s foreign keys to rows of the batch (by identity, not by id: they have none yet)."""
    found = []
    for field in row._meta.concrete_fields:
        if isinstance(field, models.ForeignKey):
            target = field.get_cached_value(row, None)
            if target is not None and any(target is other for other in rows):
                found.append((field, target))
    return found


def _link(
    row: models.Model, earlier: list[models.Model], quote: Callable[[str], str]
) -> list[tuple[models.ForeignKey, models.Model]]:
    """Point `row`'s foreign keys to earlier rows of the batch at their part of the statement."""
    linked = _unsaved_targets(row, earlier)
    for field, target in linked:
        index = next(i for i, other in enumerate(earlier) if other is target)
        setattr(row, field.attname, RawSQL(_id_of(quote, target, index), ()))  # noqa: S611 (see _id_of)
    return linked
