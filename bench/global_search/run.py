"""Global search at scale (PostgreSQL): 200,000 requests, 1,000,000 invoices, then the header's box.

    createdb -h 127.0.0.1 -U postgres bench_search
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search .venv/bin/python bench/global_search/run.py

The database is migrated, then seeded once; a later run reuses the data. Organisations and
people are bench/requests_scale's (`seed_people`: ~2,000 organisations in BE/CA/RO, Zipf-sized,
its customers and agents); if that bench's 200,000 requests are already in the database they are
reused. Otherwise requests (with requests_scale's subjects), invoices, machines, orders with a
parcel each and contracts are written server-side with `INSERT … SELECT generate_series`, spread
over the organisations with requests_scale's weights: the Python seeding of requests_scale takes
~8 minutes here, too long for a shared 2-core machine. Each scenario is then asked ~100 times
in-process through Django's test Client (the whole stack) and p50/p95 are printed and written
into bench/README.md under "Global search at scale".
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_search")
# Help articles answer with the lexical index here: embedding the 196 translations takes about a minute
# per process before the first word search (bench/help_search measures the help centre's own latency).
os.environ.setdefault("HELP_SEMANTIC_SEARCH", "off")

# requests_scale sets Django up (settings, test host) and holds the people and vocabulary we reuse.
_spec = importlib.util.spec_from_file_location("requests_scale", ROOT / "bench" / "requests_scale" / "run.py")
assert _spec is not None and _spec.loader is not None
scale = importlib.util.module_from_spec(_spec)
sys.modules["requests_scale"] = scale  # its dataclasses look their module up
_spec.loader.exec_module(scale)

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from guichet.accounts.models import Application, ApplicationGrant, Membership, Organisation, User  # noqa: E402
from guichet.billing.models import Invoice  # noqa: E402
from guichet.core.tenancy import across_organisations  # noqa: E402
from guichet.inventory.models import Machine  # noqa: E402
from guichet.orders.models import Shipment  # noqa: E402
from guichet.support.models import Request  # noqa: E402

console = scale.console
logging.getLogger("guichet.request").setLevel(logging.WARNING)  # one line per request would drown the table
PREFIX = scale.PREFIX
PICKS = 20_000  # organisation draws, cycled: row i belongs to picks[i % PICKS]

COUNTS = {"requests": 200_000, "invoices": 1_000_000, "machines": 100_000, "orders": 200_000, "contracts": 50_000}


def _picks() -> tuple[list[int], list[int], list[str]]:
    """Organisation draws by requests_scale's weights, with a member of each (the requester)."""
    rng = scale.rng_state()
    orgs = list(Organisation.objects.filter(customer_number__startswith=f"{PREFIX}-").order_by("id"))
    weights = scale.weighted_organisations(rng, orgs)
    picked = rng.choices(orgs, weights=weights, k=PICKS)
    member = {}
    for m in Membership.objects.filter(organisation__in=orgs).order_by("id").values("organisation_id", "user_id"):
        member.setdefault(m["organisation_id"], m["user_id"])
    return [o.pk for o in picked], [member[o.pk] for o in picked], [o.country for o in picked]


def _subjects() -> list[str]:
    subjects = []
    for language in scale.SUBJECTS.values():
        for templates in language.values():
            for template in templates:
                for k in range(10):
                    subjects.append(
                        template.format(
                            invoice=f"F-{k:04d}", order=f"ORD-{k:04d}", contract=f"C-{k:04d}", serial=f"78AB{k:03d}"
                        )
                    )
    return subjects


