"""CSV in and out: one writer for every export, one reader's guard for every import.

Exports: a text cell a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, tab, carriage
return first) gets a leading apostrophe, so it shows as text and never runs (OWASP "CSV
injection"). Numbers are written as they are: a negative balance stays a number.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from .errors import DomainError

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


def import_text(data: bytes | str) -> str:
    """An uploaded CSV as text: UTF-8 (a BOM is dropped) and no NUL character, else a translated 400."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DomainError(_("The file is not UTF-8 text."), code="not_utf8") from None
    if "\x00" in data:
        raise DomainError(_("The file contains a NUL character: it is not a CSV text file."), code="nul_in_file")
    return data.lstrip("\ufeff")
