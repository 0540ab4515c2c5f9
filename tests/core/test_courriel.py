"""French says "courriel" (Quebec's word, which Belgian French accepts): no "e-mail" in what a reader sees.

The whole fr catalogue and the fr articles use "courriel" and "adresse courriel" (docs/glossary.md says
why one word serves both countries); this walks the pages a Quebec organisation's French-speaking
administrator reaches from the home page and reads their visible text, addresses themselves aside.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from tests.accounts.factories import OrganisationFactory, grant_all, make_member

ENGLISH_WORD = re.compile(r"\b(e-?mails?)\b", re.IGNORECASE)
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Pages that change something or leave the portal's French pages.
SKIP = re.compile(r"logout|/console/|\.pdf|\.csv|download|/api/|/media/|/static/|/admin/")
MAX_PAGES = 60


class _Page(HTMLParser):
    """The text a reader sees (not scripts, styles or attributes) and the links to follow."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "a" and (href := dict(attrs).get("href")):
            self.links.append(href)
        # A placeholder or an aria-label is read too.
        for name, value in attrs:
            if name in ("placeholder", "aria-label", "title", "alt") and value:
                self.text.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def visible_text(html: str) -> tuple[str, list[str]]:
    page = _Page()
    page.feed(html)
    return " ".join(page.text), page.links


def english_words(text: str) -> list[str]:
    return [match.group(0) for match in ENGLISH_WORD.finditer(ADDRESS.sub(" ", text))]


def test_the_check_sees_the_english_word_and_spares_addresses() -> None:
    assert english_words("Envoyer par e-mail à info@e-mail.example") == ["e-mail"]
    assert english_words("Courriel : info@example.com, adresse courriel") == []


@pytest.mark.django_db
def test_a_quebec_french_reader_sees_courriel_never_e_mail() -> None:
    organisation = OrganisationFactory(country="CA", province="QC", language="fr", name="Centre Laval")
    user = make_member(organisation, role="admin", email="admin@laval.example", language="fr")
    grant_all(user, organisation)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr-CA")
    client.force_login(user)
    queue, seen, offenders = ["/fr/"], set(), []
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        text, links = visible_text(response.content.decode())
        offenders += [f"{path}: {word}" for word in english_words(text)]
        for link in links:
            target = urlsplit(urljoin(path, link))
            if not target.netloc and target.path.startswith("/fr/") and not SKIP.search(target.path):
                queue.append(target.path)
    assert len(seen) > 20, seen  # the walk reached the portal, not only the home page
    assert not offenders
