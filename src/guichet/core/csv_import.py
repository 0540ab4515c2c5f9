"""What the portal's CSV importers share (bank payments, machines, Buy Tech eligibility).

A file is read as UTF-8 (with or without BOM), comma- or semicolon-separated, column names
matched without case or surrounding spaces. Every row is checked and each problem recorded
with its line number (the header is line 1), so one report lists them all; one bad row
rejects the whole file (`ImportRejected`, with the report) and nothing is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import IO

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .errors import Code, DomainError

FIRST_ROW_LINE = 2  # line 1 is the header
MAX_REPORTED_ERRORS = 500  # the report stays readable; `error_count` says how many there were
MAX_ERRORS_IN_DETAILS = 200  # an API answer or a log line stays small
_SAMPLE = 4096  # what the delimiter is guessed from


@dataclass
class RowError:
    line: int  # 0: the file as a whole
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, line: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(line, column, message))


class ImportRejected[Report: ImportReport](DomainError):
    """The file was refused whole; `report` (the importer's own kind of report) lists why."""

    code = Code.IMPORT_REJECTED
    status = 422

    def __init__(self, report: Report, message: str | Promise | None = None) -> None:
        super().__init__(
            message
            or _("The file was rejected: %(count)s problems; nothing was imported.") % {"count": report.error_count},
            details={"errors": [asdict(error) for error in report.errors[:MAX_ERRORS_IN_DETAILS]]},
        )
        self.report = report


class NulCharacter(csv.Error):
    """A NUL character: a binary file, not CSV text (and no database column could store it)."""


def unreadable(error: Exception) -> str:
    """What to tell about a file that could not be read as CSV text."""
    if isinstance(error, NulCharacter):
        return _("The file contains a NUL character: it is not a CSV text file.")
    return _("The file is not UTF-8 text.")


@dataclass
class CsvFile:
    header: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]  # (line, values by column), read as the caller goes


def read_csv(text: IO[str]) -> CsvFile:
    """The header and the rows of `text`; values stripped, cells beyond the header dropped.

    Decoding and CSV errors surface as the rows are read: callers catch UnicodeDecodeError and csv.Error
    (a NUL character is one: `NulCharacter`), and say `unreadable(error)`.
    """
    sample = text.read(_SAMPLE)
    text.seek(0)
    reader = csv.DictReader(text, delimiter=";" if sample.count(";") > sample.count(",") else ",")
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if any("\x00" in name for name in header):
        raise NulCharacter(1)
    reader.fieldnames = header

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for line, raw in enumerate(reader, start=FIRST_ROW_LINE):
            values = {name: (value or "").strip() for name, value in raw.items() if name}
            if any("\x00" in value for value in values.values()):
                raise NulCharacter(line)
            yield line, values

    return CsvFile(header, rows())


def read_csv_bytes(stream: IO[bytes]) -> CsvFile:
    return read_csv(io.TextIOWrapper(stream, encoding="utf-8-sig", newline=""))


def missing_columns(header: Iterable[str], required: Iterable[str]) -> list[str]:
    present = set(header)
    return [name for name in required if name not in present]


def check_header(report: ImportReport, header: list[str], required: Iterable[str], known: Iterable[str] = ()) -> None:
    """Record, on line 1, the required columns the file lacks and (when `known` is given) those it should not have."""
    missing = missing_columns(header, required)
    if missing:
        report.add(1, ", ".join(missing), _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    allowed = set(known)
    unknown = [name for name in header if allowed and name not in allowed]
    if unknown:
        report.add(1, ", ".join(unknown), _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
