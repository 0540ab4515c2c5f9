"""The stored help search index: built by `build_search_index`, loaded by each process without
rebuilding, rebuilt when an article changes; results cached per version, language, country."""

from __future__ import annotations

from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from guichet.help import search_store, selectors
from guichet.help.models import ArticleTranslation, SearchIndexSnapshot
from guichet.help.search import Embedder, HelpIndex, IndexedTranslation, passage_texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process as just started: no index in memory."""
    monkeypatch.setattr(search_store, "_memo", search_store._Memo())


def build(*args: str) -> str:
    out = StringIO()
    call_command("build_search_index", *args, stdout=out)
    return out.getvalue()


def slugs(query: str, language: str = "en", country: str = "BE") -> list[str]:
    return [h.slug for h in search_store.get_index().search(query, language=language, country=country)]


def test_the_command_stores_the_index_and_skips_a_current_one(fresh_process: None) -> None:
    assert "built: 196 translations" in build()
    row = SearchIndexSnapshot.objects.get()
    assert row.documents == 196 and row.stamp == search_store.current_stamp()
    assert "already current" in build()
    assert SearchIndexSnapshot.objects.get().built_at == row.built_at
    assert "built" in build("--force")
    assert SearchIndexSnapshot.objects.get().built_at > row.built_at


def test_a_new_process_loads_the_stored_index_without_building_it(
    fresh_process: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    build()
    expected = slugs("facture en double", "fr")
    monkeypatch.setattr(search_store, "_memo", search_store._Memo())  # another process starts

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("the stored index must be loaded, not rebuilt")

    monkeypatch.setattr(search_store, "build_and_store", no_build)
    monkeypatch.setattr(HelpIndex, "__init__", no_build)
    assert slugs("facture en double", "fr") == expected
    assert expected  # found, from the loaded copy
    assert search_store._memo.version == SearchIndexSnapshot.objects.get().version


def test_a_fresh_database_builds_and_stores_on_the_first_search(fresh_process: None) -> None:
    assert not SearchIndexSnapshot.objects.exists()
    assert slugs("invoice copy")[0] == "invoice-copy"
    assert SearchIndexSnapshot.objects.get().documents == 196


def test_editing_a_translation_rebuilds_the_stored_index(
    fresh_process: None, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    build()
    before = SearchIndexSnapshot.objects.get().version
    assert "recycle-product" not in slugs("zanzibarium")
    row = ArticleTranslation.objects.get(article__slug="recycle-product", language="en")
    row.keywords = f"{row.keywords} zanzibarium"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        row.save()
    assert len(callbacks) == 1  # the rebuild task, enqueued once the edit is committed
    stored = SearchIndexSnapshot.objects.get()
    assert stored.version != before and stored.stamp == search_store.current_stamp()
    assert slugs("zanzibarium")[0] == "recycle-product"


def test_an_edit_is_seen_even_before_the_task_ran(fresh_process: None) -> None:
    build()
    assert "recycle-product" not in slugs("zanzibarium")
    ArticleTranslation.objects.filter(article__slug="recycle-product", language="en").first().delete()  # type: ignore[union-attr]
    row = ArticleTranslation.objects.get(article__slug="recycle-product", language="fr")
    row.title = f"{row.title} zanzibarium"
    row.save()  # no commit in this test: the stamp changed, so the searching process rebuilds
    assert slugs("zanzibarium")[0] == "recycle-product"
    assert "recycle-product:en" not in {f"{d.slug}:{d.language}" for d in search_store.get_index().docs}


def test_an_unpublished_article_leaves_the_index(fresh_process: None) -> None:
    assert slugs("invoice copy")[0] == "invoice-copy"
    article = ArticleTranslation.objects.filter(article__slug="invoice-copy").first().article  # type: ignore[union-attr]
    article.published = False
    article.save()
    assert "invoice-copy" not in slugs("invoice copy")


class Counting:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, str, str]] = []
        real = selectors._search

        def counted(index: HelpIndex, query: str, *, language: str, country: str, limit: int):  # type: ignore[no-untyped-def]
            self.calls.append((query, language, country))
            return real(index, query, language=language, country=country, limit=limit)

        monkeypatch.setattr(selectors, "_search", counted)


def test_results_are_cached_per_language_country_and_normalised_query(
    fresh_process: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = Counting(monkeypatch)
    first = selectors.search_articles("Facture  en double", language="fr", country="BE")
    again = selectors.search_articles(" facture en DOUBLE ", language="fr", country="BE")
    assert again == first and counting.calls == [("facture en double", "fr", "BE")]
    english = selectors.search_articles("facture en double", language="en", country="BE")
    assert english[0].url.startswith("/en/") and first[0].url.startswith("/fr/")
    selectors.search_articles("facture en double", language="fr", country="RO")
    selectors.search_articles("facture en double", language="fr", country="BE", limit=3)
    assert len(counting.calls) == 4


def test_an_article_change_is_a_new_cache_version(fresh_process: None, monkeypatch: pytest.MonkeyPatch) -> None:
    counting = Counting(monkeypatch)
    assert selectors.search_articles("zanzibarium", language="en", country="BE") == []
    row = ArticleTranslation.objects.get(article__slug="recycle-product", language="en")
    row.keywords = "zanzibarium"
    row.save()
    assert selectors.search_articles("zanzibarium", language="en", country="BE")[0].slug == "recycle-product"
    assert len(counting.calls) == 2


def test_a_change_to_the_synonym_groups_is_a_new_index_version(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = search_store.published_docs()
    before = search_store.content_version(docs, "")
    monkeypatch.setattr(search_store, "GROUPS", [*search_store.GROUPS, frozenset({"zanzibar", "zanzibarium"})])
    assert search_store.content_version(docs, "") != before


def test_an_embedder_reembeds_only_changed_passages_and_caches_query_vectors(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    monkeypatch.setenv("HELP_SEMANTIC_SEARCH", "auto")
    embedder = Embedder()
    docs = [
        IndexedTranslation("a", "fr", "Changer mon mot de passe", "", "Ouvrez votre profil.", "general", ("BE",)),
        IndexedTranslation("b", "fr", "Suivre une livraison", "", "Chaque colis a un lien.", "orders", ("BE",)),
    ]
    index = HelpIndex(docs, embedder)
    assert index.embedding_model == Embedder.name and index.embeddings is not None
    other = Embedder()  # another process, primed from the stored vectors
    other.remember(passage_texts(docs), index.embeddings)
    edited = [docs[0], IndexedTranslation("b", "fr", "Suivre un colis", "", "Un lien.", "orders", ("BE",))]
    assert other.count_missing(passage_texts(edited)) == 2  # b's opening and heading, none of a's

    other.query_cache = cache
    calls: list[str] = []
    real_query = other._model.query
    monkeypatch.setattr(other._model, "query", lambda text: calls.append(text) or real_query(text))
    first = other.query("mot de passe oublié")
    assert np.array_equal(other.query("mot de passe oublié"), first) and calls == ["mot de passe oublié"]


def test_each_published_translation_carries_its_categorys_name_in_its_language() -> None:
    docs = {(d.slug, d.language): d for d in search_store.published_docs()}
    assert docs["buytech-what-is", "nl"].category_label == "Buy Tech-programma"
    assert docs["invoice-copy", "fr"].category_label == "Factures et paiements"


@pytest.mark.parametrize(("language", "country"), [("fr", "BE"), ("nl", "BE"), ("en", "CA"), ("ro", "RO")])
def test_links_are_the_results_without_their_snippets_kept_apart(language: str, country: str) -> None:
    """The header's global search lists `find_articles`: the same articles, order, titles and addresses
    as `search_articles`, without computing snippets; neither answer is taken for the other."""
    found = 0
    for typed in ("facture en double", "mot de passe", "password", "factura", "toner", "wachtwoord"):
        links = selectors.find_articles(typed, language=language, country=country, limit=5)
        results = selectors.search_articles(typed, language=language, country=country, limit=5)
        assert all(isinstance(result, selectors.SearchResult) for result in results)
        assert [(r.slug, r.title, r.url) for r in results] == [(link.slug, link.title, link.url) for link in links]
        found += len(links)
    assert found
