"""Orders at scale: seed 200,000 orders with their lines, parcels and timelines, then time the order pages.

    python bench/orders_scale/run.py                      # SQLite file var/bench-orders.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_orders python bench/orders_scale/run.py

Seeded once by bulk inserts (1,000 organisations in BE/CA/RO, Zipf-sized so a few
are large; 2 lines per order; parcels of the country's carriers, most delivered;
timelines), reused by a later run on the same database. Each scenario is then
requested up to --timed times in-process through Django's test Client (the whole
stack), and p50/p95 go into bench/README.md under "Orders at scale".
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("CACHE_URL", "locmem:")  # one process: its own cache is enough
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-orders.sqlite3'}")
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
from django.test.utils import CaptureQueriesContext  # noqa: E402

from guichet.accounts.models import ApiToken, Application, ApplicationGrant, Membership, Organisation, User  # noqa: E402
from guichet.core.tenancy import across_organisations, tenant_scope  # noqa: E402
from guichet.orders import rules, selectors  # noqa: E402
from guichet.orders.carriers import carriers_for, s10_check_digit  # noqa: E402
from guichet.orders.models import Order, OrderEvent, OrderLine, Shipment, ShipmentLine  # noqa: E402

README = ROOT / "bench" / "README.md"
PREFIX = "OBENCH"
SEED = 20261201
BATCH = 5_000
COUNTRY_SHARE = {"BE": 0.45, "CA": 0.25, "RO": 0.30}
LANGUAGE = {"BE": "fr", "CA": "fr", "RO": "ro"}
CURRENCY = {"BE": "EUR", "CA": "CAD", "RO": "RON"}
TODAY = date(2026, 12, 1)


def tracking_for(carrier: str, n: int) -> str:
    """A number of the carrier's format, unique per n."""
    if carrier == "ups":
        return f"1ZBENCH{n:011d}"
    if carrier in ("bpost", "canada_post"):
        serial = f"{n % 10**8:08d}"
        suffix = "BE" if carrier == "bpost" else "CA"
        return f"{chr(65 + n // 10**8 % 26)}B{serial}{s10_check_digit(serial)}{suffix}"
    if carrier == "sameday":
        return f"1BNC{n:010d}"
    width = {"fedex": 12, "dhl_express": 10, "purolator": 12, "fan_courier": 13, "cargus": 12}[carrier]
    return f"{n:0{width}d}"