SQL = {
    "requests": """
        INSERT INTO support_request (organisation_id, requester_id, number, type, priority, status, subject,
            description, details, contact_name, contact_email, contact_phone, language, created_at, updated_at,
            rating_comment)
        SELECT o.id, u[1 + i %% %(picks)s], o.country || '-' || (2024 + i %% 3) || '-B' || lpad(i::text, 7, '0'),
            'general', 'normal', (ARRAY['submitted','in_progress','resolved','closed'])[1 + i %% 4],
            s[1 + (i::bigint * 7919) %% array_length(s, 1)], 'Bench request.', '{}', 'Bench', 'bench@bench.example', '',
            'fr', now() - (i %% 1000) * interval '1 day', now(), ''
        FROM generate_series(%(first)s, %(last)s) AS i
        CROSS JOIN LATERAL (SELECT %(orgs)s::bigint[] AS g, %(users)s::bigint[] AS u, %(subjects)s::text[] AS s) a
        JOIN accounts_organisation o ON o.id = a.g[1 + i %% %(picks)s]
    """,
    "invoices": """
        INSERT INTO billing_invoice (organisation_id, kind, number, issue_date, due_date, currency, po_reference,
            status, net_total, tax_total, total, settled, country, province, created_at)
        SELECT o.id, CASE WHEN i %% 20 = 0 THEN 'credit_note' ELSE 'invoice' END,
            o.country || '-F-' || (2024 + i %% 3) || '-B' || lpad(i::text, 8, '0'),
            current_date - (i %% 1000), current_date - (i %% 1000) + 30,
            CASE o.country WHEN 'CA' THEN 'CAD' WHEN 'RO' THEN 'RON' ELSE 'EUR' END, '',
            CASE WHEN i %% 3 = 0 THEN 'open' ELSE 'paid' END,
            v.net, round(v.net * 0.21, 2), v.net + round(v.net * 0.21, 2),
            CASE WHEN i %% 3 = 0 THEN 0 ELSE v.net + round(v.net * 0.21, 2) END, o.country, '', now()
        FROM generate_series(%(first)s, %(last)s) AS i
        CROSS JOIN LATERAL (SELECT %(orgs)s::bigint[] AS g, ((i::bigint * 7919) %% 500000) / 100.0 + 10 AS net) v
        JOIN accounts_organisation o ON o.id = v.g[1 + i %% %(picks)s]
    """,
    "machines": """
        INSERT INTO inventory_machine (organisation_id, machine_type, model, serial, description, site_name,
            site_street, site_postcode, site_city, site_country, contact_name, contact_phone, contact_email,
            created_at)
        SELECT o.id, (ARRAY['8286','9009','7063','2145'])[1 + i %% 4], '42A',
            upper(lpad(to_hex((i::bigint * 2654435761) %% 4294967296), 8, '0')), 'Bench server', '', '', '', '',
            o.country, '', '', '', now()
        FROM generate_series(%(first)s, %(last)s) AS i
        CROSS JOIN LATERAL (SELECT %(orgs)s::bigint[] AS g) a
        JOIN accounts_organisation o ON o.id = a.g[1 + i %% %(picks)s]
    """,
    "orders": """
        WITH made AS (
            INSERT INTO orders_order (organisation_id, number, ordered_on, status, currency, purchase_order,
                created_at, updated_at)
            SELECT o.id, o.country || '-ORD-B' || lpad(i::text, 8, '0'), current_date - (i %% 700), 'shipped',
                'EUR', '', now(), now()
            FROM generate_series(%(first)s, %(last)s) AS i
            CROSS JOIN LATERAL (SELECT %(orgs)s::bigint[] AS g) a
            JOIN accounts_organisation o ON o.id = a.g[1 + i %% %(picks)s]
            RETURNING id, organisation_id, number
        )
        INSERT INTO orders_shipment (organisation_id, order_id, carrier, tracking_number, status, location,
            created_at)
        SELECT organisation_id, id, 'bpost', 'BT' || substr(number, length(number) - 7) || 'BE', 'in_transit', '',
            now()
        FROM made
    """,
    "contracts": """
        INSERT INTO contracts_contract (organisation_id, number, kind, status, title, start_date, currency, amount,
            created_at)
        SELECT o.id, o.country || '-C-B' || lpad(i::text, 7, '0'), 'hardware_maintenance', 'active',
            'Bench maintenance', current_date - 400, 'EUR', 1200, now()
        FROM generate_series(%(first)s, %(last)s) AS i
        CROSS JOIN LATERAL (SELECT %(orgs)s::bigint[] AS g) a
        JOIN accounts_organisation o ON o.id = a.g[1 + i %% %(picks)s]
    """,
}

EXISTING = {
    "requests": lambda: Request.objects.filter(organisation__customer_number__startswith=f"{PREFIX}-").count(),
    "invoices": lambda: Invoice.objects.filter(organisation__customer_number__startswith=f"{PREFIX}-").count(),
    "machines": lambda: Machine.objects.filter(organisation__customer_number__startswith=f"{PREFIX}-").count(),
    "orders": lambda: Shipment.objects.filter(organisation__customer_number__startswith=f"{PREFIX}-").count(),
    "contracts": lambda: (
        __import__("guichet.contracts.models", fromlist=["Contract"])
        .Contract.objects.filter(organisation__customer_number__startswith=f"{PREFIX}-")
        .count()
    ),
}


