"""Requests at scale: seed 200,000 requests, then time the lists customers, agents and clients use.

    python bench/requests_scale/run.py                      # SQLite file var/bench-requests.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_requests python bench/requests_scale/run.py

The database is migrated, then seeded once (bulk inserts: ~2,000 organisations
in BE/CA/RO, a few thousand customers, agents, 200,000 requests with realistic
ages and statuses, their comments and timeline); a later run on the same
database reuses the data. Each scenario is then requested ~200 times
in-process through Django's test Client (the whole stack: middleware, auth,
tenancy, templates), and p50/p95 are printed and written into bench/README.md
under "Requests at scale" (only this database's block is replaced).

`--comment-search-index` (PostgreSQL) first adds a GIN index on the comments'
search vector, to measure that proposal in a block of its own; a run without
the flag drops it again, so the plain figures are those of the migrated schema.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import re
import string
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("CACHE_URL", "locmem:")  # one process: its own cache is enough
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-requests.sqlite3'}")
# The test Client calls itself "testserver"; DEBUG stays off, so no query logging slows the timings.
os.environ["ALLOWED_HOSTS"] = ",".join(
    {*os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(","), "testserver"}
)

import django  # noqa: E402

django.setup()

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402
from rich.table import Table  # noqa: E402

from guichet.accounts.models import ApiToken, Application, ApplicationGrant, Membership, Organisation, User  # noqa: E402
from guichet.core import case_selectors, numbering  # noqa: E402
from guichet.core.calendar import BusinessCalendar, calendar_for  # noqa: E402
from guichet.core.models import Case, CaseActivity  # noqa: E402
from guichet.core.pagination import page_size  # noqa: E402
from guichet.core.paging import keyset_page  # noqa: E402
from guichet.core.tenancy import across_organisations, tenant_scope  # noqa: E402
from guichet.support import cases as support_cases  # noqa: E402
from guichet.support import rules, selectors  # noqa: E402
from guichet.support.models import Comment, Event, Request, Status  # noqa: E402
from guichet.support.services import sequence_key  # noqa: E402

console = Console()
README = ROOT / "bench" / "README.md"
PREFIX = "BENCH"
SEED = 20261122
BATCH = 10_000
MIN_SAMPLES = 10  # a scenario slower than --budget allows stops here; the table shows n

COUNTRY_SHARE = {"BE": 0.45, "CA": 0.25, "RO": 0.30}
LANGUAGES = {"BE": ["fr", "fr", "fr", "en"], "CA": ["fr", "fr", "en"], "RO": ["ro", "ro", "ro", "en"]}
TYPES = ["invoices", "orders", "contracts", "inventory", "account", "general"]
TYPE_WEIGHTS = [30, 20, 15, 20, 5, 10]
PRIORITIES = ["low", "normal", "high", "urgent"]
PRIORITY_WEIGHTS = [15, 60, 20, 5]
HISTORY_DAYS = 3 * 365

SUBJECTS = {
    "fr": {
        "invoices": ["Copie de la facture {invoice}", "Facture {invoice} : montant incorrect", "Facture en double"],
        "orders": ["Livraison en retard pour la commande {order}", "Commande {order} incomplète", "Suivi de livraison"],
        "contracts": ["Renouvellement du contrat {contract}", "Résiliation du contrat {contract}", "Avenant"],
        "inventory": ["Panne de l'imprimante {serial}", "Déménagement de la machine {serial}", "Toner non reconnu"],
        "account": ["Accès à Mes factures", "Nouvel utilisateur à ajouter", "Mot de passe bloqué"],
        "general": ["Question générale", "Changement d'adresse de facturation", "Demande de rappel"],
    },
    "en": {
        "invoices": ["Copy of invoice {invoice}", "Invoice {invoice}: wrong amount", "Duplicate invoice"],
        "orders": ["Late delivery of order {order}", "Order {order} incomplete", "Delivery tracking"],
        "contracts": ["Renewal of contract {contract}", "Termination of contract {contract}", "Contract amendment"],
        "inventory": ["Printer {serial} out of order", "Relocating machine {serial}", "Toner not recognised"],
        "account": ["Access to My invoices", "Add a new user", "Password locked"],
        "general": ["General question", "Change of billing address", "Please call me back"],
    },
    "ro": {
        "invoices": ["Copie a facturii {invoice}", "Factura {invoice}: sumă greșită", "Factură dublă"],
        "orders": ["Livrare întârziată pentru comanda {order}", "Comanda {order} incompletă", "Urmărire livrare"],
        "contracts": ["Reînnoirea contractului {contract}", "Rezilierea contractului {contract}", "Act adițional"],
        "inventory": ["Imprimanta {serial} nu funcționează", "Mutarea echipamentului {serial}", "Toner nerecunoscut"],
        "account": ["Acces la Facturile mele", "Utilizator nou", "Parolă blocată"],
        "general": ["Întrebare generală", "Schimbarea adresei de facturare", "Vă rog să mă sunați"],
    },
}
SENTENCES = {
    "fr": [
        "Bonjour, pouvez-vous vérifier ce point rapidement ?",
        "Le montant ne correspond pas au bon de commande.",
        "La machine affiche un code d'erreur depuis lundi.",
        "Nous avons déménagé et l'adresse de livraison a changé.",
        "Merci de nous envoyer une copie par e-mail.",
        "Le technicien n'est pas encore passé.",
        "Notre service comptable attend votre réponse.",
    ],
    "en": [
        "Hello, could you please look into this?",
        "The amount does not match the purchase order.",
        "The machine has shown an error code since Monday.",
        "We have moved and the delivery address changed.",
        "Please send us a copy by e-mail.",
        "The technician has not come yet.",
        "Our accounts department is waiting for your answer.",
    ],
    "ro": [
        "Bună ziua, puteți verifica vă rog?",
        "Suma nu corespunde cu comanda.",
        "Echipamentul afișează un cod de eroare de luni.",
        "Ne-am mutat și adresa de livrare s-a schimbat.",
        "Vă rugăm să ne trimiteți o copie pe e-mail.",
        "Tehnicianul nu a venit încă.",
        "Departamentul financiar așteaptă răspunsul dumneavoastră.",
    ],
}
AGENT_REPLIES = {
    "fr": ["Merci, nous vérifions et revenons vers vous.", "Pouvez-vous préciser le numéro de série ?",
           "La facture corrigée est jointe.", "Le technicien passera jeudi matin."],
    "en": ["Thank you, we are checking and will come back to you.", "Could you confirm the serial number?",
           "The corrected invoice is attached.", "The technician will come on Thursday morning."],
    "ro": ["Mulțumim, verificăm și revenim.", "Puteți confirma seria echipamentului?",
           "Factura corectată este atașată.", "Tehnicianul va veni joi dimineață."],
}
INTERNAL_NOTES = ["Checked with billing: credit note needed.", "Waiting for the carrier's answer.",
                  "Escalated to field service.", "Customer called, see CRM."]
FIRST_NAMES = ["Marie", "Paul", "Luc", "Ana", "Nina", "Jean", "Sophie", "Ion", "Elena", "Marc", "Julie", "Andrei"]
LAST_NAMES = ["Dubois", "Peeters", "Tremblay", "Gagnon", "Popescu", "Ionescu", "Lambert", "Roy", "Stan", "Martin"]
ORG_WORDS = ["Atelier", "Brasserie", "Imprimerie", "Tipografia", "Clinique", "Cabinet", "Transport", "Studio"]

# Console searches an agent might type: words of subjects and comments, a number, a misspelt word.
SEARCH_TERMS = ["facture", "livraison", "contrat", "imprimante", "factura", "invoice", "toner", "technicien"]


def rng_state() -> random.Random:
    return random.Random(SEED)


# --- seeding ---------------------------------------------------------------------------------


@dataclass
class People:
    members: dict[int, list[User]]  # organisation id -> members
    agents: dict[str, list[User]]  # country -> agents


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def seed_people(rng: random.Random, organisations: int) -> tuple[list[Organisation], People]:
    countries = list(COUNTRY_SHARE)
    counts = {c: round(organisations * share) for c, share in COUNTRY_SHARE.items()}
    counts["BE"] += organisations - sum(counts.values())
    orgs: list[Organisation] = []
    for country in countries:
        for i in range(counts[country]):
            language = rng.choice(LANGUAGES[country])
            orgs.append(
                Organisation(
                    customer_number=f"{PREFIX}-{country}-{i:05d}",
                    name=f"{rng.choice(ORG_WORDS)} {rng.choice(LAST_NAMES)} {i}",
                    country=country,
                    province=rng.choice(["QC", "QC", "ON"]) if country == "CA" else "",
                    language=language,
                    city={"BE": "Bruxelles", "CA": "Montréal", "RO": "București"}[country],
                    verified=True,
                )
            )
    Organisation.objects.bulk_create(orgs, batch_size=BATCH)
    orgs = list(Organisation.objects.filter(customer_number__startswith=f"{PREFIX}-").order_by("id"))
    password = make_password("bench-password")
    users: list[User] = []
    owners: list[Organisation] = []
    for org in orgs:
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            n = len(users)
            users.append(
                User(
                    email=f"customer{n}@bench.example",
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    password=password,
                    language=org.language,
                    country=org.country,
                )
            )
            owners.append(org)
    agents: list[User] = []
    for country in countries:
        for k in range(6):
            agents.append(
                User(
                    email=f"agent{k}.{country.lower()}@bench.example",
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    password=password,
                    language=LANGUAGES[country][0],
                    country=country,
                    kind=User.Kind.AGENT,
                )
            )
    User.objects.bulk_create(users + agents, batch_size=BATCH)
    by_email = {u.email: u for u in User.objects.filter(email__endswith="@bench.example")}
    users = [by_email[u.email] for u in users]
    memberships = [
        Membership(user=user, organisation=org, role="admin" if i == 0 or owners[i - 1] != org else "member")
        for i, (user, org) in enumerate(zip(users, owners, strict=True))
    ]
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    with across_organisations():
        ApplicationGrant.objects.bulk_create(
            [ApplicationGrant(organisation=org, user=user, application=Application.REQUESTS)
             for user, org in zip(users, owners, strict=True)],
            batch_size=BATCH,
        )
    members: dict[int, list[User]] = defaultdict(list)
    for user, org in zip(users, owners, strict=True):
        members[org.pk].append(user)
    agents_by_country: dict[str, list[User]] = defaultdict(list)
    for agent in agents:
        agents_by_country[agent.country].append(by_email[agent.email])
    TOTP.activate(agents_by_country["BE"][0], generate_totp_secret())  # the agent whose queue is timed
    return orgs, People(members, agents_by_country)


def weighted_organisations(rng: random.Random, orgs: list[Organisation]) -> list[float]:
    """Zipf-like sizes (s=0.8): the first Belgian organisation is the largest, the rest shuffled."""
    ranks = list(range(1, len(orgs)))
    rng.shuffle(ranks)
    return [1.0] + [1 / (rank + 1) ** 0.8 for rank in ranks]


def status_for(rng: random.Random, age_days: float) -> str:
    if age_days < 2:
        table = {"submitted": 45, "assigned": 25, "in_progress": 20, "waiting_on_customer": 10}
    elif age_days < 14:
        table = {"submitted": 5, "assigned": 15, "in_progress": 30, "waiting_on_customer": 20, "resolved": 20,
                 "closed": 10}
    elif age_days < 45:
        table = {"in_progress": 8, "waiting_on_customer": 7, "closed": 85}
    elif age_days < 180:  # a few forgotten ones
        table = {"in_progress": 10, "waiting_on_customer": 10, "closed": 980}
    else:
        table = {"in_progress": 1, "waiting_on_customer": 1, "closed": 998}
    return rng.choices(list(table), weights=list(table.values()))[0]


def details_for(rng: random.Random, kind: str, country: str, year: int) -> dict[str, str]:
    serial = "".join(rng.choices(string.ascii_uppercase + string.digits, k=7))
    return {
        "invoices": {"invoice_number": f"INV-{year}-{rng.randrange(1, 999_999):06d}"},
        "orders": {"order_number": f"SO-{rng.randrange(1, 9_999_999):07d}"},
        "contracts": {"contract_number": f"C-{country}-{rng.randrange(1, 99_999):05d}"},
        "inventory": {"machine_type": rng.choice(["8286", "9105", "7063", "2078"]), "machine_model": "42A",
                      "serial": serial},
        "account": {"application": rng.choice(["invoices", "orders", "contracts"])},
        "general": {},
    }[kind]


class DueTimes:
    """SLA due times: exact business hours for open requests, an estimate for finished ones (never shown)."""

    def __init__(self) -> None:
        self.calendars: dict[tuple[str, str], BusinessCalendar] = {}

    def __call__(self, org: Organisation, start: datetime, hours: timedelta, exact: bool) -> datetime:
        if not exact:
            return start + hours * 3.3  # 8.5 open hours a weekday, 5 weekdays a week
        key = (org.country, org.province)
        if key not in self.calendars:
            self.calendars[key] = calendar_for(org.country, org.province or None)
        return self.calendars[key].add_business_hours(start, hours)


class RowWriter:
    """Plain-tuple inserts with ids given up front: the ORM's per-object cost is what makes 200k slow.

    Values are prepared only where the backend needs it (dates on SQLite, JSON),
    then sent in big batches (`COPY` on PostgreSQL, `executemany` on SQLite);
    sequences are reset at the end.
    """

    def __init__(self, model: type[Any]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.prepare = [
            (lambda f: lambda value: f.get_db_prep_save(value, connection))(field)
            if field.get_internal_type() in ("DateTimeField", "JSONField")
            else None
            for field in self.fields
        ]
        columns = ", ".join(connection.ops.quote_name(field.column) for field in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        table = connection.ops.quote_name(model._meta.db_table)
        # Identifiers from the model's own metadata, quoted; values go as parameters.
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
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
                # COPY: one stream per batch instead of one statement per row, several times faster.
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, self.rows)
        self.written += len(self.rows)
        self.rows = []


def seed_requests(rng: random.Random, total: int, orgs: list[Organisation], people: People) -> dict[str, int]:
    now = timezone.now()
    weights = weighted_organisations(rng, orgs)
    picked = rng.choices(orgs, weights=weights, k=total)
    # Recent months are busier than old ones (the portal grows).
    ages = sorted((HISTORY_DAYS * (1 - math.sqrt(rng.random())) for _ in range(total)), reverse=True)
    due = DueTimes()
    counters: Counter[tuple[str, int]] = Counter()
    stats: Counter[str] = Counter()
    requests, comments, events = RowWriter(Request), RowWriter(Comment), RowWriter(Event)
    progress = Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console,
    )
    with progress:
        task = progress.add_task("Seeding requests", total=total)
        for start in range(0, total, BATCH):
            batch = list(zip(picked[start : start + BATCH], ages[start : start + BATCH], strict=True))
            for org, age in batch:
                created = now - timedelta(days=age, seconds=rng.randrange(3600))
                counters[(org.country, created.year)] += 1
                number = f"{org.country}-{created.year}-{counters[(org.country, created.year)]:06d}"
                requester = rng.choice(people.members[org.pk])
                language = requester.language
                kind = rng.choices(TYPES, weights=TYPE_WEIGHTS)[0]
                priority = rng.choices(PRIORITIES, weights=PRIORITY_WEIGHTS)[0]
                status = status_for(rng, age)
                details = details_for(rng, kind, org.country, created.year)
                subject = rng.choice(SUBJECTS[language][kind]).format(
                    invoice=details.get("invoice_number", ""), order=details.get("order_number", ""),
                    contract=details.get("contract_number", ""), serial=details.get("serial", ""),
                )
                is_open = status in rules.OPEN_STATUSES
                finished = created + timedelta(days=min(age, rng.uniform(0.5, 12)))
                assignee = None if status == Status.SUBMITTED else rng.choice(people.agents[org.country])
                request_id = requests.add(
                    organisation_id=org.pk,
                    number=number,
                    type=kind,
                    priority=priority,
                    status=status,
                    subject=subject,
                    description=" ".join(rng.sample(SENTENCES[language], 3)),
                    details=details,
                    requester_id=requester.pk,
                    assignee_id=assignee.pk if assignee else None,
                    contact_name=requester.get_full_name(),
                    contact_email=requester.email,
                    contact_phone="",
                    language=language,
                    created_at=created,
                    updated_at=finished if not is_open else min(now, created + timedelta(hours=rng.uniform(0, 48))),
                    first_response_at=None
                    if status == Status.SUBMITTED
                    else created + timedelta(hours=rng.uniform(0.2, 30)),
                    first_response_due=due(org, created, rules.first_response_target(priority), is_open),
                    resolution_due=due(org, created, rules.resolution_target(kind, priority), is_open),
                    waiting_since=now - timedelta(hours=rng.uniform(1, 72)) if status == Status.WAITING else None,
                    resolved_at=finished if status in (Status.RESOLVED, Status.CLOSED) else None,
                    closed_at=finished + timedelta(days=7) if status == Status.CLOSED else None,
                    rating=rng.choice([3, 4, 4, 5, 5, 5]) if status == Status.CLOSED and rng.random() < 0.3 else None,
                    rating_comment="",
                )
                events.add(organisation_id=org.pk, request_id=request_id, kind="submitted",
                           actor_id=requester.pk, data={}, internal=False, created_at=created)
                for role, at in comment_plan(rng, status, created, finished if not is_open else now):
                    internal = role == "internal"
                    if role == "customer":
                        author, body = requester, " ".join(rng.sample(SENTENCES[language], 2))
                    else:
                        author = assignee or people.agents[org.country][0]
                        body = rng.choice(INTERNAL_NOTES) if internal else rng.choice(AGENT_REPLIES[language])
                    comment_id = comments.add(organisation_id=org.pk, request_id=request_id, author_id=author.pk,
                                              body=body, internal=internal, created_at=at)
                    events.add(organisation_id=org.pk, request_id=request_id,
                               kind="internal_note" if internal else f"{role}_reply", actor_id=author.pk,
                               data={"comment": comment_id}, internal=internal, created_at=at)
                stats[status] += 1
            with transaction.atomic():
                for writer in (requests, comments, events):
                    writer.flush()
            progress.advance(task, len(batch))
    with transaction.atomic():
        for (country, year), last in counters.items():
            numbering.advance_to(sequence_key(country, year), last)  # the portal's next request follows on
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Request, Comment, Event]):
                cursor.execute(sql)
    stats.update(comments=comments.written, events=events.written)
    return dict(stats)


def comment_plan(rng: random.Random, status: str, created: datetime, until: datetime) -> list[tuple[str, datetime]]:
    """Who wrote what, when: agent and customer in turn, an internal note now and then."""
    count = {"submitted": 0, "assigned": rng.choice([0, 1]), "in_progress": rng.choice([1, 2]),
             "waiting_on_customer": rng.choice([1, 2, 3]), "resolved": rng.choice([1, 2, 3]),
             "closed": rng.choice([1, 1, 2, 2, 3, 4])}[status]
    span = max((until - created).total_seconds(), 60)
    times = sorted(created + timedelta(seconds=rng.uniform(30, span)) for _ in range(count))
    plan = [("agent" if i % 2 == 0 else "customer", at) for i, at in enumerate(times)]
    if count and rng.random() < 0.12:
        plan.append(("internal", times[0] + timedelta(minutes=5)))
    return plan


def add_comment_search_index() -> None:
    """The expression the console search filters comments by (selectors._search), indexed."""
    from django.contrib.postgres.search import SearchVector

    sql, params = (
        Comment._base_manager.annotate(document=SearchVector("body", config=selectors.SEARCH_CONFIG))
        .values("document")
        .query.sql_with_params()
    )
    expression = sql.removeprefix("SELECT ").split(' AS "document"')[0].replace('"support_comment".', "")
    with connection.cursor() as cursor:
        console.print(f"Indexing comments: {expression}")
        cursor.execute(f"CREATE INDEX IF NOT EXISTS bench_comment_search ON support_comment USING gin ({expression})",
                       params)
        cursor.execute("ANALYZE support_comment")


def analyse() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def seed_cases() -> int:
    """The case index ("My requests") for the seeded requests, in bulk (the seeding bypasses the
    services, so nothing indexed them), plus one repair case for every tenth request (synthetic
    rows of the index only: a list of several kinds, as a real organisation's is), each with
    its opening step on the timeline. `guichet sync_cases` does the same row by row."""
    with across_organisations():
        if Case.objects.filter(organisation__customer_number__startswith=f"{PREFIX}-").exists():
            return 0
        rows = (
            Request.objects.filter(organisation__customer_number__startswith=f"{PREFIX}-")
            .order_by("pk")
            .values_list("pk", "organisation_id", "number", "subject", "status", "requester_id", "type",
                         "created_at", "updated_at")
        )
        made = 0
        batch: list[Case] = []

        def flush() -> None:
            created = Case.objects.bulk_create(batch)
            CaseActivity.objects.bulk_create(
                CaseActivity(organisation_id=case.organisation_id, case=case, kind=case.kind, event="opened",
                             status=case.status, at=case.created_at)
                for case in created
            )
            batch.clear()

        for pk, org_id, number, subject, status, requester_id, kind, created, updated in rows.iterator(
            chunk_size=BATCH
        ):
            shared, waits_for = support_cases.STATUS[status]
            batch.append(Case(organisation_id=org_id, kind="request", source_id=pk, number=number,
                              title=subject[:200], status=shared, waits_for=waits_for, requester_id=requester_id,
                              open_to_requester=kind == rules.QUESTION_TYPE, url_name="support:detail",
                              url_args={"number": number}, created_at=created, updated_at=updated))
            if pk % 10 == 0:
                repair = f"SR-{number}"
                batch.append(Case(organisation_id=org_id, kind="repair", source_id=pk, number=repair,
                                  title=f"8286-42A 78B{pk:06d}", status=shared, waits_for=waits_for,
                                  requester_id=requester_id, url_name="inventory:repair",
                                  url_args={"number": repair}, created_at=created, updated_at=updated))
            if len(batch) >= BATCH:
                made += len(batch)
                flush()
        made += len(batch)
        flush()
    return made


def ensure_seeded(total: int, organisations: int) -> dict[str, Any]:
    with across_organisations():
        existing = Request.objects.filter(organisation__customer_number__startswith=f"{PREFIX}-").count()
        orgs = Organisation.objects.filter(customer_number__startswith=f"{PREFIX}-").count()
    if existing:
        if existing != total or orgs != organisations:
            sys.exit(
                f"This database already holds {existing:,} bench requests over {orgs:,} organisations; "
                "drop it (or point DATABASE_URL elsewhere) to seed a different size."
            )
        console.print(f"Reusing the {existing:,} seeded requests.")
        indexed = seed_cases()  # a database seeded before the case index gets it now
        if indexed:
            console.print(f"Indexed {indexed:,} cases.")
        return {"reused": True}
    rng = rng_state()
    started = time.perf_counter()
    with transaction.atomic():
        orgs_list, people = seed_people(rng, organisations)
    stats = seed_requests(rng, total, orgs_list, people)
    stats["cases"] = seed_cases()
    analyse()
    stats["seconds"] = round(time.perf_counter() - started)
    console.print(f"Seeded in {stats['seconds']} s: {stats}")
    return stats


# --- timing ------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    path: str
    rows: int
    queries: int
    samples: list[float]
    load: float  # 1-minute load average after the run: other work on the machine skews the figures

    def percentile(self, p: float) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)] * 1000


def timed(name: str, path: str, rows: int, get: Callable[[int], Any], count: int, budget: float) -> Result:
    for i in range(5):  # warm-up: templates, caches, the database's pages (less of it when slow)
        t0 = time.perf_counter()
        get(i)
        if i >= 1 and time.perf_counter() - t0 > 1:
            break
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
        if time.perf_counter() - started > budget and len(samples) >= MIN_SAMPLES:
            break
    return Result(name, path, rows, query_count, samples, os.getloadavg()[0])


def bench(count: int, budget: float) -> list[Result]:
    with across_organisations():
        org = Organisation.objects.get(customer_number=f"{PREFIX}-BE-00000")
        customer = Membership.objects.filter(organisation=org).select_related("user").order_by("id")[0].user
        agent = User.objects.get(email="agent0.be@bench.example")
    customer_client, agent_client, api_client = Client(), Client(), Client()
    customer_client.force_login(customer)
    agent_client.force_login(agent)
    token = ApiToken.issue(customer)
    api_headers = {"Authorization": f"Bearer {token}"}
    with tenant_scope(org):
        own = selectors.requests_of(org).count()
        own_search = selectors.requests_of(org, query="facture").count()
        cases_seen = Case.objects.filter(organisation=org).count()
        # The reader sees repairs too: the seeding granted My requests only.
        ApplicationGrant.objects.get_or_create(organisation=org, user=customer, application=Application.INVENTORY)
        reader = case_selectors.Reader(customer.pk, frozenset({"requests", "inventory"}), is_admin=False)
        deep_cursor = keyset_page(
            case_selectors.cases_of(org.pk, reader), ordering=case_selectors.ordering_for("title"), cursor=None,
            size=page_size("requests"), name="cases",
        ).next
    queue = selectors.queue_for(agent, selectors.QueueFilters()).count()
    searched = selectors.queue_for(agent, selectors.QueueFilters(query=SEARCH_TERMS[0])).count()
    lang = customer.language
    results = []
    scenarios: list[tuple[str, str, int, Callable[[int], Any]]] = [
        ("Customer request list (large organisation)", f"/{lang}/requests/", own,
         lambda i: customer_client.get(f"/{lang}/requests/")),
        ("Customer request list, search", f"/{lang}/requests/?q=facture", own_search,
         lambda i: customer_client.get(f"/{lang}/requests/", {"q": "facture"})),
        ("Console queue, default filters (BE agent)", "/en/console/requests/", queue,
         lambda i: agent_client.get("/en/console/requests/")),
        ("Console queue, search term", "/en/console/requests/?q=…", searched,
         lambda i: agent_client.get("/en/console/requests/", {"q": SEARCH_TERMS[i % len(SEARCH_TERMS)]})),
        ("API GET /api/v1/requests", "/api/v1/requests", own,
         lambda i: api_client.get("/api/v1/requests", headers=api_headers)),
        ("My requests: every case, sorted by title", f"/{lang}/requests/?sort=title", cases_seen,
         lambda i: customer_client.get(f"/{lang}/requests/", {"sort": "title"})),
        ("My requests: every case, next page (cursor)", f"/{lang}/requests/?sort=title&cursor=…", cases_seen,
         lambda i: customer_client.get(f"/{lang}/requests/", {"sort": "title", "cursor": deep_cursor or ""})),
        ("My requests: repairs only, search", f"/{lang}/requests/?kind=repair&q=42A", cases_seen,
         lambda i: customer_client.get(f"/{lang}/requests/", {"kind": "repair", "q": "42A"})),
        ("API GET /api/v1/cases", "/api/v1/cases", cases_seen,
         lambda i: api_client.get("/api/v1/cases", headers=api_headers)),
        ("API GET /api/v1/activity", "/api/v1/activity", cases_seen,
         lambda i: api_client.get("/api/v1/activity", headers=api_headers)),
    ]
    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), TimeElapsedColumn(), console=console)
    with progress:
        task = progress.add_task("Timing", total=len(scenarios))
        for name, path, rows, get in scenarios:
            progress.update(task, description=f"Timing: {name}")
            results.append(timed(name, path, rows, get, count, budget))
            progress.advance(task)
    return results


# --- report --------------------------------------------------------------------------------------


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


def table(results: list[Result]) -> Table:
    out = Table(title="Requests at scale")
    for column in ("scenario", "rows matched", "queries", "n", "p50 ms", "p95 ms", "load"):
        out.add_column(column, justify="left" if column == "scenario" else "right")
    for r in results:
        out.add_row(r.name, f"{r.rows:,}", str(r.queries), str(len(r.samples)), f"{r.percentile(50):.1f}",
                    f"{r.percentile(95):.1f}", f"{r.load:.1f}")
    return out


def seeding_note(key: str, seeded: dict[str, Any]) -> str:
    if "seconds" in seeded:
        return f"seeded in {seeded['seconds']} s"
    earlier = README.read_text() if README.exists() else ""
    block = re.search(rf"<!-- requests_scale:{key.split('-')[0]}:start -->.*?seeded in (\d+) s", earlier, re.DOTALL)
    return f"seeded in {block.group(1)} s by an earlier run" if block else "seeded by an earlier run"


def markdown(key: str, label: str, results: list[Result], seeded: dict[str, Any], total: int, orgs: int) -> str:
    with across_organisations():
        comments = Comment.objects.count()
    lines = [
        f"<!-- requests_scale:{key}:start -->",
        f"### {label} — {datetime.now(UTC).date().isoformat()}",
        "",
        f"Machine: {machine()}. Data: {total:,} requests over {orgs:,} organisations (BE/CA/RO), "
        f"{comments:,} comments"
        + f"; {seeding_note(key, seeded)}.",
        "",
        "| scenario | path | rows matched | queries | n | p50 ms | p95 ms | load |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | `{r.path}` | {r.rows:,} | {r.queries} | {len(r.samples)} | "
            f"{r.percentile(50):.1f} | {r.percentile(95):.1f} | {r.load:.1f} |"
        )
    lines.append(f"<!-- requests_scale:{key}:end -->")
    return "\n".join(lines)


SECTION_INTRO = """## Requests at scale

`bench/requests_scale/run.py` seeds 200,000 requests (2,000 organisations in BE, CA
and RO, Zipf-sized so a few are large; realistic ages, statuses, assignees and
comments) into the database named by `DATABASE_URL` (default: the SQLite file
`var/bench-requests.sqlite3`), then times each list ~200 times in-process with
Django's test Client, through the whole stack (middleware, auth, tenancy,
templates). "queries" is the number of SQL queries one such request runs; it
does not grow with the data (tests/support/test_queries.py asserts that);
"load" is the machine's 1-minute load average as the scenario ended: on 2
cores, anything above 2 means other work was competing for the CPU and the
times are inflated accordingly.

    .venv/bin/python bench/requests_scale/run.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_requests .venv/bin/python bench/requests_scale/run.py
