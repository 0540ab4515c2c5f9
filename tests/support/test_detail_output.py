"""A request's page, the customer's and the agent's, prints byte for byte what it printed before it
was prepared in Python (issue 17).

`data/detail_<reader>_<state>_<language>.html` is the page's `<title>` and `<main>` as the Django
templates printed them, for a request in each state: just submitted (nothing answered yet), in
progress with a whole conversation (the customer's and the agent's messages with their files, an
internal note with an internal file, status changes, an assignment, a file added on its own,
marked-up text), waiting on the customer (its service level paused), resolved and not rated (the
rating and reopening forms), closed and rated with a comment. The clock is fixed; the times of the
events are set; request numbers, which sequences give, are replaced by their state, and the CSRF
token by an ellipsis.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from guichet.accounts.models import Organisation, User
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.support import services
from guichet.support.models import Attachment, Comment, Event, Request, Status
from tests.accounts.factories import OrganisationFactory, grant_all, make_agent, make_member
from tests.support.conftest import PDF, url

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
NOW = datetime(2026, 12, 2, 14, 17, 31, tzinfo=UTC)  # a Wednesday, the Brussels centre open
START = NOW - timedelta(days=3, hours=5, minutes=12)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
FILE = re.compile(r"/attachments/(\d+)/")
AGENT = re.compile(r'<option value="(\d+)"')
LANGUAGES = ("en", "fr", "nl", "ro")
STATES = ("submitted", "in_progress", "waiting", "resolved", "closed_rated")
# Set to write the files again from the code as it is (only before a change of output).
WRITE = os.environ.get("GOLDEN_WRITE") == "1"


def _page_part(html: str, numbers: dict[str, str]) -> str:
    """The title and `<main>`; what the database numbers (requests, customer, files, agents) made
    constant, with the CSRF token."""
    title = html[html.index("<title>") : html.index("</title>") + len("</title>")]
    main = html[html.index("<main") : html.index("</main>") + len("</main>")]
    part = CSRF.sub('name="csrfmiddlewaretoken" value="…"', title + "\n" + main)
    for state, number in numbers.items():
        part = part.replace(number, f"REQUEST-{state.upper()}")
    with across_organisations():
        files = dict(Attachment.objects.values_list("pk", "original_name"))
        part = part.replace(Organisation.objects.get().customer_number, "CUSTOMER-NUMBER")
    agents = dict(User.objects.filter(kind=User.Kind.AGENT).values_list("pk", "email"))
    part = FILE.sub(lambda m: f"/attachments/{files[int(m[1])]}/", part)
    return AGENT.sub(lambda m: f'<option value="{agents[int(m[1])]}"', part)


def _conversation(item: Request, customer: User, agent: User) -> None:
    """Every kind of event a request's story holds, files and an internal note among them."""
    with tenant_scope(item.organisation):
        services.request_assign(actor=agent, request=item, assignee=agent)
        services.request_set_status(actor=agent, request=item, status=Status.IN_PROGRESS)
        services.agent_comment(
            actor=agent,
            request=item,
            body="Bonjour,\n\nPouvez-vous confirmer le numéro <b>exact</b> ?",
            files=[("capture écran.pdf", PDF)],
        )
        services.agent_comment(
            actor=agent,
            request=item,
            body="Client connu : vérifier l'avoir & la remise.",
            internal=True,
            files=[("notes-internes.pdf", PDF * 40)],
        )
        services.customer_reply(
            actor=customer, request=item, body="Oui : INV-1.\nMerci « beaucoup ».", files=[("facture.pdf", PDF)]
        )