def seed(total: int, organisations: int) -> dict[str, Any]:
    rng = random.Random(SEED)
    started = time.perf_counter()
    orgs: list[Organisation] = []
    for country, share in COUNTRY_SHARE.items():
        for i in range(round(organisations * share)):
            orgs.append(
                Organisation(
                    customer_number=f"{PREFIX}-{country}-{i:05d}",
                    name=f"Bench {country} {i}",
                    country=country,
                    province="QC" if country == "CA" else "",
                    language=LANGUAGE[country],
                    verified=True,
                )
            )
    Organisation.objects.bulk_create(orgs, batch_size=BATCH)
    orgs = list(Organisation.objects.filter(customer_number__startswith=f"{PREFIX}-").order_by("id"))
    password = make_password("bench-password")
    users = [
        User(
            email=f"{o.customer_number.lower()}@obench.example",
            first_name="Bench",
            last_name=o.customer_number,
            password=password,
            language=o.language,
            country=o.country,
        )
        for o in orgs
    ]
    agent = User(
        email="agent.be@obench.example",
        first_name="Agent",
        last_name="BE",
        password=password,
        language="fr",
        country="BE",
        kind=User.Kind.AGENT,
    )
    User.objects.bulk_create([*users, agent], batch_size=BATCH)
    by_email = {u.email: u for u in User.objects.filter(email__endswith="@obench.example")}
    users = [by_email[u.email] for u in users]
    Membership.objects.bulk_create(
        [Membership(user=u, organisation=o, role="admin") for u, o in zip(users, orgs, strict=True)], batch_size=BATCH
    )
    with across_organisations():
        ApplicationGrant.objects.bulk_create(
            [
                ApplicationGrant(organisation=o, user=u, application=Application.ORDERS)
                for u, o in zip(users, orgs, strict=True)
            ],
            batch_size=BATCH,
        )
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(orgs))]  # Zipf-like: org 0 is the largest
    owners = rng.choices(orgs, weights=weights, k=total)
    counters: dict[tuple[str, int], int] = {}
    parcel_no = 0
    with across_organisations():
        for start in range(0, total, BATCH):
            chunk = owners[start : start + BATCH]
            orders = []
            for org in chunk:
                ordered_on = TODAY - timedelta(days=int(rng.expovariate(1 / 120)))
                key = (org.country, ordered_on.year)
                counters[key] = counters.get(key, 0) + 1
                orders.append(
                    Order(
                        organisation=org,
                        number=f"{org.country}-ORD-{ordered_on.year}-{counters[key]:06d}",
                        ordered_on=ordered_on,
                        currency=CURRENCY[org.country],
                        purchase_order=f"PO-{rng.randrange(10**6):06d}",
                        status=rules.PLACED,
                    )
                )
            Order.objects.bulk_create(orders)
            lines, parcels, plan = [], [], []
            for order in orders:
                a = OrderLine(
                    organisation=order.organisation,
                    order=order,
                    position=1,
                    product_code="P-1",
                    description="Laptop",
                    quantity=rng.randint(1, 5),
                    unit_price=Decimal("899.00"),
                )
                b = OrderLine(
                    organisation=order.organisation,
                    order=order,
                    position=2,
                    product_code="P-2",
                    description="Dock",
                    quantity=rng.randint(1, 5),
                    unit_price=Decimal("149.00"),
                )
                lines += [a, b]
                age = (TODAY - order.ordered_on).days
                carriers = [c.code for c in carriers_for(order.organisation.country)]
                split = rng.random() < 0.5
                groups = [[a], [b]] if split else [[a, b]]
                statuses = []
                for group in groups:
                    status = (
                        rules.SHIP_DELIVERED
                        if age > 10
                        else rng.choice(
                            [rules.LABEL_CREATED, rules.IN_TRANSIT, rules.OUT_FOR_DELIVERY, rules.SHIP_DELIVERED]
                        )
                    )
                    carrier = rng.choice(carriers)
                    parcel_no += 1
                    parcels.append(
                        Shipment(
                            organisation=order.organisation,
                            order=order,
                            carrier=carrier,
                            tracking_number=tracking_for(carrier, parcel_no),
                            status=status,
                        )
                    )
                    plan.append(group)
                    statuses.append(status)
                delivered = sum(s == rules.SHIP_DELIVERED for s in statuses)
                order.status = (
                    rules.DELIVERED
                    if delivered == len(statuses)
                    else rules.PARTIALLY_DELIVERED
                    if delivered
                    else rules.PROCESSING
                )
            OrderLine.objects.bulk_create(lines)
            Shipment.objects.bulk_create(parcels)
            ShipmentLine.objects.bulk_create(
                ShipmentLine(organisation=p.organisation, shipment=p, order_line=line, quantity=line.quantity)
                for p, group in zip(parcels, plan, strict=True)
                for line in group
            )
            Order.objects.bulk_update(orders, ["status"])
            OrderEvent.objects.bulk_create(
                [OrderEvent(organisation=o.organisation, order=o, kind="placed", status=rules.PLACED) for o in orders]
                + [
                    OrderEvent(
                        organisation=p.organisation, order=p.order, shipment=p, kind="shipment_status", status=p.status
                    )
                    for p in parcels
                ]
            )
            print(f"  {min(start + BATCH, total):,} / {total:,} orders", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"seconds": round(time.perf_counter() - started)}


@dataclass
class Result:
    name: str
    path: str
    queries: int
    samples: list[float]
    load: float

    def percentile(self, p: float) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)] * 1000


def timed(name: str, path: str, get: Callable[[int], Any], count: int, budget: float) -> Result:
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
    return Result(name, path, query_count, samples, os.getloadavg()[0])