"""


def write_readme(block: str, key: str) -> None:
    text = README.read_text() if README.exists() else "# Benchmarks\n\nResults of the benchmarks in this folder.\n"
    pattern = re.compile(
        rf"<!-- requests_scale:{key}:start -->.*?<!-- requests_scale:{key}:end -->", re.DOTALL
    )
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    elif "## Requests at scale" in text:
        # Append this database's block at the end of the section (before the next "## " heading).
        head, _, tail = text.partition("## Requests at scale")
        following = re.search(r"^## ", tail, re.MULTILINE)
        cut = following.start() if following else len(tail)
        text = head + "## Requests at scale" + tail[:cut].rstrip() + "\n\n" + block + "\n\n" + tail[cut:].lstrip()
    else:
        text = text.rstrip() + "\n\n" + SECTION_INTRO + "\n" + block + "\n"
    README.write_text(text.rstrip() + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--orgs", type=int, default=2_000)
    parser.add_argument("--timed", type=int, default=200, help="timed requests per scenario")
    parser.add_argument("--budget", type=float, default=100.0, help="seconds per scenario before stopping early")
    parser.add_argument("--no-readme", action="store_true", help="print only; leave bench/README.md alone")
    parser.add_argument("--seed-only", action="store_true", help="migrate and seed (or reuse), time nothing")
    parser.add_argument(
        "--comment-search-index",
        action="store_true",
        help="PostgreSQL: first add a GIN index on the comments' search vector (a proposal, not in the migrations)",
    )
    args = parser.parse_args()

    key, label = database_label()
    if args.comment_search_index:
        if connection.vendor != "postgresql":
            sys.exit("--comment-search-index is for PostgreSQL.")
        add_comment_search_index()
        key, label = f"{key}-comment-gin", f"{label} + GIN index on comment text (proposed)"
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # measure the schema as migrated, without an earlier run's index
            cursor.execute("DROP INDEX IF EXISTS bench_comment_search")
    console.print(f"Database: {label} — {connection.settings_dict['NAME']}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    seeded = ensure_seeded(args.requests, args.orgs)
    # The seeding writes rows in bulk, past the services: their SLA marks are filled as the
    # migration fills existing rows (a no-op on reused data that has them).
    call_command("backfill_sla", verbosity=0)
    if args.seed_only:
        return
    results = bench(args.timed, args.budget)
    console.print(table(results))
    if not args.no_readme:
        write_readme(markdown(key, label, results, seeded, args.requests, args.orgs), key)
        console.print(f"Written to {README.relative_to(ROOT)}")
    console.print(f"Total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
