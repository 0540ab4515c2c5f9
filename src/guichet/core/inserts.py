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

**Stand-ins** (`stand_in`): the first row of a block may get values from the database as it is
written (its id, and a number its INSERT takes, `numbering.in_insert`) that the rows after it
carry (a foreign key, a source id, the number in a text or a JSON context). Built before the
statement, those rows carry stand-ins instead: a negative id and random text, unique to the
block. On PostgreSQL the whole batch is then one statement, each stand-in among a later row's
values written in SQL as what the first part returns (`(SELECT id FROM t0)`,
`replace(…, stand-in, (SELECT number FROM t0))`); elsewhere the first row is inserted alone and
the stand-ins replaced before the others are. Either way every row's fields carry the real
values afterwards. So a new request's rows are built and compiled before its number is taken:
nothing but the statement and the commit runs while the country's series is locked (issue 17).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache, cached_property
from typing import Any, cast

from django.db import connections, models, router, transaction
from django.db.models.expressions import DatabaseDefault, RawSQL
from django.db.models.sql import InsertQuery
from django.db.models.sql.compiler import SQLInsertCompiler
from django.db.transaction import TransactionManagementError
from psycopg import _queries as psycopg_queries
from psycopg.types.json import Jsonb

# psycopg turns a query's `%s` placeholders into its own form with a regex on every execute, and
# keeps the result only for queries of at most 50 parameters (`MAX_CACHED_STATEMENT_PARAMS`, a
# module constant of psycopg 3): a new request's statement has ~90, so it was parsed each time,
# ~0.8 ms of CPU of a creation's ~9 (issue 17, bench/README.md). Its text is the same for every
# new request: let queries of up to 200 parameters be kept too (still 4 KB at most each, 128 kept).
if getattr(psycopg_queries, "MAX_CACHED_STATEMENT_PARAMS", 200) < 200:
    psycopg_queries.MAX_CACHED_STATEMENT_PARAMS = 200

_pending: ContextVar[list[models.Model] | None] = ContextVar("guichet_inserts_pending", default=None)


@dataclass
class StandIns:
    """The first row of a batch, what its INSERT writes in place of stand-ins, and the stand-ins."""

    row: models.Model
    id: int
    actual: dict[str, Any] = dataclass_field(default_factory=dict)  # field name -> value or SQL expression
    text: dict[str, str] = dataclass_field(default_factory=dict)  # field name -> stand-in text

    @cached_property
    def texts(self) -> dict[str, str]:
        """Each stand-in as it reads in a text or a JSON document (the id's too, in decimal); read
        once the block's rows are built (`stand_in` gave every text), for each of their values."""
        return {**self.text, "pk": str(self.id)}

    def carried_by(self, value: Any) -> bool:
        """Whether `value` holds a stand-in (the id, or a text in a string, a JSON dict or list)."""
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return value == self.id
        if isinstance(value, str):
            return any(text in value for text in self.texts.values())
        if isinstance(value, dict):
            return any(self.carried_by(item) for item in value.values())
        if isinstance(value, list | tuple):
            return any(self.carried_by(item) for item in value)
        return False

    def replaced(self, value: Any, found: dict[str, Any]) -> Any:
        """`value` with the stand-ins replaced by `found` (the first row's written id and fields)."""
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return found["pk"] if value == self.id else value
        if isinstance(value, str):
            for name, text in self.texts.items():
                if text in value:
                    value = value.replace(text, str(found[name]))
            return value
        if isinstance(value, dict):
            return {key: self.replaced(item, found) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.replaced(item, found) for item in value)
        return value


_stand_ins: ContextVar[StandIns | None] = ContextVar("guichet_inserts_stand_ins", default=None)


def stand_in(row: models.Model, **actual: Any) -> None:
    """Make `row` (new) the block's first row, written with `actual` (field name -> value or SQL
    expression, e.g. `number=numbering.in_insert(...)`), and give it stand-ins meanwhile: a negative
    id, and random text in each of those fields (letters and digits: they survive URLs, HTML and
    JSON unchanged). Rows built from it before the block ends carry them, and get the written
    values. A stand-in must reach a row as written (not hashed, cut or changed in case)."""
    pending = _pending.get()
    if pending is None or pending or _stand_ins.get() is not None:
        raise TransactionManagementError("inserts.stand_in(row) comes first in an inserts.together() block")
    found = StandIns(row=row, id=-secrets.randbits(62) - 1, actual=actual)
    for name in actual:
        found.text[name] = f"Z{secrets.token_hex(12).upper()}Z"
        setattr(row, name, found.text[name])
    row.pk = found.id
    _stand_ins.set(found)
    pending.append(row)


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
    stand_ins = _stand_ins.set(None)
    try:
        yield
        found = _stand_ins.get()
    finally:
        _pending.reset(token)
        _stand_ins.reset(stand_ins)
    if found is None:
        write(pending)
    else:
        _write_with(found, pending)


