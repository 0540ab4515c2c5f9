"""Billing at scale: seed 1,000,000 invoices over 10,000 organisations, then time the billing pages.

    .venv/bin/python bench/billing_scale/run.py                     # SQLite file var/bench-billing.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_billing .venv/bin/python bench/billing_scale/run.py

The database is migrated, then seeded once with plain-tuple bulk inserts (COPY on
PostgreSQL, executemany on SQLite): organisations in BE/CA/RO with a customer each,
invoices over three years (Zipf-sized organisations, s=0.5, so a few are large),
one line and its tax lines per invoice, payments and their allocations for the paid
and partly paid ones. A later run on the same database reuses the data. Each page is
then requested in-process through Django's test Client (the whole stack) and p50/p95
are written into bench/README.md under "Billing at scale" (this database's block only).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("CACHE_URL", "locmem:")  # one process: its own cache is enough
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-billing.sqlite3'}")
os.environ["ALLOWED_HOSTS"] = ",".join(
    {*os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(","), "testserver"}
)

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402
from rich.table import Table  # noqa: E402

from guichet.accounts.models import ApiToken, Application, ApplicationGrant, Membership, Organisation, User  # noqa: E402
from guichet.billing import rules  # noqa: E402
from guichet.billing.models import Allocation, Invoice, InvoiceLine, Payment, TaxLine  # noqa: E402
from guichet.core.money import currency_for_country  # noqa: E402
from guichet.core.tenancy import across_organisations  # noqa: E402

console = Console()
README = ROOT / "bench" / "README.md"
PREFIX = "BILL"
SEED = 20261201
BATCH = 20_000
HISTORY_DAYS = 3 * 365
COUNTRY_SHARE = {"BE": 0.45, "CA": 0.25, "RO": 0.30}
LANGUAGE = {"BE": "fr", "CA": "fr", "RO": "ro"}
PRODUCTS = [
    ("Maintenance", Decimal("1250.00")),
    ("Toner", Decimal("78.19")),
    ("Intervention", Decimal("95.00")),
    ("Licence", Decimal("410.00")),
    ("Papier", Decimal("32.50")),
]
CENT = Decimal("0.01")


class RowWriter:
    """Plain tuples with ids given up front, sent in batches (COPY on PostgreSQL, executemany on SQLite)."""

    def __init__(self, model: type[Any]) -> None:
        self.fields = list(model._meta.concrete_fields)
        self.prepare = [
            (lambda f: lambda value: f.get_db_prep_save(value, connection))(field)
            if field.get_internal_type() in ("DateTimeField", "DateField", "DecimalField")
            and connection.vendor == "sqlite"
            else None
            for field in self.fields
        ]
        columns = ", ".join(connection.ops.quote_name(field.column) for field in self.fields)
        table = connection.ops.quote_name(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(self.fields))})"  # noqa: S608
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        with across_organisations():
            self.next_id = (model._base_manager.aggregate(last=Max("id"))["last"] or 0) + 1
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0

    def add(self, **values: Any) -> int:
        pk = self.next_id
        self.next_id += 1
        values["id"] = pk
        self.rows.append(
            tuple(
                prepare(values.get(field.attname)) if prepare else values.get(field.attname, field.get_default())
                for field, prepare in zip(self.fields, self.prepare, strict=True)
            )
        )
        return pk

    def flush(self) -> None:
        if not self.rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, self.rows)
        self.written += len(self.rows)
        self.rows = []


def seed_organisations(rng: random.Random, count: int) -> list[Organisation]:
    counts = {c: round(count * share) for c, share in COUNTRY_SHARE.items()}
    counts["BE"] += count - sum(counts.values())
    orgs = [
        Organisation(
            customer_number=f"{PREFIX}-{country}-{i:05d}",
            name=f"Client {country} {i}",
            country=country,
            province=rng.choice(["QC", "QC", "ON", "NS", "AB"]) if country == "CA" else "",
            language=LANGUAGE[country],
            verified=True,
        )
        for country in COUNTRY_SHARE
        for i in range(counts[country])
    ]
    Organisation.objects.bulk_create(orgs, batch_size=5_000)
    orgs = list(Organisation.objects.filter(customer_number__startswith=f"{PREFIX}-").order_by("id"))
    password = make_password("bench-password")
    users = [
        User(
            email=f"billing{n}@bench.example",
            first_name="Bench",
            last_name=str(n),
            password=password,
            language=org.language,
            country=org.country,
        )
        for n, org in enumerate(orgs)
    ]
    User.objects.bulk_create(users, batch_size=5_000)
    by_email = {u.email: u for u in User.objects.filter(email__startswith="billing", email__endswith="@bench.example")}
    users = [by_email[u.email] for u in users]
    Membership.objects.bulk_create(
        [Membership(user=u, organisation=o, role="admin") for u, o in zip(users, orgs, strict=True)], batch_size=5_000
    )
    with across_organisations():
        ApplicationGrant.objects.bulk_create(
            [
                ApplicationGrant(organisation=o, user=u, application=app)
                for u, o in zip(users, orgs, strict=True)
                for app in (Application.INVOICES, Application.STATEMENTS)
            ],
            batch_size=10_000,
        )
    return orgs


def seed_invoices(rng: random.Random, total: int, orgs: list[Organisation]) -> dict[str, int]:
    today = date.today()
    ranks = list(range(1, len(orgs)))
    rng.shuffle(ranks)
    weights = [1.0] + [1 / (r + 1) ** 0.5 for r in ranks]  # the first Belgian organisation is the largest
    picked = rng.choices(orgs, weights=weights, k=total)
    ages = sorted((HISTORY_DAYS * (1 - math.sqrt(rng.random())) for _ in range(total)), reverse=True)
    invoices, lines, taxes = RowWriter(Invoice), RowWriter(InvoiceLine), RowWriter(TaxLine)
    payments, allocations = RowWriter(Payment), RowWriter(Allocation)
    counters: Counter[tuple[str, int]] = Counter()
    stats: Counter[str] = Counter()
    progress = Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    )
    with progress:
        task = progress.add_task("Seeding invoices", total=total)
        for start in range(0, total, BATCH):
            with transaction.atomic():
                for org, age in zip(picked[start : start + BATCH], ages[start : start + BATCH], strict=True):
                    issued = today - timedelta(days=int(age))
                    currency = currency_for_country(org.country)
                    counters[(org.country, issued.year)] += 1
                    number = f"{org.country}-INV-{issued.year}-{counters[(org.country, issued.year)]:06d}"
                    description, price = rng.choice(PRODUCTS)
                    quantity = Decimal(rng.randint(1, 12))
                    totals = rules.invoice_totals(
                        [rules.LineIn(description, quantity, price)],
                        country=org.country,
                        province=org.province,
                        currency=currency,
                        on=issued,
                    )
                    due = rules.due_date(issued, org.country)
                    late = (today - due).days
                    fate = rng.random()
                    if (late > 60 and fate < 0.95) or (late > 0 and fate < 0.7):
                        settled = totals.total
                    elif fate < 0.85:
                        settled = (totals.total * Decimal(rng.choice(["0.3", "0.5"]))).quantize(CENT, ROUND_HALF_UP)
                    else:
                        settled = Decimal("0.00")
                    status = rules.invoice_status(total=totals.total, settled=settled, due=due, today=today)
                    stats[status] += 1
                    invoice_id = invoices.add(
                        organisation_id=org.pk,
                        kind=rules.INVOICE,
                        number=number,
                        issue_date=issued,
                        due_date=due,
                        currency=currency,
                        po_reference=f"PO-{rng.randrange(10_000, 99_999)}",
                        status=status,
                        net_total=totals.net,
                        tax_total=totals.tax,
                        total=totals.total,
                        settled=settled,
                        credited_invoice_id=None,
                        country=org.country,
                        province=org.province,
                        created_at=datetime.combine(issued, datetime.min.time(), UTC),
                    )
                    line = totals.lines[0]
                    lines.add(
                        organisation_id=org.pk,
                        invoice_id=invoice_id,
                        position=1,
                        description=description,
                        quantity=quantity,
                        unit_price=price,
                        tax_code=line.tax_code,
                        net=line.net,
                        tax=line.tax,
                    )
                    for tax in totals.taxes:
                        taxes.add(
                            organisation_id=org.pk,
                            invoice_id=invoice_id,
                            name=tax.name,
                            code=tax.code,
                            rate=tax.rate,
                            base=tax.base,
                            amount=tax.amount,
                        )
                    if settled > 0:
                        paid_on = min(today, issued + timedelta(days=rng.randint(5, 40)))
                        payment_id = payments.add(
                            organisation_id=org.pk,
                            date=paid_on,
                            amount=settled,
                            currency=currency,
                            method=rules.PAYMENT_METHODS[org.country][0],
                            reference=f"BANK-{invoice_id}",
                            source="import",
                            allocated=settled,
                            recorded_by_id=None,
                            created_at=datetime.combine(paid_on, datetime.min.time(), UTC),
                        )
                        allocations.add(
                            organisation_id=org.pk,
                            invoice_id=invoice_id,
                            payment_id=payment_id,
                            credit_note_id=None,
                            amount=settled,
                            created_at=datetime.combine(paid_on, datetime.min.time(), UTC),
                        )
                for writer in (invoices, lines, taxes, payments, allocations):
                    writer.flush()
            progress.advance(task, min(BATCH, total - start))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Invoice, InvoiceLine, TaxLine, Payment, Allocation):
                table = model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")  # noqa: S608
    return {
        "invoices": invoices.written,
        "lines": lines.written,
        "taxes": taxes.written,
        "payments": payments.written,
        **{f"status_{k}": v for k, v in stats.items()},
    }


def analyse() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def ensure_seeded(total: int, organisations: int) -> dict[str, Any]:
    if Organisation.objects.filter(customer_number__startswith=f"{PREFIX}-").exists():
        console.print("Reusing the seeded data.")
        return {"reused": True}
    rng = random.Random(SEED)
    started = time.perf_counter()
    with transaction.atomic():
        orgs = seed_organisations(rng, organisations)
    stats = seed_invoices(rng, total, orgs)
    analyse()
    stats["seconds"] = round(time.perf_counter() - started)
    console.print(f"Seeded in {stats['seconds']} s: {stats}")
    return stats


@dataclass
class Result:
    name: str
    path: str
    rows: int
    queries: int
    samples: list[float]
    load: float

    def percentile(self, p: float) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)] * 1000


def timed(name: str, path: str, rows: int, get: Callable[[int], Any], count: int, budget: float) -> Result:
    for i in range(3):
        get(i)
    with CaptureQueriesContext(connection) as queries:
        response = get(0)
    query_count = len(queries)  # now: the log is emptied when the next request starts
    assert response.status_code == 200, (name, response.status_code, response.content[:300])
    samples: list[float] = []
    started = time.perf_counter()
    for i in range(count):
        t0 = time.perf_counter()
        response = get(i)
        samples.append(time.perf_counter() - t0)
        assert response.status_code == 200, (name, response.status_code)
        if time.perf_counter() - started > budget and len(samples) >= 10:
            break
    return Result(name, path, rows, query_count, samples, os.getloadavg()[0])


def bench(count: int, budget: float) -> list[Result]:
    with across_organisations():
        sizes = Invoice.objects.values("organisation_id").annotate(n=Count("id")).order_by("-n")
        largest_id, largest_n = sizes[0]["organisation_id"], sizes[0]["n"]
        ordered = list(sizes.values_list("organisation_id", "n"))
        median_id, median_n = ordered[len(ordered) // 2]
        results = []
        scenarios: list[tuple[str, str, int, Callable[[int], Any]]] = []
        for label, org_id, n in (
            ("large organisation", largest_id, largest_n),
            ("median organisation", median_id, median_n),
        ):
            org = Organisation.objects.get(pk=org_id)
            user = Membership.objects.filter(organisation=org).select_related("user").first().user  # type: ignore[union-attr]
            client = Client()
            client.force_login(user)
            token = ApiToken.issue(user)
            numbers = list(Invoice.objects.filter(organisation=org).order_by("?").values_list("number", flat=True)[:50])
            lang = org.language
            in_year = Invoice.objects.filter(
                organisation=org, issue_date__gte=date.today() - timedelta(days=365)
            ).count()
            scenarios += [
                (
                    f"Invoice list, {label}",
                    f"/{lang}/billing/",
                    n,
                    lambda i, c=client, lang=lang: c.get(f"/{lang}/billing/"),
                ),
                (
                    f"Invoice list, unpaid filter, {label}",
                    f"/{lang}/billing/?status=unpaid",
                    n,
                    lambda i, c=client, lang=lang: c.get(f"/{lang}/billing/", {"status": "unpaid"}),
                ),
                (
                    f"Invoice detail, {label}",
                    f"/{lang}/billing/<number>/",
                    1,
                    lambda i, c=client, lang=lang, nums=numbers: c.get(f"/{lang}/billing/{nums[i % len(nums)]}/"),
                ),
                (
                    f"Statement (last 365 days), {label}",
                    f"/{lang}/billing/statement/",
                    in_year,
                    lambda i, c=client, lang=lang: c.get(f"/{lang}/billing/statement/"),
                ),
                (
                    f"API GET /invoices, {label}",
                    "/api/v1/invoices",
                    n,
                    lambda i, c=client, t=token: c.get("/api/v1/invoices", headers={"Authorization": f"Bearer {t}"}),
                ),
            ]
    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), TimeElapsedColumn(), console=console)
    with progress:
        task = progress.add_task("Timing", total=len(scenarios))
        for name, path, rows, get in scenarios:
            progress.update(task, description=f"Timing: {name}")
            results.append(timed(name, path, rows, get, count, budget))
            progress.advance(task)
    return results


def database_label() -> tuple[str, str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return "postgresql", f"PostgreSQL {cursor.fetchone()[0].split()[0]} (local, 127.0.0.1)"
        cursor.execute("select sqlite_version()")
        return "sqlite", f"SQLite {cursor.fetchone()[0]} (file, WAL)"


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        model = f", {found.group(1).strip()}" if found else ""
    return f"{os.cpu_count()} cores{model}, Python {platform.python_version()}, Django {django.get_version()}"


def markdown(key: str, label: str, results: list[Result], seeded: dict[str, Any], total: int, orgs: int) -> str:
    with across_organisations():
        invoices = Invoice.objects.count()
        payments = Payment.objects.count()
    note = f"seeded in {seeded['seconds']} s" if "seconds" in seeded else "seeded by an earlier run"
    lines = [
        f"<!-- billing_scale:{key}:start -->",
        f"### {label} — {datetime.now(UTC).date().isoformat()}",
        "",
        f"Machine: {machine()}. Data: {invoices:,} invoices over {orgs:,} organisations (BE/CA/RO), "
        f"{payments:,} payments; {note}.",
        "",
        "| scenario | path | rows | queries | n | p50 ms | p95 ms | load |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | `{r.path}` | {r.rows:,} | {r.queries} | {len(r.samples)} | "
            f"{r.percentile(50):.1f} | {r.percentile(95):.1f} | {r.load:.1f} |"
        )
    lines.append(f"<!-- billing_scale:{key}:end -->")
    return "\n".join(lines)


SECTION_INTRO = """## Billing at scale

