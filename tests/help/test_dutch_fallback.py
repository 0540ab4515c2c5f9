"""An article not yet written in Dutch is shown in English, with a notice saying so in Dutch.

English, not French: the English article is the source of every translation, and a reader
who chose Dutch is not answered in the other national language (see help/selectors.py).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from guichet.help.models import ArticleTranslation

pytestmark = pytest.mark.django_db


def test_a_missing_dutch_article_falls_back_to_english_and_says_so(client) -> None:  # type: ignore[no-untyped-def]
    ArticleTranslation.objects.filter(article__slug="invoice-copy", language="nl").delete()
    with translation.override("nl"):
        url = reverse("help:article", kwargs={"slug": "invoice-copy"})
    assert url.startswith("/nl/")
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["view"].translation.language == "en"
    page = response.content.decode()
    assert "Dit artikel is nog niet beschikbaar in uw taal; het wordt getoond in het Engels." in page
    api = client.get("/api/v1/help/articles/invoice-copy", {"lang": "nl", "country": "BE"})
    assert api.status_code == 200 and api.json()["language"] == "en" and api.json()["fallback"] is True
