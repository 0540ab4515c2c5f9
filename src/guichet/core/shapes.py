"""Django's SQL for a queryset, compiled once per shape and then only bound to each request's values.

A read that runs the same queryset again and again with other values (a search typed for the first
time: the same lookups, another number) spends most of its CPU in Django building the queryset
(`filter()`, `names_to_path`, `clone`) and compiling it, more than the database takes to answer
(bench/README.md, "Global search typed for the first time"). `bound(build, values)` builds and
compiles the queryset once per *shape* — the function, which values it is handed and the kind of
each (a text, an integer, an amount, a list of n texts), and every other value as it is — with
marker values in place of the request's, finds where each marker landed among the compiled
parameters (as it is, or escaped as a LIKE pattern with the pattern's `%` around it), and from then
on binds the request's values there: no queryset is built and nothing is compiled.

What makes that safe:

- `build` is a module-level function of `values` alone (no closure, no default arguments), so
  nothing of a request reaches the SQL except through `values`. Anything else is refused.
- The first time a shape is seen, the request's own queryset is built and compiled too, and the
  shape is kept only if binding the request's values gives exactly Django's SQL and parameters;
  otherwise that shape is compiled at every call (a statement that depends on a value itself and
  not only on its parameter). `required` names values the statement must bind (the organisation
  of a tenant's read): a shape whose SQL does not is refused with an error.
- A value that is not a text, an integer or an amount (a `Q`, None, a boolean) is part of the
  shape as it is: what was compiled for one is never used for another.
- The tenant scope is an input too: a tenant's manager adds the active organisation's filter
  (core/tenancy.py). Under an active scope, `around(values)` must make that scope from the values
  (so the marker compilation runs under a marker organisation, bound per request like the rest);
  without it the call is refused. Under `across_organisations()` no filter is added.

`read(build, values, fields=…)` runs such a statement and returns its rows, converted as Django
would have (the compiler's converters, kept with the shape); `instances(model, build, values,
related=…)` makes a model's instances of them as `select_related` would (a request's pages).

Kept per process, at most `KEPT` shapes (a shape is a few hundred bytes of SQL).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django_scopes import get_scope

log = logging.getLogger(__name__)

MARK = "\ue000"  # a private-use character, around each text marker
KEPT = 2048  # shapes per process; past it they are all forgotten and compiled again as they come

Values = Mapping[str, Any]
Build = Callable[[Values], QuerySet[Any]]
# What the caller does with the built queryset before it is compiled (select, slice), and what it
# reads from it (its ordering): the same for every request of a shape.
Finish = Callable[[QuerySet[Any]], tuple[QuerySet[Any], Hashable]]
Around = Callable[[Values], AbstractContextManager[Any]]


@dataclass(frozen=True)
class Bound:
    """A statement ready to run: Django's SQL, the request's parameters, and what `finish` read."""

    sql: str
    params: tuple[Any, ...]
    db: str
    extra: Hashable


@dataclass(frozen=True)
class _Slot:
    """Where a compiled parameter comes from: a constant, or a value (an element of a list value),
    as it is or escaped for LIKE, between constant text (a pattern's `%`)."""

    constant: Any = None
    name: str | None = None
    index: int | None = None
    like: bool = False
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class _Shape:
    compiled: Bound  # its parameters are the markers'
    slots: tuple[_Slot, ...]


_REFUSED = object()  # a shape whose statement depends on more than its parameters: compiled every time
_kept: dict[Hashable, _Shape | object] = {}


def _kind(value: Any) -> Hashable:
    """What a value contributes to the shape: its kind for the values that become parameters, the
    value itself for any other."""
    if isinstance(value, bool) or value is None:
        return ("as is", value)
    if isinstance(value, str | int | Decimal):
        return type(value).__name__
    if isinstance(value, list | tuple):
        return ("list", tuple(_kind(item) for item in value))
    return ("as is", value)


def _markers(values: Values) -> tuple[dict[str, Any], dict[Any, tuple[str, int | None]]]:
    """The values with a marker in place of each text, integer and amount, and where each came from.

    A text's marker holds a letter (a backend that changed its case would not find it again) and an
    underscore (escaped in a LIKE pattern, so an escaped marker is told from one used as it is).
    Integers stay within a 32-bit column's range (Django compiles an out-of-range integer to no row)."""
    counter = iter(range(1_000_000))
    origin: dict[Any, tuple[str, int | None]] = {}

    def marker(value: Any, name: str, index: int | None) -> Any:
        if isinstance(value, bool) or value is None or not isinstance(value, str | int | Decimal):
            return value
        n = next(counter)
        if isinstance(value, str):
            made: Any = f"{MARK}m{n}_{MARK}"
        elif isinstance(value, int):
            made = -1_900_000_000 - n
        else:
            made = Decimal(f"-98765{n:04d}.17")
        origin[made] = (name, index)
        return made

    marked: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, list | tuple):
            marked[name] = type(value)(marker(item, name, i) for i, item in enumerate(value))
        else:
            marked[name] = marker(value, name, None)
    return marked, origin


