"""The pages the HTTP bench measures, with what each needs, and its queries per request.

Run by bench/http/run.py in its own process (Django set up on the bench database):

    python bench/http/scenarios.py  →  one JSON object on stdout

For each scenario: its path, the headers that authenticate it (a session cookie made
with the real session engine, or an API token), and the number of SQL queries one
request makes (counted in process with Django's test Client, the same stack as over
HTTP). Sessions live in the database, so the gunicorn workers read them as any
browser's session.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.config.settings")
os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from guichet.accounts.models import (  # noqa: E402
    ApiToken,
    Application,
    ApplicationGrant,
    Membership,
    Organisation,
    User,
)
from guichet.billing.models import Invoice  # noqa: E402
from guichet.contracts.models import Contract  # noqa: E402
from guichet.core import data_versions  # noqa: E402
from guichet.core.models import Notification, OutboxMessage  # noqa: E402
from guichet.core.search import read_labels  # noqa: E402
from guichet.core.tenancy import across_organisations  # noqa: E402
from guichet.inventory.models import Machine  # noqa: E402
from guichet.orders.models import Order  # noqa: E402
from guichet.support.models import Request  # noqa: E402

PREFIX = "BENCH"  # bench/requests_scale's organisations
DEEP_PAGE = 400  # rows 10,000 to 10,025 of the largest organisation


def _session_cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _queries(path: str, headers: dict[str, str], measured: str | None = None) -> int:
    """One request's queries to `path` after a first one (or to `measured`, when its answer must not be
    kept from the first: a search typed for the first time)."""
    client = Client()
    cookie = headers.get("Cookie")
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    extra = {"HTTP_AUTHORIZATION": headers["Authorization"]} if "Authorization" in headers else {}
    client.get(path, **extra)  # warm: first-use caches are not the steady state wrk measures
    path = measured or path
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code} in process: the bench would measure an error")
    return len(captured)


# The form's CSRF secret: Django accepts the cookie's unmasked 32-character secret as the form token.
CSRF_SECRET = "benchhttpbenchhttpbenchhttp01234"  # noqa: S105 (a bench-only token)


def _form_create(lang: str, cookie: str) -> dict[str, Any]:
    """The request form's POST, as a browser sends it (session, CSRF cookie and field), checked once
    in process (a 302 to the new request) with its queries counted."""
    path = f"/{lang}/requests/new/?type=general"
    body = {
        "csrfmiddlewaretoken": CSRF_SECRET,
        "type": "general",
        "subject": BENCH_SUBJECT,
        "description": "Created by bench/http through the form.",
        "priority": "normal",
        "contact_name": "Bench Customer",
        "contact_email": "",  # filled below: the customer's own address is trusted
    }
    client = Client(enforce_csrf_checks=True)
    name, value = cookie.split("=", 1)
    client.cookies[name] = value
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    return {"path": path, "body": body, "client": client}


ONE_PORTAL_TABLES = (
    "contracts_contract",
    "contracts_coveredmachine",
    "inventory_machine",
    "billing_invoice",
    "orders_order",
    "orders_orderline",
    "orders_shipment",
)
VACUUMED_TABLES = ("support_request", "core_case")  # the lists whose capped counts read an index only
APPLICATIONS_PREFIX = "HT"  # the contracts, machines, invoices and orders seeded into the largest organisation
BELL_BACKLOG = 20_000  # notifications of the bench customer, a fifth unread
SEARCH = "maintenance"  # the global search: contract titles, and whatever else holds it
# A search typed for the first time: a different text at every request, from the organisation's own
# numbers, serials and subject words (bench/global_search/texts.py), the page's and the API's apart.
FIRST_TIME_TEXTS = 24_000  # 12,000 each: 20 s at 300 req/s take 6,000


def _module(name: str, path: Path) -> Any:
    """A bench module loaded from its file (it sets up nothing new here)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def first_time_searches(org: Organisation, lang: str) -> dict[str, list[str]]:
    """The paths of the first-time scenarios: the results page (with `all=1`, so a number lists its
    object rather than jumping to it) and the API, each with its own texts. What an earlier run kept
    is forgotten: the data versions the search reads are replaced (as any write to them would)."""
    search_texts = _module("search_texts", ROOT / "bench" / "global_search" / "texts.py")
    texts = search_texts.first_time_texts(org, FIRST_TIME_TEXTS)
    data_versions.bump(read_labels())
    # Alternate blocks of one mix each (texts.MIX), so that both get the same mix.
    mix = len(search_texts.MIX)
    page = [text for n, text in enumerate(texts) if n // mix % 2 == 0]
    api = [text for n, text in enumerate(texts) if n // mix % 2 == 1]
    return {
        "global_search_first": [f"/{lang}/search/?{urlencode({'q': text, 'all': '1'})}" for text in page],
        "api_search_first": [f"/api/v1/search?{urlencode({'q': text})}" for text in api],
    }


def _home_scale() -> Any:
    """bench/home_scale's seeders."""
    return _module("bench_home_scale", ROOT / "bench" / "home_scale" / "run.py")


def seed_one_portal(org: Organisation, customer: User) -> dict[str, int]:
    """What the one-portal pages list, at scale, for the largest organisation, once: every application
    granted to its first customer; bench/home_scale's contracts, machines, invoices and orders; and a
    backlog of notifications for the bell."""
    with across_organisations():
        ApplicationGrant.objects.bulk_create(
            [ApplicationGrant(organisation=org, user=customer, application=a) for a in Application.values],
            ignore_conflicts=True,
        )
        if not Contract.objects.filter(organisation=org, number__startswith=f"{APPLICATIONS_PREFIX}-").exists():
            with transaction.atomic():
                _home_scale().seed_applications(org, 1.0, APPLICATIONS_PREFIX)
        if not Notification.objects.filter(user=customer, template="contract_signed").exists():
            now = timezone.now()
            Notification.objects.bulk_create(
                (
                    Notification(
                        user=customer,
                        template="contract_signed",
                        category="contracts",
                        context={"number": f"{APPLICATIONS_PREFIX}-C-{n % 2000:06d}"},
                        link=f"/{customer.language}/contracts/",
                        created_at=now - timedelta(minutes=BELL_BACKLOG - n),
                        read_at=None if n % 5 == 0 else now,
                    )
                    for n in range(BELL_BACKLOG)
                ),
                batch_size=5000,
            )
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE core_notification")  # as autovacuum would
        # The bench's server runs without autovacuum: without statistics the planner guessed 7 rows for
        # an organisation's 5,000 orders and sorted them all (10-20 ms a page) instead of reading the
        # list's index (0.08 ms). Every run, as autovacuum would have by then.
        with connection.cursor() as cursor:
            for table in ONE_PORTAL_TABLES:
                cursor.execute(f"ANALYZE {table}")
            # Nor is a table ever vacuumed: its visibility map stays empty, so no count can be read from
            # an index alone (the API's capped count scanned the whole request table, 17 ms, instead of
            # 0.4 ms from the organisation's index). After the previous run's created requests are
            # deleted, as autovacuum would have by then; a second time costs next to nothing.
            for table in VACUUMED_TABLES:
                cursor.execute(f"VACUUM ANALYZE {table}")
        return {
            "contracts": Contract.objects.filter(organisation=org).count(),
            "machines": Machine.objects.filter(organisation=org).count(),
            "invoices": Invoice.objects.filter(organisation=org).count(),
            "orders": Order.objects.filter(organisation=org).count(),
            "notifications": Notification.objects.filter(user=customer).count(),
        }


def scenarios() -> dict[str, Any]:
    with across_organisations():
        org = Organisation.objects.get(customer_number=f"{PREFIX}-BE-00000")
        customer = Membership.objects.filter(organisation=org).select_related("user").order_by("id")[0].user
    one_portal = seed_one_portal(org, customer)
    with across_organisations():
        agent = User.objects.get(email="agent0.be@bench.example")
        newest = Request.objects.filter(organisation=org).order_by("-created_at").values_list("number", flat=True)[0]
        rows = Request.objects.filter(organisation=org).count()
    lang = customer.language
    as_customer = {"Cookie": _session_cookie(customer)}
    as_agent = {"Cookie": _session_cookie(agent)}
    as_client = {"Authorization": f"Bearer {ApiToken.issue(customer)}"}
    pages = {
        "customer_list": (f"/{lang}/requests/", as_customer),
        "customer_list_deep": (f"/{lang}/requests/?page={DEEP_PAGE}", as_customer),
        "console_queue": ("/en/console/requests/", as_agent),
        "request_detail_customer": (f"/{lang}/requests/{newest}/", as_customer),
        "request_detail_agent": (f"/en/console/requests/{newest}/", as_agent),
        "api_requests": ("/api/v1/requests", as_client),
        "help_home": (f"/{lang}/help/", {}),
        "help_search": (f"/{lang}/help/search/?q=facture+en+double", {}),
        # The one-portal pages (issue 17): the home, the bell, the global search, one list per application.
        "customer_home": (f"/{lang}/", as_customer),
        "notification_bell": (f"/{lang}/notifications/count/", as_customer),
        "global_search": (f"/{lang}/search/?q={SEARCH}", as_customer),
        "api_search": (f"/api/v1/search?q={SEARCH}", as_client),
        # The same, typed for the first time at every request (paths below).
        "global_search_first": ("", as_customer),
        "api_search_first": ("", as_client),
        "contracts_list": (f"/{lang}/contracts/", as_customer),
        "invoices_list": (f"/{lang}/billing/", as_customer),
        "orders_list": (f"/{lang}/orders/", as_customer),
        "machines_list": (f"/{lang}/inventory/", as_customer),
        "console_home": ("/en/console/", as_agent),
    }
    first_time = first_time_searches(org, lang)
    form = _form_create(lang, as_customer["Cookie"])
    form["body"]["contact_email"] = customer.email
    form["client"].post(form["path"], form["body"])  # warm
    with CaptureQueriesContext(connection) as captured:
        answer = form["client"].post(form["path"], form["body"])
    if answer.status_code != 302:
        raise SystemExit(f"the request form answered {answer.status_code} in process: {answer.content[:300]!r}")
    form_queries = len(captured)
    with CaptureQueriesContext(connection) as captured:
        created = Client().post(
            "/api/v1/requests",
            {"type": "general", "subject": BENCH_SUBJECT, "description": "Created by bench/http."},
            content_type="application/json",
            HTTP_AUTHORIZATION=as_client["Authorization"],
        )
    if created.status_code != 201:
        raise SystemExit(f"the API create answered {created.status_code} in process")
    api_queries = len(captured)
    return {
        "create_form": {
            "path": form["path"],
            "headers": {"Cookie": f"{as_customer['Cookie']}; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}"},
            "body": urlencode(form["body"]),
            "queries": form_queries,
        },
        "api_create_queries": api_queries,
        "pages": {name: _page(path, headers, first_time.get(name)) for name, (path, headers) in pages.items()},
        "create": {
            "path": "/api/v1/requests",
            "headers": as_client,
            "body": {"type": "general", "subject": BENCH_SUBJECT, "description": "Created by bench/http."},
        },
        "rows": {"organisation_requests": rows, **one_portal},
    }


def _page(path: str, headers: dict[str, str], paths: list[str] | None) -> dict[str, Any]:
    if paths is None:
        return {"path": path, "headers": headers, "queries": _queries(path, headers)}
    # The last two texts warm the workers and count the queries; wrk sends the others, each once.
    warm, counted, *measured = reversed(paths)
    return {"path": warm, "headers": headers, "queries": _queries(warm, headers, counted), "paths": measured[::-1]}


BENCH_SUBJECT = "Bench question"  # what the creation scenarios write


def forget_created() -> int:
    """Delete the requests an earlier run's creation scenarios added, so the data stays the seeded
    size (requests_scale refuses to reuse a database of another size)."""
    with across_organisations():
        deleted, _ = Request.objects.filter(
            organisation__customer_number__startswith=f"{PREFIX}-", subject=BENCH_SUBJECT
        ).delete()
        # Their e-mails and notifications too, so the bell and the outbox keep their seeded size.
        Notification.objects.filter(template="request_received", context__subject=BENCH_SUBJECT).delete()
        OutboxMessage.objects.filter(template="request_received", context__subject=BENCH_SUBJECT).delete()
    return deleted


if __name__ == "__main__":
    if sys.argv[1:] == ["--forget-created"]:
        print(
            json.dumps(
                {"deleted": forget_created() if "support_request" in connection.introspection.table_names() else 0}
            )
        )
    else:
        print(json.dumps(scenarios()))
