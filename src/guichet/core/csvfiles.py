"""CSV out: one writer for every export (imports read through core/csv_import.py).

Exports: a text cell a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, tab, carriage
return first) gets a leading apostrophe, so it shows as text and never runs (OWASP "CSV
injection"). Numbers are written as they are: a negative balance stays a number.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """`csv.writer` whose rows cannot carry a formula."""

    def __init__(self, out: IO[str], **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralised(value) for value in row])
