"""The homes at scale: one large Belgian organisation, then time the customer home, the API and the console home.

    python bench/home_scale/run.py                      # SQLite file var/bench-home.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_home python bench/home_scale/run.py

Seeded once by bulk inserts into one organisation (--scale 1 = 20,000 requests, 2,000 contracts,
50,000 invoices, 10,000 machines, 5,000 orders, 2,000 Buy Tech orders, 200 pending access and join
requests), reused by a later run on the same database. Every kind of the home has more rows than
it shows. Each page is requested up to --timed times in-process through Django's test Client (the
whole stack), within --budget seconds each; queries, p50 and p95 go into bench/README.md under
"The homes at scale". The default run takes about two minutes on 2 cores (SQLite).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("CACHE_URL", "locmem:")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-home.sqlite3'}")
os.environ["ALLOWED_HOSTS"] = ",".join(
    {*os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(","), "testserver"}
)

import django  # noqa: E402

django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from guichet.accounts.models import (  # noqa: E402
    AccessRequest,
    ApiToken,
    Application,
    ApplicationGrant,
    JoinRequest,
    Membership,
    Organisation,
    User,
)
from guichet.billing.models import Invoice  # noqa: E402
from guichet.buytech.models import BuyTechOrder, OrderStatus  # noqa: E402
from guichet.contracts.models import Contract, ContractStatus, CoveredMachine  # noqa: E402
from guichet.core.calendar import today_for  # noqa: E402
from guichet.core.tenancy import across_organisations  # noqa: E402
from guichet.inventory.models import Machine  # noqa: E402
from guichet.orders.models import Order  # noqa: E402
from guichet.support.models import Request, Status  # noqa: E402

README = ROOT / "bench" / "README.md"
PREFIX = "HBENCH"
BATCH = 5_000
REQUEST_STATUSES = list(Status)


def seed(scale: float) -> dict[str, int]:
    def n(base: int) -> int:
        return max(int(base * scale), 20)

    organisation = Organisation.objects.create(
        customer_number=f"{PREFIX}-BE-1", name="Bench home", country="BE", language="fr", verified=True
    )
    password = make_password("bench-password")
    customer = User.objects.create(
        email="customer@hbench.example", first_name="Bench", last_name="Customer", password=password, country="BE"
    )
    User.objects.create(
        email="agent.be@hbench.example",
        first_name="Agent",
        last_name="BE",
        password=password,
        country="BE",
        kind=User.Kind.AGENT,
    )
    Membership.objects.create(user=customer, organisation=organisation, role="admin", is_signatory=True)
    today = today_for(organisation)
    now = timezone.now()
    counts: dict[str, int] = {}
    with across_organisations():
        ApplicationGrant.objects.bulk_create(
            [ApplicationGrant(organisation=organisation, user=customer, application=a) for a in Application.values]
        )
        counts["requests"] = n(20_000)
        Request.objects.bulk_create(
            (
                Request(
                    organisation=organisation,
                    number=f"HB-R-{i:07d}",
                    type="invoices",
                    status=REQUEST_STATUSES[i % len(REQUEST_STATUSES)],
                    subject=f"Demande {i}",
                    description="…",
                    requester=customer,
                    contact_name="Bench",
                    contact_email="customer@hbench.example",
                    language="fr",
                    created_at=now - timedelta(hours=i % 2000),
                    resolution_due=now + timedelta(hours=i % 100 - 50),
                    resolved_at=now - timedelta(hours=i % 700) if i % 6 == 4 else None,
                )
                for i in range(counts["requests"])
            ),
            batch_size=BATCH,
        )
        counts.update(seed_applications(organisation, scale))
        counts["buytech_orders"] = n(2_000)
        BuyTechOrder.objects.bulk_create(
            (
                BuyTechOrder(
                    organisation=organisation,
                    number=f"HB-BT-{i:06d}",
                    sequence=i,
                    status=[OrderStatus.RESERVED, OrderStatus.CONFIRMED, OrderStatus.DELIVERED][i % 3],
                    ordered_by=customer,
                    partner_id="P",
                    fee_reference="x",
                    payment_reference="y",
                    reserved_on=today,
                    processing_due=today + timedelta(weeks=8),
                )
                for i in range(counts["buytech_orders"])
            ),
            batch_size=BATCH,
        )
        counts["applicants"] = n(200)
        applicants = User.objects.bulk_create(
            User(email=f"applicant{i}@hbench.example", first_name="App", last_name=str(i), password=password)
            for i in range(counts["applicants"])
        )
        applicants = list(User.objects.filter(email__startswith="applicant", email__endswith="@hbench.example"))
        JoinRequest.objects.bulk_create(JoinRequest(organisation=organisation, user=u) for u in applicants)
        AccessRequest.objects.bulk_create(
            AccessRequest(organisation=organisation, user=u, application=Application.ORDERS) for u in applicants
        )
    return counts


def seed_applications(organisation: Organisation, scale: float, prefix: str = "HB") -> dict[str, int]:
    """Contracts (half the machines covered), machines, invoices and orders of one organisation, by bulk
    inserts (--scale 1: 2,000 / 10,000 / 50,000 / 5,000); bench/http seeds its largest organisation
    with it. Call it across organisations."""

    def n(base: int) -> int:
        return max(int(base * scale), 20)

    today = today_for(organisation)
    counts: dict[str, int] = {}
    counts["contracts"] = n(2_000)
    Contract.objects.bulk_create(
        (
            Contract(
                organisation=organisation,
                number=f"{prefix}-C-{i:06d}",
                kind="hardware_maintenance",
                status=ContractStatus.AWAITING_SIGNATURE if i % 10 == 0 else ContractStatus.ACTIVE,
                title=f"Maintenance {i}",
                start_date=today - timedelta(days=400),
                renewal_date=today + timedelta(days=i % 365),
                currency="EUR",
                amount=Decimal("1200.00"),
            )
            for i in range(counts["contracts"])
        ),
        batch_size=BATCH,
    )
    counts["machines"] = n(10_000)
    Machine.objects.bulk_create(
        (
            Machine(
                organisation=organisation,
                machine_type="9009",
                model="22A",
                serial=f"{prefix.replace('-', '')}{i:07d}",
                site_country="BE",
                warranty_end=today + timedelta(days=30) if i % 5 == 0 else None,
            )
            for i in range(counts["machines"])
        ),
        batch_size=BATCH,
    )
    contracts = list(Contract.objects.filter(organisation=organisation, status=ContractStatus.ACTIVE)[:500])
    machines = list(Machine.objects.filter(organisation=organisation).values_list("pk", flat=True))
    CoveredMachine.objects.bulk_create(
        (
            CoveredMachine(
                contract=contracts[i % len(contracts)],
                machine_id=pk,
                service_level="onsite_next_day",
                covered_from=today - timedelta(days=100),
            )
            for i, pk in enumerate(machines)
            if i % 2
        ),
        batch_size=BATCH,
    )
    counts["invoices"] = n(50_000)
    Invoice.objects.bulk_create(
        (
            Invoice(
                organisation=organisation,
                number=f"{prefix}-I-{i:07d}",
                issue_date=today - timedelta(days=i % 700 + 30),
                due_date=today - timedelta(days=i % 700),
                currency="EUR",
                status="paid" if i % 4 else "open",
                net_total=Decimal("100"),
                tax_total=Decimal("21"),
                total=Decimal("121"),
                settled=Decimal("121") if i % 4 else Decimal("0"),
                country="BE",
            )
            for i in range(counts["invoices"])
        ),
        batch_size=BATCH,
    )
    counts["orders"] = n(5_000)
    Order.objects.bulk_create(
        (
            Order(
                organisation=organisation,
                number=f"{prefix}-O-{i:06d}",
                ordered_on=today - timedelta(days=i % 400),
                status="delivered" if i % 3 else "processing",
                currency="EUR",
            )
            for i in range(counts["orders"])
        ),
        batch_size=BATCH,
    )
    return counts


@dataclass
class Result:
    name: str
    path: str
    queries: int
    samples: list[float]

    def percentile(self, p: int) -> float:
        ordered = sorted(self.samples)
        return 1000 * ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(name: str, path: str, get: Callable[[], Any], count: int, budget: float) -> Result:
    get()
    executed: list[str] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = get()
    assert response.status_code == 200, (name, response.status_code, response.content[:300])
    samples: list[float] = []
    started = time.perf_counter()
    for _ in range(count):
        t0 = time.perf_counter()
        get()
        samples.append(time.perf_counter() - t0)
        if time.perf_counter() - started > budget and len(samples) >= 5:
            break
    return Result(name, path, len(executed), samples)


def bench(count: int, budget: float) -> list[Result]:
    customer = User.objects.get(email="customer@hbench.example")
    agent = User.objects.get(email="agent.be@hbench.example")
    if not Authenticator.objects.filter(user=agent).exists():  # agents must have MFA to use the console
        TOTP.activate(agent, generate_totp_secret())
    customer_client, agent_client, api = Client(), Client(), Client()
    customer_client.force_login(customer)
    agent_client.force_login(agent)
    headers = {"Authorization": f"Bearer {ApiToken.issue(customer)}"}
    scenarios: list[tuple[str, str, Callable[[], Any]]] = [
        ("Customer home (every kind, every tile)", "/fr/", lambda: customer_client.get("/fr/")),
        ("API GET /api/v1/attention", "/api/v1/attention", lambda: api.get("/api/v1/attention", headers=headers)),
        ("Console home (BE agent)", "/fr/console/", lambda: agent_client.get("/fr/console/")),
    ]
    results = []
    for name, path, get in scenarios:
        print(f"timing: {name}", flush=True)
        results.append(timed(name, path, get, count, budget))
    return results


def database_label() -> tuple[str, str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return "postgresql", f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        cursor.execute("select sqlite_version()")
        return "sqlite", f"SQLite {cursor.fetchone()[0]} (file)"


SECTION = """## The homes at scale

