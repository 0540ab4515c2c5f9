"""Import an organisation's inventory from CSV: row by row validation, all or nothing.

The file is read as a stream (never held whole in memory; the reading, the report and the
rejection are `core.csv_import`'s); valid rows are written in batches inside one
transaction. The first bad row stops the writing but not the reading: every row is still
checked, so the report lists all the problems at once, and the transaction is rolled back
so nothing is half-imported.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from guichet.accounts.models import Organisation, User
from guichet.core import audit, csv_import
from guichet.core.csv_import import ImportRejected
from guichet.core.notifications.outbox import enqueue
from guichet.core.tenancy import across_organisations

from .models import ImportJob, Machine, machine_type_format, model_format, serial_format

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("machine_type", "model", "serial", "site_country")
OPTIONAL_COLUMNS = (
    "description",
    "site_name",
    "site_street",
    "site_postcode",
    "site_city",
    "contact_name",
    "contact_phone",
    "contact_email",
    "install_date",
    "warranty_end",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
BATCH_SIZE = 1000
MAX_LENGTHS: dict[str, int] = {
    name: getattr(Machine._meta.get_field(name), "max_length", 0) or 0
    for name in COLUMNS
    if name not in ("install_date", "warranty_end")
}
COUNTRY_CODES = ("BE", "CA", "RO")


@dataclass
class ImportReport(csv_import.ImportReport):
    created: int = 0
    updated: int = 0


def _date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    return date.fromisoformat(value)


def clean_row(raw: dict[str, str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """One CSV row as Machine field values, and its problems as (column, message)."""
    errors: list[tuple[str, str]] = []
    row: dict[str, Any] = {name: (raw.get(name) or "").strip() for name in COLUMNS}
    for name in ("machine_type", "model", "serial", "site_country"):
        row[name] = row[name].upper()
    for name in REQUIRED_COLUMNS:
        if not row[name]:
            errors.append((name, _("This value is required.")))
    for name, validator in (("machine_type", machine_type_format), ("model", model_format), ("serial", serial_format)):
        if row[name]:
            try:
                validator(row[name])
            except ValidationError as error:
                errors.append((name, " ".join(error.messages)))
    if row["site_country"] and row["site_country"] not in COUNTRY_CODES:
        errors.append(("site_country", _("Use BE, CA or RO.")))
    if row["contact_email"]:
        try:
            validate_email(row["contact_email"])
        except ValidationError:
            errors.append(("contact_email", _("Enter a valid e-mail address.")))
    for name, limit in MAX_LENGTHS.items():
        if limit and len(row[name]) > limit:
            errors.append((name, _("At most %(n)s characters.") % {"n": limit}))
    for name in ("install_date", "warranty_end"):
        try:
            row[name] = _date(row[name])
        except ValueError:
            errors.append((name, _("Write dates as YYYY-MM-DD.")))
            row[name] = None
    return row, errors


class _Rollback(Exception):
    pass


def import_inventory(
    *,
    actor: User | None,
    organisation: Organisation,
    rows: Iterable[tuple[int, dict[str, str]]],
    header: list[str] | None = None,
    progress: Callable[[int], None] | None = None,
    http_request: HttpRequest | None = None,
) -> ImportReport:
    """Create or update the organisation's machines from `rows` ((line, values)); raise ImportRejected
    with the report if any row is wrong (then nothing is written).

    A machine type + serial already held by the same organisation is updated; held by
    another organisation, it is an error (machines move through transfers, not imports).
    """
    report = ImportReport()
    if header is not None:
        csv_import.check_header(report, header, REQUIRED_COLUMNS)
        if not report.ok:
            raise ImportRejected(report)
    seen: set[tuple[str, str]] = set()
    batch: list[tuple[int, dict[str, Any]]] = []

    def flush() -> None:
        keys = {(row["machine_type"], row["serial"]) for _line, row in batch}
        with across_organisations():
            existing = {
                (m.machine_type, m.serial): m
                for m in Machine.objects.filter(serial__in={k[1] for k in keys}, machine_type__in={k[0] for k in keys})
            }
        to_create: list[Machine] = []
        to_update: list[tuple[int, dict[str, Any]]] = []
        for line, row in batch:
            machine = existing.get((row["machine_type"], row["serial"]))
            if machine is None:
                to_create.append(Machine(organisation=organisation, **row))
            elif machine.organisation_id != organisation.pk:
                report.add(line, "serial", _("This machine type and serial belong to another customer."))
            else:
                changed = {name: value for name, value in row.items() if getattr(machine, name) != value}
                if changed:  # a re-sent file mostly repeats what is there: those rows cost nothing
                    to_update.append((machine.pk, changed))
                report.updated += 1
        if report.ok:
            with across_organisations():  # every row written names `organisation` explicitly
                Machine.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
                # One UPDATE of the changed fields per changed row: bulk_update's CASE per field grows with
                # the square of the batch and was 30 times slower on 50,000 changed rows (bench/README.md).
                for pk, changed in to_update:
                    Machine.objects.filter(pk=pk).update(**changed)
            report.created += len(to_create)
        batch.clear()

    try:
        with transaction.atomic():
            for line, raw in rows:
                report.rows += 1
                row, errors = clean_row(raw)
                for column, message in errors:
                    report.add(line, column, message)
                key = (row["machine_type"], row["serial"])
                if not errors:
                    if key in seen:
                        report.add(line, "serial", _("This machine type and serial appear twice in the file."))
                    else:
                        seen.add(key)
                        batch.append((line, row))
                if len(batch) >= BATCH_SIZE:
                    flush()
                if progress is not None:
                    progress(report.rows)
            if batch:
                flush()
            if report.rows == 0:
                report.add(csv_import.FIRST_ROW_LINE, "", _("The file has no rows."))
            if not report.ok:
                raise _Rollback
            audit.record(
                "inventory.imported",
                actor=actor,
                organisation=organisation,
                target=organisation.customer_number,
                data={"rows": report.rows, "created": report.created, "updated": report.updated},
                request=http_request,
                actor_label="" if actor else "import",
            )
    except _Rollback:
        report.created = report.updated = 0
        raise ImportRejected(report) from None
    return report


def import_file(
    *,
    actor: User | None,
    organisation: Organisation,
    stream: IO[bytes],
    progress: Callable[[int], None] | None = None,
    http_request: HttpRequest | None = None,
) -> ImportReport:
    try:
        file = csv_import.read_csv_bytes(stream)
        first = next(file.rows, None)
    except (UnicodeDecodeError, csv.Error) as error:
        report = ImportReport()
        report.add(1, "", csv_import.unreadable(error))
        raise ImportRejected(report) from None
    if first is None:
        report = ImportReport()
        report.add(1, "", _("The file has no rows."))
        raise ImportRejected(report)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        yield first
        yield from file.rows

    try:
        return import_inventory(
            actor=actor,
            organisation=organisation,
            rows=rows(),
            header=file.header,
            progress=progress,
            http_request=http_request,
        )
    except (UnicodeDecodeError, csv.Error) as error:
        report = ImportReport()
        report.add(0, "", csv_import.unreadable(error))
        raise ImportRejected(report) from None


# --- background imports from the console --------------------------------------------------------

PROGRESS_KEY = "inventory:import:{}:rows"
PROGRESS_EVERY = 500


def progress_of(job_id: int) -> int:
    from django.core.cache import cache

    return int(cache.get(PROGRESS_KEY.format(job_id)) or 0)


def count_rows(stream: IO[bytes]) -> int:
    lines = sum(1 for _line in stream)
    stream.seek(0)
    return max(lines - 1, 0)


def report_as_dict(report: ImportReport) -> dict[str, Any]:
    return {
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "error_count": report.error_count,
        "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in report.errors],
    }


def run_job(job_id: int) -> str:
    """Import an uploaded file; the row count so far goes to the cache (the import's own transaction
    hides its rows until the end), the report to the job. Safe to run twice: a finished job is left alone."""
    from django.core.cache import cache
    from django.utils import timezone
    from django.utils.translation import override

    from .models import ImportJob, ImportStatus

    job = ImportJob.objects.select_related("organisation", "created_by").get(pk=job_id)
    if job.status in (ImportStatus.DONE, ImportStatus.REJECTED):
        return str(job.status)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    key = PROGRESS_KEY.format(job.pk)

    def progress(done: int) -> None:
        if done % PROGRESS_EVERY == 0:
            cache.set(key, done, 3600)

    try:
        with override(job.created_by.language or "en"), job.file.open("rb") as stream:
            try:
                report = import_file(
                    actor=job.created_by, organisation=job.organisation, stream=stream, progress=progress
                )
                status = ImportStatus.DONE
            except ImportRejected as rejected:
                report, status = rejected.report, ImportStatus.REJECTED
    except Exception:
        # A bug or a lost database: nothing was imported (one transaction). The job must not stay
        # "importing" forever, and the agent, who may have left the page, is told by e-mail too.
        logger.exception("inventory import %s failed", job.pk)
        _fail(job)
        return str(ImportStatus.FAILED)
    cache.set(key, report.rows, 3600)
    ImportJob.objects.filter(pk=job.pk).update(status=status, report=report_as_dict(report), finished_at=timezone.now())
    return str(status)


def _fail(job: ImportJob) -> None:
    from django.utils import timezone

    from .models import ImportStatus

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, finished_at=timezone.now())
    language = job.created_by.language or "en"
    with translation.override(language):
        url = settings.SITE_URL + reverse("inventory_console:import_job", kwargs={"pk": job.pk})
    enqueue(
        to=job.created_by.email,
        language=language,
        template="inventory_import_failed",
        context={"file": job.original_name, "customer": job.organisation.customer_number, "url": url},
    )
