"""The next value of a numbering series, safe under concurrency: one mechanism for every context.

Requests, repairs, orders, invoices and Buy Tech reservations each format their own
numbers (`BE-2026-000123`, `SR-BE-2026-000001`, `BE-INV-2026-0312`, …) from a value
taken here, in the series named by a key such as `support:BE:2026`.

How: one upsert that returns the new value,

    INSERT INTO core_numbersequence (key, last) VALUES (%s, 1)
    ON CONFLICT (key) DO UPDATE SET last = core_numbersequence.last + 1
    RETURNING last

PostgreSQL guarantees that `INSERT … ON CONFLICT DO UPDATE` ends in exactly one
of the two outcomes even when callers race, in READ COMMITTED: the first caller of
a new series inserts the row, the others wait on its unique-index entry and then
take the update path. The updated row stays locked until the caller's transaction
ends, so a second caller waits and then adds one to the committed value: numbers
never repeat. If the caller's transaction rolls back, its increment goes with it,
so a series has no gaps either (invoice numbering must be gapless) — which is why
this is a table row and not a PostgreSQL SEQUENCE (sequences are not
transactional and leave holes). Compared with `get_or_create` followed by
`select_for_update`, it needs no savepoint and no IntegrityError retry for the
first row of a series, and one round trip instead of three.

SQLite (3.35+) runs the same statement; its writers are serialised anyway
(`transaction_mode` IMMEDIATE in settings), so there is no race to lose.

Taken in the row's own INSERT (`in_insert`, PostgreSQL): the same upsert, in a SQL function
(`guichet_next_number`, migration core 0016) that also formats the number, called from the
VALUES of the INSERT that stores it. The series' row is then locked one round trip later than
with `next_value` followed by the INSERT, and everything above holds (one statement's snapshot,
the same lock until the transaction ends, the increment rolled back with it). A new request
takes its number so (issue 17: every other new request of the country waits from the number to
the commit, bench/README.md "Creation: the number in the request's INSERT").
"""

from __future__ import annotations

from django.db import connection
from django.db.models import CharField
from django.db.models.expressions import RawSQL
from django.db.transaction import TransactionManagementError

from .models import SEQUENCE_KEY_MAX_LENGTH, NumberSequence

SEPARATOR = ":"
FUNCTION = "guichet_next_number"  # PostgreSQL: created by migration core 0016


def sequence_key(*parts: object) -> str:
    """`sequence_key("support", "BE", 2026)` → `support:BE:2026`. Keys are stored: never change a context's."""
    return SEPARATOR.join(str(part) for part in parts)


def next_value(key: str) -> int:
    """The next value of series `key` (1 for a new series), reserved until the caller's transaction ends."""
    _check(key)
    table, key_column, last = _names()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, {last}) VALUES (%s, 1) "  # noqa: S608 (see _names)
            f"ON CONFLICT ({key_column}) DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}",
            [key],
        )
        row = cursor.fetchone()
    return int(row[0])


def formatted(prefix: str, value: int, width: int) -> str:
    """`prefix` then `value` zero-padded to `width` digits (more when it needs them): what `in_insert`'s
    SQL function writes too."""
    return f"{prefix}{value:0{width}d}"


def in_insert(key: str, prefix: str, width: int) -> str | RawSQL:
    """The next number of series `key`, `formatted`, as the value of a field of a row about to be
    inserted (`row.number = in_insert(...)`, then `row.save()`).

    On PostgreSQL an expression: the number is taken by the row's INSERT and read back with it
    (Django assigns it to the field), so the series' row is locked from that statement on. Elsewhere
    the number itself, taken now. Either way inside the transaction that stores the row.
    """
    _check(key)
    if connection.vendor != "postgresql":
        return formatted(prefix, next_value(key), width)
    return RawSQL(f"{FUNCTION}(%s, %s, %s)", (key, prefix, width), output_field=CharField())  # noqa: S611 (constant)


def advance_to(key: str, value: int) -> None:
    """Make sure series `key` continues after `value` (a number given from outside: an import, demo data).

    Never moves a series backwards: the larger of the stored and the given value is kept.
    """
    _check(key)
    if value < 0:
        raise ValueError("a numbering series never goes below zero")
    table, key_column, last = _names()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, {last}) VALUES (%s, %s) "  # noqa: S608 (see _names)
            f"ON CONFLICT ({key_column}) DO UPDATE SET {last} = "
            f"CASE WHEN {table}.{last} < excluded.{last} THEN excluded.{last} ELSE {table}.{last} END",
            [key, value],
        )


def _check(key: str) -> None:
    # Outside a transaction the increment would commit on its own, before the record
    # carrying the number is written: a failure then would leave a hole in the series.
    if not connection.in_atomic_block:
        raise TransactionManagementError("take numbers inside the transaction that stores them")
    if not key or len(key) > SEQUENCE_KEY_MAX_LENGTH:
        raise ValueError(f"invalid numbering key {key!r}")


def _names() -> tuple[str, str, str]:
    """Table and columns, quoted for the database.

    SQL, because the ORM has no upsert that adds to the stored value; only these
    identifiers of our own model are formatted into it, every value is a parameter.
    """
    quote = connection.ops.quote_name
    meta = NumberSequence._meta
    return quote(meta.db_table), quote(str(meta.get_field("key").column)), quote(str(meta.get_field("last").column))
