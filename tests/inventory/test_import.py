"""CSV import: a good file, a bad file rejected whole with its report, a huge file streamed."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from guichet.core.tenancy import across_organisations
from guichet.inventory.importer import ImportRejected, import_file
from guichet.inventory.models import Machine
from tests.inventory.conftest import make_machine, url

pytestmark = pytest.mark.django_db

COLUMNS = (
    "machine_type,model,serial,description,site_name,site_street,site_postcode,site_city,site_country,"
    "contact_name,contact_phone,contact_email,install_date,warranty_end"
)
HEADER = COLUMNS + "\n"
GOOD = HEADER + (
    "8286,42A,78CA900,Power S824,Usine,1200 boul. Saint-Laurent,H2X 2S6,Montréal,CA,"
    "Luc,+15145550303,luc@example.com,2024-01-15,2027-01-15\n"
    "9009,22A,78CA901,Power S922,Usine,,,Montréal,CA,,,,,\n"
)


def count() -> int:
    with across_organisations():
        return Machine.objects.count()


def test_good_file_imports_every_row(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    report = import_file(actor=None, organisation=org_a, stream=io.BytesIO(GOOD.encode()))
    assert (report.rows, report.created, report.updated) == (2, 2, 0)
    with across_organisations():
        machine = Machine.objects.get(serial="78CA900")
    assert machine.organisation == org_a and str(machine.warranty_end) == "2027-01-15"
    again = import_file(actor=None, organisation=org_a, stream=io.BytesIO(GOOD.encode()))
    assert (again.created, again.updated) == (0, 2)  # same organisation's machines are updated


def test_semicolons_and_bom_are_accepted(org_a) -> None:  # type: ignore[no-untyped-def]
    data = "\ufeff" + GOOD.replace(",", ";")
    assert import_file(actor=None, organisation=org_a, stream=io.BytesIO(data.encode())).created == 2


def test_bad_file_is_rejected_whole_with_a_report(org_a, org_b) -> None:  # type: ignore[no-untyped-def]
    make_machine(org_b, "78RO001", machine_type="9105")
    bad = GOOD + (
        "82X,42A,78CA902,,,,,,CA,,,,,\n"  # type too short
        "8286,42A,78CA903,,,,,,XX,,,not-an-email,2024-13-01,\n"  # country, e-mail, date
        "8286,42A,78CA900,,,,,,CA,,,,,\n"  # twice in the file
        "9105,22A,78RO001,,,,,,RO,,,,,\n"  # another customer's machine
    )
    with pytest.raises(ImportRejected) as rejected:
        import_file(actor=None, organisation=org_a, stream=io.BytesIO(bad.encode()))
    report = rejected.value.report
    problems = {(e.line, e.column) for e in report.errors}
    assert {
        (4, "machine_type"),
        (5, "site_country"),
        (5, "contact_email"),
        (5, "install_date"),
        (6, "serial"),
        (7, "serial"),
    } <= problems
    assert report.created == 0
    assert count() == 1  # only org_b's machine: nothing half-imported


def test_missing_columns_and_empty_and_binary_files(org_a) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportRejected) as missing:
        import_file(actor=None, organisation=org_a, stream=io.BytesIO(b"serial,model\n78CA1,42A\n"))
    assert "machine_type" in missing.value.report.errors[0].column
    with pytest.raises(ImportRejected):
        import_file(actor=None, organisation=org_a, stream=io.BytesIO(HEADER.encode()))
    with pytest.raises(ImportRejected):
        import_file(actor=None, organisation=org_a, stream=io.BytesIO(b"\xff\xfe\x00\x01garbage"))


def _huge(path: Path, rows: int, bad_line: int | None = None) -> None:
    with path.open("w") as out:
        out.write(HEADER)
        for i in range(rows):
            serial = f"H{i:07d}" if i + 2 != bad_line else "bad serial!"
            out.write(f"8286,42A,{serial},,,,,,BE,,,,,2027-01-01\n")


def test_huge_file_is_streamed_in_batches(org_a, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "huge.csv"
    _huge(path, 50_000)
    seen: list[int] = []
    with path.open("rb") as stream:
        report = import_file(actor=None, organisation=org_a, stream=stream, progress=seen.append)
    assert report.created == 50_000 and count() == 50_000
    assert len(seen) > 1 and seen[-1] == 50_000  # progress told batch by batch, not once at the end


def test_huge_file_with_one_bad_row_near_the_end_imports_nothing(org_a, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "huge-bad.csv"
    _huge(path, 50_000, bad_line=49_990)
    with path.open("rb") as stream, pytest.raises(ImportRejected) as rejected:
        import_file(actor=None, organisation=org_a, stream=stream)
    assert [(e.line, e.column) for e in rejected.value.report.errors] == [(49_990, "serial")]
    assert count() == 0


def test_command_with_progress_and_report(org_a, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    call_command("import_inventory", org_a.customer_number, str(good), "--no-progress")
    assert "2 created" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "82X,42A,78CA902,,,,,,CA,,,,,\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_inventory", org_a.customer_number, str(bad), "--no-progress")
    assert "line 2: machine_type" in capsys.readouterr().err


def test_console_upload_imports_in_the_background_with_progress(  # type: ignore[no-untyped-def]
    client, agent_be, agent_ro, org_a, django_capture_on_commit_callbacks
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from guichet.inventory.models import ImportJob

    def upload(content: str) -> Any:
        with django_capture_on_commit_callbacks(execute=True):  # the task runs after commit
            return client.post(
                url("inventory_console:import"),
                {"organisation": org_a.customer_number, "file": SimpleUploadedFile("inv.csv", content.encode())},
            )

    client.force_login(agent_ro)
    assert upload(GOOD).status_code == 400 and count() == 0  # another country's customer
    client.force_login(agent_be)
    bad = upload(GOOD + "x,y,z,,,,,,,,,,,\n")
    assert bad.status_code == 303 and count() == 0
    page = client.get(bad["Location"])
    assert b'data-testid="import-rejected"' in page.content and b"machine_type" in page.content
    good = upload(GOOD)
    job = ImportJob.objects.get(status="done")
    assert good["Location"].endswith(f"/import/{job.pk}/") and job.rows_total == 2 and count() == 2
    fragment = client.get(good["Location"], headers={"HX-Request": "true"})
    assert b'data-testid="import-ok"' in fragment.content and b"<html" not in fragment.content
    assert client.get(url("inventory_console:import")).context["jobs"][0] == job
    client.force_login(agent_ro)
    assert client.get(good["Location"]).status_code == 404


def test_progress_is_reported_while_a_job_runs(org_a, agent_be, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.base import ContentFile

    from guichet.inventory import importer
    from guichet.inventory.models import ImportJob

    path = tmp_path / "big.csv"
    _huge(path, 2_000)
    job = ImportJob(organisation=org_a, created_by=agent_be, original_name="big.csv", rows_total=2_000)
    job.file.save("big.csv", ContentFile(path.read_bytes()), save=False)
    job.save()
    seen: list[int] = []
    original = importer.import_file

    def spy(**kwargs: Any) -> Any:
        progress = kwargs["progress"]

        def recording(done: int) -> None:
            progress(done)
            seen.append(importer.progress_of(job.pk))

        return original(**{**kwargs, "progress": recording})

    importer.import_file = spy  # type: ignore[assignment]
    try:
        assert importer.run_job(job.pk) == "done"
    finally:
        importer.import_file = original  # type: ignore[assignment]
    assert 500 in seen and 1500 in seen and importer.progress_of(job.pk) == 2_000
    assert importer.run_job(job.pk) == "done"  # a finished job is left alone


def test_changed_rows_are_updated_and_unchanged_fields_kept(org_a) -> None:  # type: ignore[no-untyped-def]
    import_file(actor=None, organisation=org_a, stream=io.BytesIO(GOOD.encode()))
    moved = GOOD.replace("Power S922,Usine,,,Montréal", "Power S922,Annexe,,,Laval")
    report = import_file(actor=None, organisation=org_a, stream=io.BytesIO(moved.encode()))
    assert (report.created, report.updated) == (0, 2)
    with across_organisations():
        moved_machine = Machine.objects.get(serial="78CA901")
        untouched = Machine.objects.get(serial="78CA900")
    assert (moved_machine.site_name, moved_machine.site_city) == ("Annexe", "Laval")
    assert untouched.contact_email == "luc@example.com"