def _slot(
    param: str, texts: list[str], origin: dict[Any, tuple[str, int | None]], escape: Callable[[str], str]
) -> _Slot | None:
    """A text parameter's source: a marker escaped for LIKE, or as it is, with constant text around it."""
    for text in texts:
        for like, form in ((True, escape(text)), (False, text)):
            before, found, after = param.partition(form)
            if found:
                if MARK in before or MARK in after:
                    return None  # two values in one parameter: not understood
                name, index = origin[text]
                return _Slot(name=name, index=index, like=like, before=before, after=after)
    return None if MARK in param else _Slot(constant=param)


def _slots(
    params: tuple[Any, ...], origin: dict[Any, tuple[str, int | None]], escape: Callable[[str], str]
) -> list[_Slot] | None:
    """Each compiled parameter's source; None when a marker was changed in a way not understood."""
    texts = [m for m in origin if isinstance(m, str)]
    slots = []
    for param in params:
        if isinstance(param, str):
            slot = _slot(param, texts, origin, escape)
            if slot is None:
                return None
        elif not isinstance(param, bool) and isinstance(param, int | Decimal) and param in origin:
            name, index = origin[param]
            slot = _Slot(name=name, index=index)
        else:
            slot = _Slot(constant=param)
        slots.append(slot)
    return slots


def _bind(slots: tuple[_Slot, ...], values: Values, escape: Callable[[str], str]) -> tuple[Any, ...]:
    params = []
    for slot in slots:
        if slot.name is None:
            params.append(slot.constant)
            continue
        value = values[slot.name] if slot.index is None else values[slot.name][slot.index]
        if slot.like:
            value = escape(value)
        params.append(f"{slot.before}{value}{slot.after}" if slot.before or slot.after else value)
    return tuple(params)


def _same(left: tuple[Any, ...], right: tuple[Any, ...]) -> bool:
    return len(left) == len(right) and all(type(a) is type(b) and a == b for a, b in zip(left, right, strict=True))


