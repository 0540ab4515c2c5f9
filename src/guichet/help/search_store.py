"""The help search index as every process sees it: built once, stored, loaded in milliseconds.

`guichet build_search_index` (a deploy step) builds the lexical index and the articles'
embeddings and stores them in one `SearchIndexSnapshot` row. A web or worker process loads
that row on its first search (one SELECT and an unpickle: milliseconds, no embedding), so the
first search after a start answers quickly.

Freshness: the snapshot carries the *stamp* of the content it was built from (counts and
latest update times of articles and translations). Each search compares the process's index
with the current stamp, read from the cache (one round trip); saving or deleting an article or
a translation drops that cache entry (signals.py) and enqueues a rebuild once the transaction
commits (tasks.py). A process that still finds the snapshot older than the content rebuilds
it itself, re-embedding only the passages whose text changed.

Results are cached per index version, reader language, country, limit and normalised query;
query vectors per model and query (search.Embedder). Help is public: no organisation or user
is part of any key.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone

from .models import Article, ArticleTranslation, SearchIndexSnapshot, category_label
from .rendering import plain_text
from .search import HelpIndex, IndexedTranslation, load_embedder, passage_texts
from .synonyms import GROUPS

log = logging.getLogger(__name__)

FORMAT = 4  # bump when HelpIndex's pickled shape or the text pipeline changes: stored indexes are then rebuilt
STAMP_KEY = "help:index-stamp"
STAMP_SECONDS = 30  # a change made without signals (a bulk update) is seen within this
RESULTS_SECONDS = 600  # snippets carry the support centres' facts: they are not kept for long
SNAPSHOT = "help"


def current_stamp() -> str:
    """What the published content looks like, cheaply: counts and latest update times."""
    articles = Article.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    translations = ArticleTranslation.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    at = [value.isoformat() if value else "-" for value in (articles["at"], translations["at"])]
    return f"{articles['n']}/{at[0]}/{translations['n']}/{at[1]}"


def cached_stamp() -> str:
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        stamp = current_stamp()
        cache.set(STAMP_KEY, stamp, STAMP_SECONDS)
    return str(stamp)


def forget_stamp() -> None:
    """The content changed: the next search reads the stamp from the database again."""
    cache.delete(STAMP_KEY)


def published_docs() -> list[IndexedTranslation]:
    rows = ArticleTranslation.objects.filter(article__published=True).select_related("article")
    return [
        IndexedTranslation(
            slug=row.article.slug,
            language=row.language,
            title=row.title,
            keywords=row.keywords,
            text=plain_text(row.body),
            category=row.article.category,
            countries=tuple(row.article.countries),
            category_label=category_label(row.article.category, row.language),
            questions=tuple(line.strip() for line in row.questions.splitlines() if line.strip()),
        )
        for row in rows.order_by("article__slug", "language")
    ]


def content_version(docs: list[IndexedTranslation], embedding_model: str) -> str:
    """Digest of everything an index is built from: equal digests, equal indexes.

    The synonym groups are part of it: the stored index carries its word → group map, so a
    deploy that edits synonyms.py must rebuild it (its group numbers would point elsewhere)."""
    digest = hashlib.sha256(f"{FORMAT}|{embedding_model}|{sorted(sorted(g) for g in GROUPS)}".encode())
    for doc in docs:
        digest.update(repr(doc).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Built:
    version: str
    documents: int
    embedded: int  # passages embedded by this build (the others came from the stored index)
    rebuilt: bool


def _stored() -> SearchIndexSnapshot | None:
    return SearchIndexSnapshot.objects.filter(name=SNAPSHOT).first()


def _unpickle(row: SearchIndexSnapshot) -> HelpIndex:
    index = pickle.loads(bytes(row.payload))  # noqa: S301  (written by build_and_store)
    if not isinstance(index, HelpIndex):
        raise TypeError("the stored search index is not a HelpIndex")
    return index


def build_and_store(
    *,
    force: bool = False,
    on_total: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Built:
    """Build the index from the published articles and store it, unless the stored one is current."""
    stamp = current_stamp()
    docs = published_docs()
    embedder = load_embedder()
    model = embedder.name if embedder is not None and docs else ""
    version = content_version(docs, model)
    row = _stored()
    if row is not None and row.version == version and not force:
        if row.stamp != stamp:  # same content, touched rows: the stamp is what processes compare
            SearchIndexSnapshot.objects.filter(pk=row.pk).update(stamp=stamp)
        forget_stamp()
        if _memo.version != version:
            _memo.remember(_unpickle(row), version=version, stamp=stamp)
        _memo.stamp = stamp
        return Built(version=version, documents=len(docs), embedded=0, rebuilt=False)
    if embedder is not None and row is not None and row.embedding_model == embedder.name:
        try:  # re-embed only what changed since the stored index
            previous = _unpickle(row)
            if previous.embeddings is not None:
                embedder.remember(passage_texts(previous.docs), previous.embeddings)
        except Exception:  # an index of an older format: embed everything again
            log.warning("stored help search index unreadable; embedding every article again", exc_info=True)
    to_embed = embedder.count_missing(passage_texts(docs)) if embedder is not None else 0
    if on_total is not None:
        on_total(to_embed)
    index = HelpIndex(docs, embedder, progress)
    payload = pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)
    fields = {
        "version": version,
        "stamp": stamp,
        "embedding_model": index.embedding_model,
        "documents": len(docs),
        "payload": payload,
        "built_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            SearchIndexSnapshot.objects.update_or_create(name=SNAPSHOT, defaults=fields)
    except IntegrityError:  # two processes built the first index at once: the later one wins
        SearchIndexSnapshot.objects.filter(name=SNAPSHOT).update(**fields)
    forget_stamp()
    _memo.remember(index, version=version, stamp=stamp)
    return Built(version=version, documents=len(docs), embedded=to_embed, rebuilt=True)


class _Memo:
    """This process's loaded index and the version and stamp it was built from."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index: HelpIndex | None = None
        self.version = ""
        self.stamp = ""

    def remember(self, index: HelpIndex, *, version: str, stamp: str) -> None:
        index.attach(load_embedder())
        if index.embedder is not None:
            index.embedder.query_cache = cache
        self.index, self.version, self.stamp = index, version, stamp