def ensure_seeded(counts: dict[str, int]) -> dict[str, Any]:
    if connection.vendor != "postgresql":
        sys.exit("This bench seeds with PostgreSQL's generate_series: point DATABASE_URL at PostgreSQL.")
    call_command("migrate", verbosity=0)
    seconds: dict[str, Any] = {}
    with across_organisations():
        if not Organisation.objects.filter(customer_number__startswith=f"{PREFIX}-").exists():
            started = time.perf_counter()
            with transaction.atomic():
                scale.seed_people(scale.rng_state(), 2_000)
            seconds["people"] = round(time.perf_counter() - started, 1)
        orgs, users, _countries = _picks()
        for table, total in counts.items():
            existing = EXISTING[table]()
            if existing >= total:
                console.print(f"Reusing the {existing:,} {table}.")
                continue
            # Tops up from where an earlier (interrupted or smaller) run stopped: rows are numbered by i.
            started = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
                cursor.execute(
                    SQL[table],
                    {
                        "first": existing + 1,
                        "last": total,
                        "orgs": orgs,
                        "users": users,
                        "subjects": _subjects(),
                        "picks": PICKS,
                    },
                )
            seconds[table] = round(time.perf_counter() - started, 1)
            console.print(f"Seeded {total - existing:,} {table} in {seconds[table]} s.")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return seconds


# --- timing ------------------------------------------------------------------------------------------

SEARCH_TABLES = ("support_request", "billing_invoice", "inventory_", "orders_", "contracts_", "buytech_")


def explain(captured: list[dict[str, Any]]) -> tuple[float, str]:
    """The search's own queries, run again under EXPLAIN ANALYZE: their summed execution time on the
    server (what a busy machine's scheduling does not inflate) and any sequential scan of a table."""
    total, seq = 0.0, set()
    with connection.cursor() as cursor:
        for query in captured:
            sql = query["sql"]
            if not sql.startswith("SELECT") or not any(f'"{t}' in sql for t in SEARCH_TABLES):
                continue  # sessions, users, grants: the stack's, not the search's
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            total += plan[0]["Execution Time"]
            stack = [plan[0]["Plan"]]
            while stack:
                node = stack.pop()
                if node["Node Type"] == "Seq Scan":
                    seq.add(node["Relation Name"])
                stack.extend(node.get("Plans", []))
    return total, ", ".join(sorted(seq)) or "none"


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] * 1000


def _one(get: Callable[[], Any], expected: tuple[int, ...]) -> float:
    t0 = time.perf_counter()
    response = get()
    elapsed = time.perf_counter() - t0
    assert response.status_code in expected, (response.status_code, response.content[:300])
    return elapsed