def _fix_times(item: Request, **fields: object) -> None:
    """Events a minute and a bit apart from START, the request's own times set: the same page each run."""
    with across_organisations():
        for index, pk in enumerate(Event.objects.filter(request=item).order_by("created_at", "id").values_list("pk")):
            Event.objects.filter(pk=pk[0]).update(created_at=START + timedelta(hours=7 * index, minutes=index))
        Comment.objects.filter(request=item).update(created_at=START)
        Attachment.objects.filter(request=item).update(created_at=START)
        Request.objects.filter(pk=item.pk).update(
            created_at=START,
            updated_at=START + timedelta(days=1, minutes=3),
            first_response_due=START + timedelta(hours=8),
            resolution_due=NOW + timedelta(hours=30),
            **fields,
        )


@pytest.fixture
def detail_requests(monkeypatch) -> dict[str, str]:  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(country="BE", name="Atelier Dupont & Fils", language="fr")
    customer = make_member(
        organisation, role="admin", email="claire@example.com", first_name="Claire", last_name="O'Brien"
    )
    grant_all(customer, organisation)
    agent = make_agent("BE", email="elodie@example.com", first_name="Élodie", last_name="D'Hondt")
    make_agent("BE", email="nameless@example.com", first_name="", last_name="")
    make_agent("BE", email="anton@example.com", first_name="Anton", last_name="<Aerts>")
    make_agent("RO", email="other@example.com", first_name="Ioana", last_name="Popescu")  # another country's
    numbers = {}
    for state in STATES:
        with tenant_scope(organisation):
            item = services.request_submit(
                actor=customer,
                organisation=organisation,
                type="invoices",
                subject=f'Facture <script>alert("{state}")</script> & copie',
                priority="high",
                description="Ligne 1\nLigne 2 <i>non</i> & « fin »",
                details={"invoice_number": "INV-1", "order_number": "ORD-1"},
                contact={"name": "Claire O'Brien", "email": customer.email, "phone": "+32 2 555 01 01"},
            )
        numbers[state] = item.number
        fields: dict[str, object] = {}
        if state != "submitted":
            _conversation(item, customer, agent)
            fields["first_response_at"] = START + timedelta(hours=2)
        with tenant_scope(organisation):
            if state == "waiting":
                services.request_set_status(actor=agent, request=item, status=Status.WAITING)
                fields["waiting_since"] = NOW - timedelta(hours=2)
            if state in ("resolved", "closed_rated"):
                services.request_set_status(actor=agent, request=item, status=Status.RESOLVED)
                fields["resolved_at"] = NOW - timedelta(days=1)
            if state == "closed_rated":
                services.request_rate(actor=customer, request=item, rating=4, comment="Rapide,\nmerci <3")
                services.customer_close(actor=customer, request=item)
                fields["closed_at"] = NOW - timedelta(hours=20)
        _fix_times(item, **fields)
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return numbers


def _compare(part: str, name: str) -> None:
    path = DATA / f"{name}.html"
    if WRITE:
        path.write_text(part)
    assert part == path.read_text()  # written by the code before the change


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_customers_request_page_prints_what_it_printed(client, detail_requests, language) -> None:  # type: ignore[no-untyped-def]
    client.force_login(User.objects.get(email="claire@example.com"))
    for state, number in detail_requests.items():
        response = client.get(url("support:detail", language, number=number))
        assert response.status_code == 200
        part = _page_part(response.content.decode(), detail_requests)
        _compare(part, f"detail_customer_{state}_{language}")
        # What the files prove: internal notes and their files never reach the customer.
        assert "Client connu" not in part and "notes-internes.pdf" not in part and "data-internal" not in part


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_agents_request_page_prints_what_it_printed(client, administrator, detail_requests, language) -> None:  # type: ignore[no-untyped-def]
    client.force_login(administrator)
    for state, number in detail_requests.items():
        response = client.get(url("support_console:detail", language, number=number))
        assert response.status_code == 200
        part = _page_part(response.content.decode(), detail_requests)
        _compare(part, f"detail_agent_{state}_{language}")
        if state != "submitted":
            assert "Client connu" in part and "notes-internes.pdf" in part and 'data-internal="true"' in part