`bench/billing_scale/run.py` seeds 1,000,000 invoices over 10,000 organisations (BE, CA, RO;
Zipf-sized, s=0.5, so the largest has thousands), each with its line and tax lines, and a
payment with its allocation for the paid and partly paid ones, into the database named by
`DATABASE_URL` (default: the SQLite file `var/bench-billing.sqlite3`). It then times the
invoice list, an invoice detail, the statement (default period: the last 365 days) and the
API list, for the largest and for the median organisation, in-process through Django's test
Client. "rows" is the organisation's invoices (for the statement: those of the period);
"queries" does not grow with them (`tests/billing/test_query_counts.py` asserts it).

    .venv/bin/python bench/billing_scale/run.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_billing .venv/bin/python bench/billing_scale/run.py
"""


def write_readme(block: str, key: str) -> None:
    text = README.read_text() if README.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"<!-- billing_scale:{key}:start -->.*?<!-- billing_scale:{key}:end -->", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    elif "## Billing at scale" in text:
        head, _, tail = text.partition("## Billing at scale")
        following = re.search(r"^## ", tail, re.MULTILINE)
        cut = following.start() if following else len(tail)
        text = head + "## Billing at scale" + tail[:cut].rstrip() + "\n\n" + block + "\n\n" + tail[cut:].lstrip()
    else:
        text = text.rstrip() + "\n\n" + SECTION_INTRO + "\n" + block + "\n"
    README.write_text(text.rstrip() + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--timed", type=int, default=100, help="timed requests per scenario")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per scenario before stopping early")
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    key, label = database_label()
    console.print(f"Database: {label} — {connection.settings_dict['NAME']}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    seeded = ensure_seeded(args.invoices, args.orgs)
    results = bench(args.timed, args.budget)
    out = Table(title="Billing at scale")
    for column in ("scenario", "rows", "queries", "n", "p50 ms", "p95 ms", "load"):
        out.add_column(column)
    for r in results:
        out.add_row(
            r.name,
            f"{r.rows:,}",
            str(r.queries),
            str(len(r.samples)),
            f"{r.percentile(50):.1f}",
            f"{r.percentile(95):.1f}",
            f"{r.load:.1f}",
        )
    console.print(out)
    if not args.no_readme:
        write_readme(markdown(key, label, results, seeded, args.invoices, args.orgs), key)
        console.print(f"Written to {README.relative_to(ROOT)}")
    console.print(f"Total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