def _write_with(found: StandIns, rows: list[models.Model]) -> None:
    """Write `rows`, the first `found.row`, replacing the stand-ins of `found` (see the module)."""
    first = found.row
    first.pk = None
    for name, value in found.actual.items():
        setattr(first, name, value)
    alias = router.db_for_write(type(first))
    names = list(found.actual)
    # Which fields of the later rows carry a stand-in, found before the statement: after it (the
    # series locked until the commit) only those are given the written values.
    carrying = [
        (row, model_field.attname)
        for row in rows[1:]
        for model_field in row._meta.concrete_fields
        if found.carried_by(getattr(row, model_field.attname))
    ]
    if connections[alias].vendor != "postgresql":
        with transaction.atomic(using=alias, savepoint=False):
            _insert(first, alias)
            written = {"pk": first.pk, **{name: getattr(first, name) for name in names}}
            _fill(found, carrying, written)
            write(rows[1:])
        return
    returned = [cast(models.Field, first._meta.get_field(name)) for name in names]
    values = _statement(rows, alias, found, returned)
    written = {"pk": values[0], **dict(zip(names, values[len(rows) :], strict=True))}
    for name in names:
        setattr(first, name, written[name])
    _fill(found, carrying, written)


def _fill(found: StandIns, carrying: list[tuple[models.Model, str]], written: dict[str, Any]) -> None:
    for row, attname in carrying:
        setattr(row, attname, found.replaced(getattr(row, attname), written))


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
    _statement(rows, alias)


def _statement(
    rows: list[models.Model], alias: str, found: StandIns | None = None, returned: list[models.Field] | None = None
) -> tuple[Any, ...]:
    """One data-modifying `WITH` inserting `rows`, each given its id; returns the ids, then the
    first row's `returned` fields. With `found`, the stand-ins among the later rows' values are
    written as what the first part returns."""
    connection = connections[alias]
    meta = rows[0]._meta
    quote = connection.ops.quote_name
    parts, params = [], []
    for index, row in enumerate(rows):
        linked = _link(row, rows[:index], quote)
        returning = (row._meta.pk, *(returned or [])) if index == 0 else (row._meta.pk,)
        sql, row_params = _insert_sql(row, alias, returning)
        for field, earlier in linked:  # the expression stood in for the id while compiling
            setattr(row, field.name, earlier)
        if found is not None and index > 0:
            sql, row_params = _resolved(sql, row_params, found, quote, meta)
        parts.append(f"t{index} AS ({sql})")
        params.extend(row_params)
    # Only quoted column names of our models and the parts' own names: the values are parameters.
    ids = [_id_of(quote, row, index) for index, row in enumerate(rows)]
    ids += [_column_of(quote, cast(str, model_field.column), 0) for model_field in returned or []]
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(parts)} SELECT {', '.join(ids)}", params)
        values = cursor.fetchone()
    for row, pk in zip(rows, values, strict=False):
        _saved(row, pk, alias)
    for row in rows:  # a row pointing at an earlier one now carries its id
        for link, earlier in _unsaved_targets(row, rows):
            setattr(row, link.name, earlier)
    return tuple(values)


# A row's INSERT as the ORM compiles it, per shape: model, database, fields, returned fields and the
# SQL of the values that are expressions (a link to an earlier part, a number taken in the INSERT).
# Compiling the seven INSERTs of a new request took ~2.5 ms of its ~10 ms of CPU (issue 17), for a
# text that only changes with the shape; the values are prepared per row, as the compiler does.
_compiled: dict[tuple[Any, ...], str] = {}
_MOST_SHAPES = 500


