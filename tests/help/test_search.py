"""Search: accents, stems, typos, synonyms, other languages, country filter, highlighting."""

from __future__ import annotations

import pytest

from guichet.help.search import HelpIndex, IndexedTranslation, highlight, snippet
from guichet.help.text import fold


def doc(slug: str, language: str, title: str, text: str, keywords: str = "", countries=("BE", "CA", "RO")):  # type: ignore[no-untyped-def]
    return IndexedTranslation(slug, language, title, keywords, text, "general", tuple(countries))


CORPUS = [
    doc(
        "terminate",
        "ro",
        "Cum reziliez contractul de mentenanță?",
        "Rezilierea se face cu o lună de preaviz după șase luni.",
    ),
    doc(
        "terminate",
        "fr",
        "Comment résilier un contrat de maintenance ?",
        "La résiliation demande un préavis d'un mois.",
    ),
    doc("terminate", "en", "How do I end a maintenance contract?", "Ending maintenance needs one month's notice."),
    doc("invoice", "fr", "Obtenir une copie de facture", "Téléchargez vos factures et notes de crédit en PDF."),
    doc("invoice", "en", "Get a copy of an invoice", "Download your invoices and credit notes as PDF."),
    doc("invoice", "ro", "Copia unei facturi", "Descărcați facturile în format PDF."),
    doc("buytech", "fr", "Qu'est-ce que Buy Tech ?", "Du matériel reconditionné pour les ASBL.", countries=("BE",)),
    doc("buytech", "en", "What is Buy Tech?", "Refurbished equipment for nonprofits.", countries=("BE",)),
    doc("repair", "en", "Getting a repair", "A technician comes on site or you mail the machine in."),
    doc("repair", "fr", "Obtenir une réparation", "Un technicien vient sur place."),
]


@pytest.fixture(scope="module")
def index() -> HelpIndex:
    return HelpIndex(CORPUS, embedder=None)


def top(index: HelpIndex, query: str, language: str = "fr", country: str = "BE") -> str | None:
    hits = index.search(query, language=language, country=country)
    return hits[0].slug if hits else None


def test_accents_are_folded() -> None:
    assert fold("Reziliați contractul ȘȚĂÎÂ éèêœ") == "reziliati contractul staia eeeoe"


@pytest.mark.parametrize("query", ["reziliere contract mentenanta", "rezilierea contractului", "REZILIERE"])
def test_romanian_without_diacritics_finds_the_article(index: HelpIndex, query: str) -> None:
    assert top(index, query, "ro", "RO") == "terminate"


def test_stemming_matches_other_forms(index: HelpIndex) -> None:
    assert top(index, "résiliations", "fr") == "terminate"
    assert top(index, "facturé", "fr") == "invoice"


@pytest.mark.parametrize("query", ["factrue", "facutre pdf", "reparaton"])
def test_typos_are_tolerated(index: HelpIndex, query: str) -> None:
    assert top(index, query, "fr") in {"invoice", "repair"}
    assert top(index, query, "fr") == ("repair" if "rep" in query else "invoice")


def test_synonyms_cross_words(index: HelpIndex) -> None:
    assert top(index, "bill", "en") == "invoice"  # "bill" is nowhere in the articles
    assert top(index, "cancel", "en") == "terminate"


def test_english_query_in_the_french_interface_finds_its_answer(index: HelpIndex) -> None:
    assert top(index, "refurbished equipment", "fr", "BE") == "buytech"


def test_country_filter_hides_articles_of_other_countries(index: HelpIndex) -> None:
    assert top(index, "buy tech refurbished", "en", "BE") == "buytech"
    assert all(hit.slug != "buytech" for hit in index.search("buy tech refurbished", language="en", country="RO"))


def test_unfinished_last_word_completes(index: HelpIndex) -> None:
    assert top(index, "techni", "fr") == "repair"


def test_nonsense_finds_nothing(index: HelpIndex) -> None:
    assert index.search("zzzqqq xkcdw", language="en", country="BE") == []
    assert index.search("   ", language="en", country="BE") == []


def test_reader_language_is_preferred_among_translations(index: HelpIndex) -> None:
    hits = index.search("contract", language="ro", country="RO")
    assert hits[0].slug == "terminate"


def test_highlight_marks_matching_words_and_escapes_html() -> None:
    stems = {"factur"}
    assert highlight("Vos <b>factures</b> en PDF", stems) == "Vos &lt;b&gt;<mark>factures</mark>&lt;/b&gt; en PDF"


def test_snippet_picks_the_matching_sentence() -> None:
    text = "Nothing here. Your invoices are in PDF. Other words."
    assert "<mark>invoices</mark>" in snippet(text, {"invoic"})
    assert "Nothing here" not in snippet(text, {"invoic"})


def test_an_empty_help_centre_answers_nothing_rather_than_failing() -> None:
    empty = HelpIndex([], embedder=None)
    assert empty.search("facture", language="fr", country="BE") == []
    assert empty.parse("facture").typed == []