_memo = _Memo()


def _load(stamp: str) -> None:
    row = _stored()
    wanted_model = (load_embedder() or _NoModel).name
    # A process without embeddings uses an index built with them (lexically); one with embeddings
    # needs them built by its model.
    if (
        row is not None
        and row.stamp == stamp
        and (row.embedding_model == wanted_model or not wanted_model or row.documents == 0)
    ):
        try:
            _memo.remember(_unpickle(row), version=row.version, stamp=stamp)
            return
        except Exception:
            log.warning("stored help search index unreadable; rebuilding it", exc_info=True)
    # No snapshot yet (a fresh database), an older one, or one built for another model: rebuild here.
    build_and_store()
    _memo.stamp = stamp


class _NoModel:
    name = ""


def get_index() -> HelpIndex:
    """The current index: this process's copy while the content stamp is unchanged."""
    stamp = cached_stamp()
    if _memo.index is None or _memo.stamp != stamp:
        with _memo.lock:
            if _memo.index is None or _memo.stamp != stamp:
                _load(stamp)
    assert _memo.index is not None
    return _memo.index


def normalise_query(query: str) -> str:
    """The form a query is searched and cached under: words separated by one space, lower case."""
    return " ".join(query.split()).lower()


def cached(
    query: str,
    *,
    language: str,
    country: str,
    limit: int,
    compute: Callable[[HelpIndex, str], Any],
    what: str = "results",
) -> Any:
    """`compute(index, normalised query)`, cached per index version, language, country and limit;
    `what` tells apart answers of another form (links without snippets) to the same query."""
    normalised = normalise_query(query)
    index = get_index()
    digest = hashlib.sha256(normalised.encode()).hexdigest()[:40]
    key = f"help:{what}:{_memo.version[:16]}:{language}:{country}:{limit}:{digest}"
    found = cache.get(key)
    if found is None:
        found = compute(index, normalised)
        cache.set(key, found, RESULTS_SECONDS)
    return found