def _insert_sql(row: models.Model, alias: str, returning: tuple[models.Field, ...]) -> tuple[str, list[Any]]:
    """`row`'s INSERT (with `returning`) and its parameters, the text compiled once per shape."""
    connection = connections[alias]
    fields = _fields(row)
    if _own_placeholders(type(row)):  # what the cache does not cover
        return _compiled_insert(row, alias, fields, returning)
    values = [field.pre_save(row, add=True) for field in fields]  # as the compiler's `pre_save_val`
    compiler = None
    # The fields follow from the model and whether the id is given (`_fields`); names hash faster.
    shape: list[Any] = [type(row), alias, row.pk is None, tuple(field.attname for field in returning)]
    params: list[Any] = []
    for field, value in zip(fields, values, strict=True):
        if isinstance(value, DatabaseDefault):  # nor does this
            return _compiled_insert(row, alias, fields, returning)
        if hasattr(value, "resolve_expression"):  # its SQL is part of the shape, its parameters are not
            compiler = compiler or _compiler(row, alias, fields, returning)
            expression_sql, expression_params = compiler.compile(compiler.prepare_value(field, value))
            shape.append((field.attname, expression_sql))
            params.extend(expression_params)
        else:
            params.append(field.get_db_prep_save(value, connection=connection))
    key = tuple(shape)
    sql = _compiled.get(key)
    if sql is None:
        sql, compiled_params = _compiled_insert(row, alias, fields, returning)
        if len(compiled_params) != len(params):  # not the shape this cache assumes: never cached
            return sql, compiled_params
        if len(_compiled) < _MOST_SHAPES:  # a handful in practice; a bound all the same
            _compiled[key] = sql
    return sql, params


@cache
def _own_placeholders(model: type[models.Model]) -> bool:
    """Whether a field of `model` writes its values with SQL of its own (`get_placeholder_sql`)."""
    return any(getattr(field, "get_placeholder_sql", None) is not None for field in model._meta.concrete_fields)


def _compiler(
    row: models.Model, alias: str, fields: list[models.Field], returning: tuple[models.Field, ...]
) -> SQLInsertCompiler:
    query = InsertQuery(type(row))
    query.insert_values(fields, [row])
    compiler = cast(SQLInsertCompiler, query.get_compiler(using=alias))
    compiler.returning_fields = list(returning)
    return compiler


def _compiled_insert(
    row: models.Model, alias: str, fields: list[models.Field], returning: tuple[models.Field, ...]
) -> tuple[str, list[Any]]:
    (sql, params), *_ = _compiler(row, alias, fields, returning).as_sql()
    return sql, list(params)


def _resolved(sql: str, params: Any, found: StandIns, quote: Callable[[str], str], meta: Any) -> tuple[str, list[Any]]:
    """A later part's SQL and parameters with each stand-in written as what part t0 returns."""
    pieces = sql.split("%s")
    if len(pieces) - 1 != len(params):
        raise ValueError("an INSERT's placeholders do not match its parameters")
    out, kept = [pieces[0]], cast(list[Any], [])
    for param, piece in zip(params, pieces[1:], strict=True):
        out.append(_placeholder(param, found, quote, meta, kept))
        out.append(piece)
    return "".join(out), kept


def _placeholder(param: Any, found: StandIns, quote: Callable[[str], str], meta: Any, kept: list[Any]) -> str:
    if isinstance(param, int) and not isinstance(param, bool) and param == found.id:
        return _column_of(quote, cast(str, meta.pk.column), 0)
    text, cast_to = (param, "") if isinstance(param, str) else (None, "")
    if isinstance(param, Jsonb):
        dumped = (param.dumps or json.dumps)(param.obj)
        text, cast_to = (dumped if isinstance(dumped, str) else dumped.decode()), "::jsonb"
    texts = found.texts
    if text is None or not any(stand_in in text for stand_in in texts.values()):
        kept.append(param)
        return "%s"
    columns = {name: _column_of(quote, cast(str, meta.get_field(name).column), 0) for name in found.text}
    columns["pk"] = f"{_column_of(quote, cast(str, meta.pk.column), 0)}::text"
    for name, stand_in in found.text.items():
        if text == stand_in and not cast_to:  # the whole value: the first part's column itself
            return columns[name]
    expression = "%s"
    kept.append(text)
    for name, stand_in in texts.items():
        if stand_in in text:
            expression = f"replace({expression}, %s, {columns[name]})"
            kept.append(stand_in)
    return f"{expression}{cast_to}"


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
    return _column_of(quote, cast(str, row._meta.pk.column), index)


def _column_of(quote: Callable[[str], str], column: str, index: int) -> str:
    return f"(SELECT {quote(column)} FROM t{index})"  # noqa: S608


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
