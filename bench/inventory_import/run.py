"""Inventory CSV import at size: a good file (created), the same again (updated), a bad last row (rolled back).

    python bench/inventory_import/run.py                      # SQLite file var/bench-inventory.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_inventory python bench/inventory_import/run.py

Generates the CSV files under var/ (rows of the 14 columns, a mix of filled and empty
optional fields), imports each through `inventory.importer.import_file` (the code the
command and the console use), and writes rows, seconds, rows/s and the process's peak
memory into bench/README.md under "Inventory CSV import".
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("CACHE_URL", "locmem:")  # one process: its own cache is enough
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-inventory.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from guichet.accounts.models import Organisation  # noqa: E402
from guichet.core.tenancy import across_organisations  # noqa: E402
from guichet.inventory.importer import ImportRejected, import_file  # noqa: E402
from guichet.inventory.models import Machine  # noqa: E402

README = ROOT / "bench" / "README.md"
CUSTOMER = "BE-BENCH01"
HEADER = (
    "machine_type,model,serial,description,site_name,site_street,site_postcode,site_city,site_country,"
    "contact_name,contact_phone,contact_email,install_date,warranty_end"
)


def write_csv(path: Path, rows: int, bad_last: bool = False, edition: str = "") -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        for i in range(rows):
            serial = "bad serial!" if bad_last and i == rows - 1 else f"B{i:08d}"
            site = f"Site {i % 40},Rue {i % 97} {i % 13},10{i % 90:02d},Bruxelles" if i % 3 else ",,,"
            contact = f"Contact {i % 50},+3225550{i % 1000:03d},c{i % 50}@example.com" if i % 2 else ",,"
            machine = f"{9000 + i % 9},{i % 9}2A,{serial},Machine {i}{edition}"
            out.write(f"{machine},{site},BE,{contact},2024-01-15,2027-01-15\n")


def timed(path: Path, organisation: Organisation) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        with path.open("rb") as stream:
            report = import_file(actor=None, organisation=organisation, stream=stream)
        outcome = f"{report.created:,} created, {report.updated:,} updated"
    except ImportRejected as rejected:
        outcome = f"rejected ({rejected.report.error_count} error), nothing written"
    return time.perf_counter() - started, outcome


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 50_000, 200_000])
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    organisation, _ = Organisation.objects.get_or_create(
        customer_number=CUSTOMER, defaults={"name": "Bench", "country": "BE", "verified": True}
    )
    with across_organisations():
        Machine.objects.filter(organisation=organisation).delete()
    lines = []
    for rows in args.rows:
        good, bad = ROOT / "var" / f"bench-inventory-{rows}.csv", ROOT / "var" / f"bench-inventory-{rows}-bad.csv"
        changed = ROOT / "var" / f"bench-inventory-{rows}-changed.csv"
        write_csv(good, rows)
        write_csv(bad, rows, bad_last=True)
        write_csv(changed, rows, edition=" (moved)")
        scenarios = (
            ("new file", good),
            ("same file again (unchanged rows)", good),
            ("every row changed", changed),
            ("bad last row", bad),
        )
        for label, path in scenarios:
            seconds, outcome = timed(path, organisation)
            lines.append(f"| {rows:,} | {label} | {seconds:.1f} s | {rows / seconds:,.0f} | {outcome} |")
            print(lines[-1], flush=True)
        with across_organisations():
            Machine.objects.filter(organisation=organisation).delete()
        for path in (good, bad, changed):
            path.unlink()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    vendor = connection.vendor
    body = "\n".join(
        [
            f"<!-- inventory_import:{vendor}:start -->",
            f"{vendor}, one process, `python bench/inventory_import/run.py`; peak memory of the whole process "
            f"(Django included) {peak_mb:.0f} MB.",
            "",
            "| rows | import | time | rows/s | outcome |",
            "|---:|---|---:|---:|---|",
            *lines,
            f"<!-- inventory_import:{vendor}:end -->",
        ]
    )
    text = README.read_text()
    marker = re.compile(rf"<!-- inventory_import:{vendor}:start -->.*?<!-- inventory_import:{vendor}:end -->", re.S)
    if marker.search(text):
        text = marker.sub(body, text)
    elif "<!-- inventory_import:" in text:  # the other database's block is there: keep the two together
        last = max(text.rfind(f"<!-- inventory_import:{other}:end -->") for other in ("sqlite", "postgresql"))
        end = text.index("-->", last) + 3
        text = text[:end] + "\n\n" + body + text[end:]
    else:
        heading = "## Inventory CSV import"
        if heading not in text:
            text = text.rstrip("\n") + (
                f"\n\n{heading}\n\n`bench/inventory_import/run.py`: files streamed row by row, validated, written in "
                "batches of 1,000 in one transaction (decision 0008); a bad last row rolls everything back.\n"
            )
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    README.write_text(text)


if __name__ == "__main__":
    main()