`bench/home_scale/run.py` seeds one Belgian organisation with every kind the customer home
reads (20,000 requests, 2,000 contracts, 50,000 invoices, 10,000 machines half under contract,
5,000 orders, 2,000 Buy Tech orders, 200 pending access and join requests at `--scale 1`) into
the database named by `DATABASE_URL` (default `var/bench-home.sqlite3`), then times the customer
home, `GET /api/v1/attention` and the console home in-process. "queries" does not grow with the
data (tests/core/test_home_queries.py asserts it).

    .venv/bin/python bench/home_scale/run.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_home .venv/bin/python bench/home_scale/run.py
"""


def write_readme(key: str, block: str) -> None:
    text = README.read_text()
    pattern = re.compile(rf"<!-- home_scale:{key}:start -->.*?<!-- home_scale:{key}:end -->", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        marker = "<!-- home_scale:end-of-section -->"
        if marker not in text:
            text = text.rstrip() + "\n\n" + SECTION + "\n" + marker + "\n"
        text = text.replace(marker, block + "\n\n" + marker)
    README.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--timed", type=int, default=50)
    parser.add_argument("--budget", type=float, default=20.0)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Organisation.objects.filter(customer_number=f"{PREFIX}-BE-1").exists():
        print("Reusing the seeded organisation.")
        seeded = "seeded by an earlier run"
        with across_organisations():
            counts = {
                "requests": Request.objects.filter(number__startswith="HB-R-").count(),
                "invoices": Invoice.objects.filter(number__startswith="HB-I-").count(),
            }
    else:
        started = time.perf_counter()
        with transaction.atomic():
            counts = seed(args.scale)
        seeded = f"seeded in {time.perf_counter() - started:.0f} s"
    results = bench(args.timed, args.budget)
    key, label = database_label()
    lines = [
        f"<!-- home_scale:{key}:start -->",
        f"### {label} — {datetime.now(UTC).date().isoformat()}",
        "",
        f"{os.cpu_count()} cores. One organisation with {counts['requests']:,} requests and "
        f"{counts['invoices']:,} invoices (and the rest at the same scale); {seeded}.",
        "",
        "| scenario | path | queries | n | p50 ms | p95 ms |",
        "|---|---|---:|---:|---:|---:|",
        *(
            f"| {r.name} | `{r.path}` | {r.queries} | {len(r.samples)} | {r.percentile(50):.1f} | "
            f"{r.percentile(95):.1f} |"
            for r in results
        ),
        f"<!-- home_scale:{key}:end -->",
    ]
    block = "\n".join(lines)
    print(block)
    if not args.no_readme:
        write_readme(key, block)


if __name__ == "__main__":
    main()