def _compile(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def bound(
    build: Build,
    values: Values,
    *,
    finish: Finish,
    key: Hashable = (),
    required: tuple[str, ...] = (),
    around: Around | None = None,
) -> Bound:
    """`finish(build(values))` compiled, its parameters the request's: built and compiled only the
    first time this shape is seen in this process. `key` adds what else the statement depends on
    (what `finish` selects); `around(values)` is the tenant scope the builder runs in."""
    if build.__closure__ or build.__defaults__ or build.__kwdefaults__ or "<locals>" in build.__qualname__:
        raise TypeError(f"{build.__qualname__}: a shape's builder is a module-level function of its values alone.")
    scope = get_scope()
    if around is None and scope.get("_enabled", True) and len(scope) > 1:
        raise TypeError(f"{build.__qualname__}: under a tenant scope, `around` makes it from the values.")
    shape_key = (build, key, tuple((name, _kind(value)) for name, value in values.items()))
    shape = _kept.get(shape_key)
    if isinstance(shape, _Shape):
        known = shape.compiled
        escape = connections[known.db].ops.prep_for_like_query
        return Bound(known.sql, _bind(shape.slots, values, escape), known.db, known.extra)
    make = around or (lambda _values: nullcontext())
    with make(values):
        queryset, extra = finish(build(values))
    sql, params = _compile(queryset)
    if shape is None:
        _kept[shape_key] = _learn(build, values, finish, make, (sql, params), required)
        if len(_kept) > KEPT:
            _kept.clear()
    return Bound(sql, params, queryset.db, extra)


def _learn(
    build: Build,
    values: Values,
    finish: Finish,
    around: Around,
    real: tuple[str, tuple[Any, ...]],
    required: tuple[str, ...],
) -> _Shape | object:
    """The shape of `build` for values like these, checked against the request's own compilation."""
    marked, origin = _markers(values)
    with around(marked):
        queryset, extra = finish(build(marked))
    sql, params = _compile(queryset)
    escape = connections[queryset.db].ops.prep_for_like_query
    slots = _slots(params, origin, escape)
    if slots is not None:
        missing = [name for name in required if not any(slot.name == name for slot in slots)]
        if missing:
            raise ValueError(f"{build.__qualname__} does not bind {', '.join(missing)}: its rows would be anyone's.")
    if slots is None or sql != real[0] or not _same(_bind(tuple(slots), values, escape), real[1]):
        log.warning("shape of %s not kept: its statement depends on more than its parameters", build.__qualname__)
        return _REFUSED
    return _Shape(Bound(sql, params, queryset.db, extra), tuple(slots))


def forget() -> None:
    """Forget every kept shape (tests)."""
    _kept.clear()


# --- rows and model instances read through a kept shape -----------------------------------------


@dataclass(frozen=True)
class _Converters:
    """What Django applies to each selected column as it reads it (a JSON text decoded, SQLite's
    dates parsed): the compiler's own converters, kept with the shape."""

    at: tuple[tuple[int, tuple[Any, ...], Any], ...]  # position, converters, the column's expression


def _converters_of(queryset: QuerySet[Any]) -> _Converters:
    compiler = queryset.query.get_compiler(queryset.db)
    compiler.setup_query()
    found = compiler.get_converters([expression for expression, _sql, _alias in compiler.select])
    return _Converters(tuple((position, tuple(convs), expr) for position, (convs, expr) in found.items()))


def _columns(fields: tuple[str, ...], limit: int | None) -> Finish:
    def finish(queryset: QuerySet[Any]) -> tuple[QuerySet[Any], Hashable]:
        selected = queryset.values_list(*fields)
        selected = selected if limit is None else selected[:limit]
        return selected, _converters_of(selected)

    return finish


def _run(
    build: Build, values: Values, fields: tuple[str, ...], limit: int | None, **kept: Any
) -> tuple[str, list[list[Any]]]:
    try:
        statement = bound(build, values, finish=_columns(fields, limit), key=("read", fields, limit), **kept)
    except EmptyResultSet:  # a filter nothing can match (`pk__in=[]`): Django runs no statement either
        return "", []
    connection = connections[statement.db]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        rows = [list(row) for row in cursor.fetchall()]
    converters = statement.extra
    assert isinstance(converters, _Converters)
    for row in rows:
        for position, convs, expression in converters.at:
            value = row[position]
            for convert in convs:
                value = convert(value, expression, connection)
            row[position] = value
    return statement.db, rows


def read(
    build: Build,
    values: Values,
    *,
    fields: tuple[str, ...],
    limit: int | None = None,
    required: tuple[str, ...] = (),
    around: Around | None = None,
) -> list[list[Any]]:
    """The rows `build(values).values_list(*fields)[:limit]` reads, each a list of its values as Django
    converts them: the statement built and compiled once per shape (`bound`), then only run."""
    return _run(build, values, fields, limit, required=required, around=around)[1]


def instances[M: Model](
    model: type[M],
    build: Build,
    values: Values,
    *,
    related: tuple[str, ...] = (),
    limit: int | None = None,
    required: tuple[str, ...] = (),
    around: Around | None = None,
) -> list[M]:
    """What `build(values).select_related(*related)[:limit]` gives (`related`: foreign keys of
    `model`), read as `read` does: each model's every concrete column, each instance made with
    `from_db`, each related one cached on its foreign key (None where an outer join found nothing)."""
    joined = [(model._meta.get_field(name), _related_model(model, name)) for name in related]
    fields = _attnames(model)
    for name, (_field, target) in zip(related, joined, strict=True):
        fields += tuple(f"{name}__{attname}" for attname in _attnames(target))
    db, rows = _run(build, values, fields, limit, required=required, around=around)
    made = []
    for row in rows:
        instance = _from_db(model, db, row, 0)
        at = len(model._meta.concrete_fields)
        for field, target in joined:
            pk = row[at + target._meta.concrete_fields.index(target._meta.pk)]
            field.set_cached_value(instance, None if pk is None else _from_db(target, db, row, at))  # type: ignore[union-attr]
            at += len(target._meta.concrete_fields)
        made.append(instance)
    return made


def _attnames(model: type[Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


def _related_model(model: type[Model], name: str) -> type[Model]:
    target = model._meta.get_field(name).related_model
    if not isinstance(target, type) or not issubclass(target, Model):
        raise TypeError(f"{model.__name__}.{name} is not a foreign key.")
    return target


def _from_db[M: Model](model: type[M], db: str, row: list[Any], at: int) -> M:
    names = _attnames(model)
    return model.from_db(db, names, row[at : at + len(names)])
