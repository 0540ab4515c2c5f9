"""Help pages: articles with per-country facts, feedback, search, suggestions, insights."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from guichet.core.models import AuditEvent, SupportCentre
from guichet.help import services
from guichet.help.models import Article, ArticleTranslation, Feedback, SearchLog, SuggestionOpen
from guichet.help.search_store import get_index

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs: str) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def test_every_topic_is_shipped_in_three_languages() -> None:
    from guichet.help.content import bundled_topics

    topics = bundled_topics()
    assert len(topics) == 49
    assert Article.objects.count() == 49
    for topic in topics:
        assert {"en", "fr", "ro"} <= set(topic.translations), topic.slug


def test_home_lists_categories_for_the_readers_country(client) -> None:  # type: ignore[no-untyped-def]
    client.get(url("help:contact"), {"country": "RO"})
    categories = [value for value, _label, _links in client.get(url("help:home", "ro")).context["categories"]]
    assert "buytech" not in categories and "contracts" in categories
    client.get(url("help:contact"), {"country": "BE"})
    assert "buytech" in [v for v, _l, _ in client.get(url("help:home", "fr")).context["categories"]]


def test_article_shows_the_readers_country_phone(client) -> None:  # type: ignore[no-untyped-def]
    client.get(url("help:contact"), {"country": "RO"})
    page = client.get(url("help:article", "ro", slug="contact-support")).content.decode()
    assert "021 405 8100" in page and 'href="tel:+40214058100"' in page
    assert "{{" not in page
    client.get(url("help:contact"), {"country": "BE"})
    page = client.get(url("help:article", "fr", slug="contact-support")).content.decode()
    assert "02 339 23 45" in page and "021 405 8100" not in page


@pytest.mark.parametrize("language", ["en", "fr", "ro"])
def test_the_help_centre_leads_to_the_coverage_lookup(client, language) -> None:  # type: ignore[no-untyped-def]
    page = client.get(url("help:article", language, slug="device-not-covered")).content.decode()
    assert f'href="{url("inventory:lookup", language)}"' in page and "{{" not in page
    home = client.get(url("help:home", language)).content.decode()
    assert f'href="{url("inventory:lookup", language)}" data-testid="coverage-lookup"' in home


def test_one_centre_change_updates_every_article(client) -> None:  # type: ignore[no-untyped-def]
    SupportCentre.objects.filter(country="RO").update(phone="+40219999999")
    centre = SupportCentre.objects.get(country="RO")
    centre.save()  # the cache forgets on save
    client.get(url("help:contact"), {"country": "RO"})
    assert "021 999 9999" in client.get(url("help:article", "ro", slug="contact-support")).content.decode()


def test_buytech_article_is_404_outside_belgium(client) -> None:  # type: ignore[no-untyped-def]
    client.get(url("help:contact"), {"country": "CA"})
    assert client.get(url("help:article", "fr", slug="buytech-what-is")).status_code == 404


def test_missing_translation_falls_back_and_says_so(client) -> None:  # type: ignore[no-untyped-def]
    ArticleTranslation.objects.filter(article__slug="invoice-copy", language="ro").delete()
    client.get(url("help:contact"), {"country": "RO"})
    response = client.get(url("help:article", "ro", slug="invoice-copy"))
    assert response.status_code == 200
    assert response.context["view"].translation.language == "en"
    assert 'data-testid="fallback-notice"' in response.content.decode()


def test_feedback_is_recorded_once_per_reader(client) -> None:  # type: ignore[no-untyped-def]
    feedback_url = url("help:feedback", slug="invoice-copy")
    assert client.post(feedback_url, {"helpful": "no", "comment": "I need a duplicate"}).status_code == 200
    assert client.post(feedback_url, {"helpful": "yes"}).status_code == 200
    [feedback] = Feedback.objects.all()
    assert feedback.helpful is True
    assert client.post(feedback_url, {"helpful": "maybe"}).status_code == 400
    assert client.post(url("help:feedback", slug="no-such-article"), {"helpful": "yes"}).status_code == 404


def test_search_page_logs_submitted_searches_but_not_typing(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url("help:search", "fr"), {"q": "facture"})
    assert response.context["results"][0].slug in {"invoice-copy", "invoice-dispute", "payment-methods"}
    client.get(url("help:search", "fr"), {"q": "factu"}, headers={"HX-Request": "true"})
    assert list(SearchLog.objects.values_list("query", flat=True)) == ["facture"]


def test_htmx_search_returns_the_fragment_and_an_empty_state(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url("help:search", "en"), {"q": "qqqzzz"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'data-testid="no-results"' in body and "<html" not in body
    assert url("help:contact") in body


def test_suggestions_record_opens_and_later_submission(client) -> None:  # type: ignore[no-untyped-def]
    fragment = client.get(url("help:suggest"), {"q": "copy of my invoice"}).content.decode()
    assert url("help:suggestion", slug="invoice-copy") in fragment
    response = client.get(url("help:suggestion", slug="invoice-copy"), {"q": "copy of my invoice"})
    assert response.status_code == 302 and response["Location"] == url("help:article", slug="invoice-copy")
    opened = SuggestionOpen.objects.get()
    assert opened.query == "copy of my invoice" and opened.request_submitted_at is None

    request = RequestFactory().get("/")
    request.session = client.session
    assert services.request_submitted_after_suggestions(request=request) == 1


def test_a_session_that_opened_no_suggestion_marks_nothing(client, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    client.get(url("help:suggest"), {"q": "copy of my invoice"})  # shown, not opened
    session = client.session
    session.save()  # a session of its own, as a signed-in reader's
    request = RequestFactory().get("/")
    request.session = session
    with django_assert_num_queries(0):  # no UPDATE looking for rows it has none of
        assert services.request_submitted_after_suggestions(request=request) == 0


def test_check_answers_page_keeps_a_safe_next_link(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url("help:check"), {"q": "invoice copy", "next": "/en/access/"})
    assert response.context["next"] == "/en/access/" and response.context["results"]
    assert client.get(url("help:check"), {"q": "x", "next": "https://evil.example/"}).context["next"] == ""


def test_contact_page_shows_the_chosen_country(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get(url("help:contact", "ro"), {"country": "RO"}).content.decode()
    assert "021 405 8100" in page and "Bucharest Business Park" in page
    assert client.get(url("help:contact"), {"country": "XX"}).status_code == 400


def test_insights_are_for_administrators(client, agent_be, administrator) -> None:  # type: ignore[no-untyped-def]
    client.get(url("help:suggestion", slug="invoice-copy"))
    client.get(url("help:search"), {"q": "qqqzzz"})
    client.force_login(agent_be)
    assert client.get(url("help_console:insights")).status_code == 403
    client.force_login(administrator)
    response = client.get(url("help_console:insights"))
    assert response.status_code == 200
    assert response.context["empty"][0]["normalised"] == "qqqzzz"
    assert response.context["bars"][0]["deflected"] == 1
    assert 'data-testid="deflection-chart"' in response.content.decode()


def test_admin_edit_is_audited_and_reindexed(client, administrator) -> None:  # type: ignore[no-untyped-def]
    translation_row = ArticleTranslation.objects.get(article__slug="recycle-product", language="en")
    assert "zanzibarium" not in {h.slug for h in get_index().search("zanzibarium", language="en", country="BE")}
    client.force_login(administrator)
    change = reverse("admin:help_articletranslation_change", args=[translation_row.pk])
    assert "help-preview" in client.get(change).content.decode()
    response = client.post(
        change,
        {
            "article": translation_row.article_id,
            "language": "en",
            "title": translation_row.title,
            "keywords": "zanzibarium",
            "body": translation_row.body,
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="help.article_edited", target="recycle-product:en").exists()
    assert get_index().search("zanzibarium", language="en", country="BE")[0].slug == "recycle-product"


def test_command_and_api_return_the_same_results(client) -> None:  # type: ignore[no-untyped-def]
    queries = [("fr", "BE", "résilier mon contrat"), ("ro", "RO", "factura copie"), ("en", "CA", "where is my parcel")]
    for lang, country, q in queries:
        out = StringIO()
        call_command("help_search", q, lang=lang, country=country, json=True, stdout=out)
        from_command = json.loads(out.getvalue())
        from_api = client.get("/api/v1/help/search", {"q": q, "lang": lang, "country": country}).json()
        assert from_command == from_api and from_command


def test_command_jsonl_mode_answers_line_by_line(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    lines = [{"q": "facture", "lang": "fr", "country": "BE"}, {"q": "garantie", "lang": "fr", "country": "BE"}]
    monkeypatch.setattr("sys.stdin", StringIO("\n".join(json.dumps(line) for line in lines) + "\n"))
    out = StringIO()
    call_command("help_search", jsonl=True, stdout=out)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(answers) == 2 and all(isinstance(a, list) and a for a in answers)


def test_api_article_contact_and_bad_input(client) -> None:  # type: ignore[no-untyped-def]
    article = client.get("/api/v1/help/articles/contact-support", {"lang": "ro", "country": "RO"}).json()
    assert article["language"] == "ro" and "021 405 8100" in article["html"]
    contact = client.get("/api/v1/help/contact", {"country": "CA"}).json()
    assert contact["phones"][0]["e164"] == "+18668802765" and contact["timezone"] == "America/Toronto"
    # The vendor publishes no Canadian opening hours: the API says nothing about them.
    assert contact["opens_at"] is None and contact["open_now"] is None and contact["next_opening"] is None
    belgium = client.get("/api/v1/help/contact", {"country": "BE"}).json()
    assert belgium["opens_at"] == "08:30" and (belgium["next_opening"] is None) == belgium["open_now"]
    bad = client.get("/api/v1/help/search", {"q": "x", "lang": "xx"})
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"
    assert client.get("/api/v1/help/articles/nope").status_code == 404
    assert client.get("/api/v1/help/search").status_code == 422
