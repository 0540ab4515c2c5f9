"""The CSV importers' shared reading, header check, per-row report and all-or-nothing rejection."""

from __future__ import annotations

import io

from guichet.core.csv_import import (
    MAX_REPORTED_ERRORS,
    ImportRejected,
    ImportReport,
    check_header,
    read_csv,
    read_csv_bytes,
)
from guichet.core.errors import Code


def test_rows_come_with_their_line_numbers_and_stripped_values() -> None:
    file = read_csv_bytes(io.BytesIO("\ufeff Serial ;Model\n 78CA1 ; 42A \n;\n78CA2;42B;extra\n".encode()))
    assert file.header == ["serial", "model"]
    assert list(file.rows) == [
        (2, {"serial": "78CA1", "model": "42A"}),
        (3, {"serial": "", "model": ""}),
        (4, {"serial": "78CA2", "model": "42B"}),
    ]


def test_commas_or_semicolons_whichever_the_file_uses() -> None:
    assert read_csv(io.StringIO("a,b\n1,2\n")).header == ["a", "b"]
    assert list(read_csv(io.StringIO("a;b\n1,5;2\n")).rows) == [(2, {"a": "1,5", "b": "2"})]


def test_the_header_check_names_missing_and_unknown_columns_on_line_one() -> None:
    report = ImportReport()
    check_header(report, ["date", "amount", "colour"], ("date", "amount", "reference"), known=("date", "amount"))
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (1, "reference", "Missing columns: reference."),
        (1, "colour", "Unknown columns: colour."),
    ]
    unchecked = ImportReport()
    check_header(unchecked, ["date", "colour"], ("date",))
    assert unchecked.ok


def test_the_report_counts_every_problem_but_keeps_a_readable_list() -> None:
    report = ImportReport()
    for line in range(2, MAX_REPORTED_ERRORS + 12):
        report.add(line, "serial", "Wrong.")
    assert report.error_count == MAX_REPORTED_ERRORS + 10 and len(report.errors) == MAX_REPORTED_ERRORS
    assert not report.ok


def test_a_rejection_carries_the_report_and_a_422_with_the_rows_in_details() -> None:
    report = ImportReport(rows=3)
    report.add(3, "amount", "Not a positive amount with at most two decimals.")
    rejected = ImportRejected(report)
    assert rejected.report is report
    assert (rejected.code, rejected.status) == (Code.IMPORT_REJECTED, 422)
    assert str(rejected.message) == "The file was rejected: 1 problems; nothing was imported."
    assert rejected.details == {
        "errors": [{"line": 3, "column": "amount", "message": "Not a positive amount with at most two decimals."}]
    }
    assert str(ImportRejected(report, "Not imported.").message) == "Not imported."