def bench(count: int, budget: float) -> list[dict[str, Any]]:
    with across_organisations():
        org = Organisation.objects.get(customer_number=f"{PREFIX}-BE-00000")
        customer = Membership.objects.filter(organisation=org).select_related("user").order_by("id")[0].user
        for application in Application.values:
            ApplicationGrant.objects.get_or_create(organisation=org, user=customer, application=application)
        agent = User.objects.get(email="agent0.be@bench.example")
        invoices = Invoice.objects.filter(organisation=org).order_by("id")
        own_invoice = invoices[invoices.count() // 2]
        foreign_invoice = Invoice.objects.filter(country="RO").order_by("id").first()
        machine = Machine.objects.filter(organisation=org).order_by("id").first()
        shipment = Shipment.objects.filter(organisation=org).order_by("id").first()
        request = Request.objects.filter(organisation=org).order_by("-id").first()
        counts = {
            "requests": Request.objects.filter(organisation=org).count(),
            "invoices": invoices.count(),
            "machines": Machine.objects.filter(organisation=org).count(),
        }
    assert own_invoice and foreign_invoice and machine and shipment and request
    customer_client, agent_client = Client(), Client()
    customer_client.force_login(customer)
    agent_client.force_login(agent)
    lang = "fr"
    page, console_page, api = f"/{lang}/search/", f"/{lang}/console/search/", "/api/v1/search"

    def ask(client: Client, path: str, typed: str) -> Callable[[], Any]:
        return lambda: client.get(path, {"q": typed})

    amount, prefix = str(own_invoice.total), machine.serial[:4]
    typed_machine = f"{machine.machine_type} {machine.serial}"
    scenarios: list[tuple[str, str, Callable[[], Any], tuple[int, ...]]] = [
        ("Invoice number (page: jump)", own_invoice.number, ask(customer_client, page, own_invoice.number), (302,)),
        ("Invoice number (API)", own_invoice.number, ask(customer_client, api, own_invoice.number), (200,)),
        ("Invoice amount (API)", amount, ask(customer_client, api, amount), (200,)),
        ("Words of a request subject (API)", "imprimante", ask(customer_client, api, "imprimante"), (200,)),
        ("Serial's beginning (API)", prefix, ask(customer_client, api, prefix), (200,)),
        ("Type + serial (API)", typed_machine, ask(customer_client, api, typed_machine), (200,)),
        (
            "Tracking number (API)",
            shipment.tracking_number,
            ask(customer_client, api, shipment.tracking_number),
            (200,),
        ),
        (
            "Another organisation's invoice number (API: nothing)",
            foreign_invoice.number,
            ask(customer_client, api, foreign_invoice.number),
            (200,),
        ),
        ("Results page, words", "facture", ask(customer_client, page, "facture"), (200,)),
        (
            "Agent: request number (console: jump)",
            request.number,
            ask(agent_client, console_page, request.number),
            (302,),
        ),
        ("Agent: words across BE customers (API)", "facture", ask(agent_client, api, "facture"), (200,)),
    ]
    results = []
    for name, typed, get, expected in scenarios:
        for _ in range(3):  # warm-up
            _one(get, expected)
        with CaptureQueriesContext(connection) as queries:
            _one(get, expected)
        query_count = len(queries)  # now: the next request empties the log
        database_ms, scans = explain(queries.captured_queries)
        samples: list[float] = []
        started = time.perf_counter()
        while len(samples) < count and (time.perf_counter() - started < budget or len(samples) < scale.MIN_SAMPLES):
            samples.append(_one(get, expected))
        results.append(
            {
                "name": name,
                "typed": typed,
                "queries": query_count,
                "n": len(samples),
                "p50": percentile(samples, 0.5),
                "p95": percentile(samples, 0.95),
                "load": os.getloadavg()[0],
                "db": database_ms,
                "scans": scans,
            }
        )
        console.print(f"{name}: p50 {results[-1]['p50']:.1f} ms, p95 {results[-1]['p95']:.1f} ms")
    results.append({"counts": counts})
    return results


def markdown(results: list[dict[str, Any]], seeded: dict[str, Any]) -> str:
    label = scale.database_label()[1]
    counts = results[-1]["counts"]
    with across_organisations():
        totals = {table: EXISTING[table]() for table in EXISTING}
    lines = [
        f"### {label} — {time.strftime('%Y-%m-%d')}",
        "",
        f"Machine: {scale.machine()}. Data: {totals['requests']:,} requests, {totals['invoices']:,} invoices, "
        f"{totals['machines']:,} machines, {totals['orders']:,} orders with a parcel, {totals['contracts']:,} "
        f"contracts over 2,000 organisations; the searching customer's organisation (the largest) holds "
        f"{counts['requests']:,} requests, {counts['invoices']:,} invoices and {counts['machines']:,} machines. "
        + (f"Seeded in this run (s): {seeded}." if seeded else "Seeded by an earlier run."),
        "",
        "| scenario | typed | queries | n | p50 ms | p95 ms | load | search SQL on the server, ms | seq scans |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results[:-1]:
        lines.append(
            f"| {r['name']} | `{r['typed']}` | {r['queries']} | {r['n']} | {r['p50']:.1f} | "
            f"{r['p95']:.1f} | {r['load']:.1f} | {r['db']:.2f} | {r['scans']} |"
        )
    return "\n".join(lines) + "\n"


def write_readme(block: str) -> None:
    start, end = "<!-- global_search:start -->", "<!-- global_search:end -->"
    text = scale.README.read_text()
    if start in text:
        text = text[: text.index(start) + len(start)] + "\n" + block + text[text.index(end) :]
    else:
        text += f"\n{start}\n{block}{end}\n"
    scale.README.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for table, total in COUNTS.items():
        parser.add_argument(f"--{table}", type=int, default=total)
    parser.add_argument("--timed", type=int, default=100, help="timed requests per scenario")
    parser.add_argument("--budget", type=float, default=8.0, help="seconds per scenario before stopping early")
    parser.add_argument("--seed-only", action="store_true")
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    seeded = ensure_seeded({table: getattr(args, table) for table in COUNTS})
    if args.seed_only:
        return
    results = bench(args.timed, args.budget)
    block = markdown(results, seeded)
    console.print(block)
    if not args.no_readme:
        write_readme(block)


if __name__ == "__main__":
    main()