def bench(count: int, budget: float) -> tuple[list[Result], int]:
    with across_organisations():
        org = Organisation.objects.get(customer_number=f"{PREFIX}-BE-00000")
        customer = User.objects.get(email=f"{org.customer_number.lower()}@obench.example")
        agent = User.objects.get(email="agent.be@obench.example")
    if not Authenticator.objects.filter(user=agent).exists():  # agents must have MFA to use the console
        TOTP.activate(agent, generate_totp_secret())
    with tenant_scope(org):
        own = selectors.orders_of(org).count()
        numbers = list(Order.objects.filter(organisation=org).order_by("?").values_list("number", flat=True)[:200])
        pos = list(Order.objects.filter(organisation=org).values_list("purchase_order", flat=True)[:50])
        tracking = list(Shipment.objects.filter(organisation=org).values_list("tracking_number", flat=True)[:50])
    customer_client, agent_client, api = Client(), Client(), Client()
    customer_client.force_login(customer)
    agent_client.force_login(agent)
    headers = {"Authorization": f"Bearer {ApiToken.issue(customer)}"}
    scenarios: list[tuple[str, str, Callable[[int], Any]]] = [
        ("Customer order list (largest organisation)", "/fr/orders/", lambda i: customer_client.get("/fr/orders/")),
        (
            "Customer list, not yet delivered",
            "/fr/orders/?status=open",
            lambda i: customer_client.get("/fr/orders/", {"status": "open"}),
        ),
        (
            "Customer list, date range",
            "/fr/orders/?date_from=…&date_to=…",
            lambda i: customer_client.get("/fr/orders/", {"date_from": "2026-06-01", "date_to": "2026-09-30"}),
        ),
        (
            "Customer list, search by purchase order",
            "/fr/orders/?q=PO-…",
            lambda i: customer_client.get("/fr/orders/", {"q": pos[i % len(pos)]}),
        ),
        (
            "Customer list, search by tracking number",
            "/fr/orders/?q=<tracking>",
            lambda i: customer_client.get("/fr/orders/", {"q": tracking[i % len(tracking)]}),
        ),
        (
            "Order detail (parcels, timeline chart)",
            "/fr/orders/<number>/",
            lambda i: customer_client.get(f"/fr/orders/{numbers[i % len(numbers)]}/"),
        ),
        ("API GET /api/v1/orders", "/api/v1/orders", lambda i: api.get("/api/v1/orders", headers=headers)),
        (
            "API GET /api/v1/orders/{number}",
            "/api/v1/orders/<number>",
            lambda i: api.get(f"/api/v1/orders/{numbers[i % len(numbers)]}", headers=headers),
        ),
        (
            "Console search by order number (BE agent)",
            "/fr/console/orders/?q=<number>",
            lambda i: agent_client.get("/fr/console/orders/", {"q": numbers[i % len(numbers)]}),
        ),
    ]
    results = []
    for name, path, get in scenarios:
        print(f"timing: {name}", flush=True)
        results.append(timed(name, path, get, count, budget))
    return results, own


def database_label() -> tuple[str, str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return "postgresql", f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        cursor.execute("select sqlite_version()")
        return "sqlite", f"SQLite {cursor.fetchone()[0]} (file)"


def write_readme(key: str, block: str) -> None:
    text = README.read_text()
    pattern = re.compile(rf"<!-- orders_scale:{key}:start -->.*?<!-- orders_scale:{key}:end -->", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        marker = "<!-- orders_scale:end-of-section -->"
        if marker not in text:
            text = text.rstrip() + "\n\n" + SECTION + "\n" + marker + "\n"
        text = text.replace(marker, block + "\n\n" + marker)
    README.write_text(text)


SECTION = """## Orders at scale

`bench/orders_scale/run.py` seeds 200,000 orders (1,000 organisations in BE, CA and
RO, Zipf-sized: the largest has several thousand orders), two lines each, one or two
parcels of the country's carriers and their timeline, into the database named by
`DATABASE_URL` (default `var/bench-orders.sqlite3`), then times the order pages
in-process with Django's test Client. "queries" does not grow with the data
(tests/orders/test_query_counts.py asserts it for the lists and the order page).

    .venv/bin/python bench/orders_scale/run.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_orders .venv/bin/python bench/orders_scale/run.py
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--orgs", type=int, default=1_000)
    parser.add_argument("--timed", type=int, default=100)
    parser.add_argument("--budget", type=float, default=30.0)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    with across_organisations():
        existing = Order.objects.filter(organisation__customer_number__startswith=f"{PREFIX}-").count()
    if existing:
        print(f"Reusing {existing:,} seeded orders.")
        seeded = "seeded by an earlier run"
        total = existing
    else:
        with transaction.atomic():
            stats = seed(args.orders, args.orgs)
        seeded = f"seeded in {stats['seconds']} s"
        total = args.orders
    results, own = bench(args.timed, args.budget)
    key, label = database_label()
    lines = [
        f"<!-- orders_scale:{key}:start -->",
        f"### {label} — {datetime.now(UTC).date().isoformat()}",
        "",
        f"{os.cpu_count()} cores. {total:,} orders over {args.orgs:,} organisations; the timed one has "
        f"{own:,} orders; {seeded}.",
        "",
        "| scenario | path | queries | n | p50 ms | p95 ms | load |",
        "|---|---|---:|---:|---:|---:|---:|",
        *(
            f"| {r.name} | `{r.path}` | {r.queries} | {len(r.samples)} | {r.percentile(50):.1f} | "
            f"{r.percentile(95):.1f} | {r.load:.1f} |"
            for r in results
        ),
        f"<!-- orders_scale:{key}:end -->",
    ]
    block = "\n".join(lines)
    print(block)
    if not args.no_readme:
        write_readme(key, block)


if __name__ == "__main__":
    main()
