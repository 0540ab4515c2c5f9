"""The signed-in layout (base.html's head, header and footer) prints byte for byte what it printed
when Django's templates printed it (issue 17: the layout printed from prepared values).

`data/layout/<page>_<language>.html` is everything of a page but its `<main>`, written by the code
before the change, for each kind of reader: anonymous (the help centre, with the country chooser), a
customer of one organisation (an application's page: its menu entry current), a customer of several
(the switcher), an organisation's admin ("My team"), an agent (the console menu, its current entry)
and an administrator; in en, fr, nl and ro. The CSRF token and the organisations' ids are made
constant. The clock is fixed: the support centres open (Wednesday afternoon) or closed (Sunday).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.utils import timezone

from guichet.accounts.models import Membership, Organisation
from guichet.core.context_processors import COUNTRY_COOKIE
from tests.accounts.factories import OrganisationFactory, grant_all, make_agent, make_member
from tests.support.conftest import url

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "layout"
OPEN = datetime(2026, 12, 2, 14, 17, 31, tzinfo=UTC)  # a Wednesday afternoon: every centre open
CLOSED = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)  # a Sunday: every centre closed
LANGUAGES = ("en", "fr", "nl", "ro")
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


def _layout(html: str, ids: dict[int, str]) -> str:
    """The page without its `<main>`, the CSRF token and the organisations' ids made constant."""
    head, _, rest = html.partition('<main id="main"')
    _, _, tail = rest.partition("</main>")
    text = TOKEN.sub(r'\1…"', head + "<main/>" + tail)
    for pk, name in ids.items():
        text = text.replace(f'<option value="{pk}"', f'<option value="{name}"')
    return text


@pytest.fixture
def people() -> dict[str, object]:
    brussels = OrganisationFactory(country="BE", name="Atelier Dupont & Fils", language="fr")
    bucharest = OrganisationFactory(country="RO", name="Tipografia <Nord> SRL", language="ro")
    quebec = OrganisationFactory(country="CA", province="QC", name="Imprimerie « Laval » inc.", language="fr")
    one = make_member(brussels, email="one@example.com", first_name="Anne", last_name="O'Neil")
    grant_all(one, brussels, ["requests", "invoices"])
    several = make_member(bucharest, email="several@example.com", first_name="", last_name="")
    Membership.objects.create(user=several, organisation=quebec, role="member")
    grant_all(several, bucharest)
    grant_all(several, quebec, ["orders"])
    admin = make_member(quebec, role="admin", email="admin@example.com", first_name="Zoé", last_name="<Tremblay>")
    grant_all(admin, quebec)
    return {
        "one": one,
        "several": several,
        "org_admin": admin,
        "agent": make_agent("BE", email="agent@example.com", first_name="Élodie", last_name="D'Hondt"),
        "administrator": make_agent("", kind="admin", email="root@example.com", first_name="Root", last_name="A"),
        "ids": {brussels.pk: "BRUSSELS", bucharest.pk: "BUCHAREST", quebec.pk: "QUEBEC"},
    }


# (file name, who, URL name, its arguments)
PAGES = [
    ("one_organisation", "one", "support:list"),  # an application's landing page: current in the menu
    ("several_organisations", "several", "portal:profile"),
    ("organisation_admin", "org_admin", "portal:profile"),
    ("agent", "agent", "support_console:queue"),
    ("administrator", "administrator", "console:home"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "who", "view"), PAGES)
def test_the_signed_in_layout_prints_what_it_printed(client, monkeypatch, people, name, who, view, language) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(timezone, "now", lambda: OPEN)
    client.force_login(people[who])
    response = client.get(url(view, language))
    assert response.status_code == 200
    assert _layout(response.content.decode(), people["ids"]) == (DATA / f"{name}_{language}.html").read_text()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("state", "now", "country"), [("open", OPEN, "RO"), ("closed", CLOSED, "BE")])
def test_the_anonymous_layout_prints_what_it_printed(client, monkeypatch, state, now, country, language) -> None:  # type: ignore[no-untyped-def]
    """The help centre for a visitor: the country chooser, the centre open or closed."""
    monkeypatch.setattr(timezone, "now", lambda: now)
    client.cookies[COUNTRY_COOKIE] = country
    response = client.get(url("help:home", language))
    assert response.status_code == 200
    assert _layout(response.content.decode(), {}) == (DATA / f"anonymous_{state}_{language}.html").read_text()


def test_the_layout_follows_the_person_and_the_path(client, monkeypatch, people) -> None:  # type: ignore[no-untyped-def]
    """What is the request's own (the path, the person's name, the CSRF token) is printed for each page."""
    monkeypatch.setattr(timezone, "now", lambda: OPEN)
    client.force_login(people["one"])
    first = client.get(url("support:list", "en") + "?a=1&b=<2>").content.decode()
    assert '<input type="hidden" name="next" value="/en/requests/?a=1&amp;b=%3C2%3E">' in first
    assert ">Anne O&#x27;Neil</button>" in first
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', first)
    assert len(tokens) == 2 and all(len(token) == 64 for token in tokens)
    assert re.search(r'"X-CSRFToken": "[A-Za-z0-9]{64}"', first)
    client.force_login(people["org_admin"])
    second = client.get(url("portal:profile", "en")).content.decode()
    assert ">Zoé &lt;Tremblay&gt;</button>" in second and "Anne" not in second
    assert 'name="next" value="/en/profile/"' in second and "/en/requests/" in second  # the menu's link


def test_what_the_layout_keeps_follows_each_change(client, monkeypatch, people) -> None:  # type: ignore[no-untyped-def]
    """The printed header and footer are kept per language, menu and organisations (core/layout.py):
    a renamed organisation, another page of the console, another language, another state of the
    centre are each printed anew."""
    monkeypatch.setattr(timezone, "now", lambda: OPEN)
    client.force_login(people["one"])
    assert "Atelier Dupont &amp; Fils" in client.get(url("support:list", "en")).content.decode()
    Organisation.objects.filter(name="Atelier Dupont & Fils").update(name="Atelier Dupont SA")
    page = client.get(url("support:list", "en")).content.decode()
    assert ">Atelier Dupont SA<" in page and "Fils" not in page
    assert 'class="nav-link active" aria-current="page" href="/en/requests/"' in page
    page = client.get(url("billing:invoices", "en")).content.decode()
    assert 'class="nav-link active" aria-current="page" href="/en/billing/"' in page
    assert 'class="nav-link active" aria-current="page" href="/en/requests/"' not in page
    client.force_login(people["agent"])
    queue = client.get(url("support_console:queue", "fr")).content.decode()
    assert 'aria-current="page" href="/fr/console/requests/"' in queue and "Ouvert maintenant" in queue
    monkeypatch.setattr(timezone, "now", lambda: CLOSED)
    home = client.get(url("console:home", "nl")).content.decode()
    assert 'aria-current="page" href="/nl/console/"' in home and 'href="/nl/console/requests/"' in home
    assert "Gesloten" in home and 'aria-current="page" href="/nl/console/requests/"' not in home
