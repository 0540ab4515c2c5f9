"""The agents' queue prints byte for byte what it printed when its rows came from model instances.

`data/queue_page_<language>.html` is the queue's filters, bulk form and table as the page printed
them before it read only the columns it shows (issue 17), for requests in every service-level state
(breached, at risk, on time, paused, done, no due time, marks not yet stored), three countries'
support centres (Brussels, Bucharest, Montréal), long and marked-up subjects, an agent with no name.
The clock is fixed; request numbers, which sequences give, are replaced by their order of creation.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from guichet.core.calendar import calendar_of
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.support import services, sla
from guichet.support.models import Request, Status
from tests.accounts.factories import OrganisationFactory, grant_all, make_agent, make_member
from tests.support.conftest import url

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
NOW = datetime(2026, 12, 2, 14, 17, 31, tzinfo=UTC)  # a Wednesday, every centre open
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')

# (organisation, subject, type, priority, due relative to NOW or None, status, assignee)
ROWS = [
    ("be", "Facture en double", "invoices", "normal", -timedelta(days=12, hours=3), Status.SUBMITTED, None),
    (
        "be",
        "Câble réseau « défectueux » — remplacement demandé d'urgence pour le site de Namur",
        "general",
        "high",
        timedelta(hours=2, minutes=5),
        Status.IN_PROGRESS,
        "named",
    ),
    (
        "ro",
        'Factură <script>alert(1)</script> & "copie"',
        "invoices",
        "low",
        timedelta(days=6),
        Status.SUBMITTED,
        "nameless",
    ),
    ("ca", "Toner manquant", "orders", "urgent", timedelta(minutes=40), Status.ASSIGNED, "named"),
    ("ca", "Question sur le contrat", "general", "normal", timedelta(days=2), Status.WAITING, None),
    ("ro", "Réglé", "general", "normal", -timedelta(hours=5), Status.RESOLVED, None),
    ("be", "Sans échéance", "general", "normal", None, Status.SUBMITTED, None),
    ("ca", "Marques à calculer", "invoices", "high", -timedelta(hours=1, minutes=13), Status.SUBMITTED, None),
    ("be", "e\u0301" * 70, "general", "normal", timedelta(days=1, hours=1), Status.SUBMITTED, None),  # combining marks
]


def _page_part(html: str, numbers: list[str]) -> str:
    """From the filters to the end of the table, the CSRF token and the request numbers made constant."""
    start = html.rindex("<form", 0, html.index('data-testid="queue-filters"'))
    end = html.index("</table></div>", start) + len("</table></div>")
    part = CSRF.sub('name="csrfmiddlewaretoken" value="…"', html[start:end])
    for index, number in enumerate(numbers):
        part = part.replace(number, f"REQUEST-{index}")
    return part


@pytest.fixture
def queue_requests(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    organisations = {
        "be": OrganisationFactory(country="BE", name="Atelier Dupont & Fils", language="fr"),
        "ro": OrganisationFactory(country="RO", name="Tipografia <Nord> SRL", language="ro"),
        "ca": OrganisationFactory(country="CA", province="QC", name="Imprimerie « Laval » inc.", language="fr"),
    }
    customers = {}
    for key, organisation in organisations.items():
        customers[key] = make_member(
            organisation, role="admin", email=f"{key}@example.com", first_name="C", last_name=key
        )
        grant_all(customers[key], organisation)
    agents = {
        "named": {
            c: make_agent(c, email=f"named.{c}@example.com", first_name="Élodie", last_name="D'Hondt")
            for c in ("BE", "RO", "CA")
        },
        "nameless": {
            c: make_agent(c, email=f"x.{c}@example.com", first_name="", last_name="") for c in ("BE", "RO", "CA")
        },
    }
    numbers = []
    for key, subject, kind, priority, due, status, assignee in ROWS:
        organisation = organisations[key]
        with tenant_scope(organisation):
            item = services.request_submit(
                actor=customers[key],
                organisation=organisation,
                type=kind,
                subject=subject,
                priority=priority,
                description="…",
                details={"invoice_number": "INV-1", "order_number": "ORD-1"},
                contact={"name": "C", "email": customers[key].email},
            )
        fields: dict[str, object] = {"status": status, "assignee": None}
        if assignee:
            fields["assignee"] = agents[assignee][organisation.country]
        resolution_due = None if due is None else NOW + due
        fields["resolution_due"] = resolution_due
        if subject == "Marques à calculer":  # written before the marks existed: computed when shown
            fields["sla_at_risk_from"] = fields["sla_breached_from"] = None
        else:
            fields["sla_at_risk_from"], fields["sla_breached_from"] = sla.marks(
                calendar_of(organisation), resolution_due, kind, priority
            )
        with across_organisations():
            Request.objects.filter(pk=item.pk).update(**fields)
        numbers.append(item.number)
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return numbers


@pytest.mark.parametrize(
    ("name", "language", "query"),
    [
        ("default", "en", {}),
        ("all", "en", {"status": ""}),
        ("all", "fr", {"status": ""}),
        ("unassigned", "ro", {"status": "open", "assignee": "none"}),
        ("at_risk", "nl", {"q": "toner", "country": "CA", "type": "orders", "sla": "at_risk", "status": "open"}),
        ("refused", "en", {"q": "toner <b>", "sla": "nonsense"}),  # a value the form refuses: every open request
    ],
)
def test_the_queue_prints_what_it_printed(client, administrator, queue_requests, name, language, query) -> None:  # type: ignore[no-untyped-def]
    client.force_login(administrator)
    response = client.get(url("support_console:queue", language), query)
    assert response.status_code == 200
    part = _page_part(response.content.decode(), queue_requests)
    assert part == (DATA / f"queue_{name}_{language}.html").read_text()  # written by the code before the change
    # Every state is among the rows of the whole queue (the data above is what the file proves).
    if query == {"status": ""}:
        for state in ("breached", "at_risk", "ok", "paused", "done"):
            assert f'data-sla="{state}"' in part


def test_what_the_queue_keeps_follows_each_change_and_language(client, administrator, queue_requests) -> None:  # type: ignore[no-untyped-def]
    """The rows' HTML and the filters' are kept once printed (core.rows.kept_rows_html, the view's
    LRU): a request that changes is printed anew, and each language has its own filters."""
    client.force_login(administrator)
    first = queue_requests[0]
    before = client.get(url("support_console:queue", "en"), {"status": ""}).content.decode()
    assert 'aria-label="Filter the queue"' in before
    with across_organisations():
        item = Request.objects.get(number=first)
    with tenant_scope(item.organisation):
        services.request_assign(actor=administrator, request=item, assignee=administrator)
    after = client.get(url("support_console:queue", "en"), {"status": ""}).content.decode()
    row = after[after.index(f'<tr data-number="{first}">') :]
    row = row[: row.index("</tr>")]
    assert ">Assigned<" in row and administrator.get_full_name() in row
    french = client.get(url("support_console:queue", "fr"), {"status": ""}).content.decode()
    assert 'aria-label="Filtrer la file"' in french and 'aria-label="Filter the queue"' not in french
