"""Reads of the help centre: articles in the reader's language and country, search results."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse
from django.utils import translation

from . import search_store
from .models import Article, ArticleTranslation, Category
from .rendering import plain_text, render_body
from .search import HelpIndex, Hit, highlight, snippet


def fallback_languages(language: str) -> list[str]:
    """fr-CA → fr → en: the reader's variant, its base language, then English.

    Dutch falls back to English, not French: the English article is the source every
    translation is made from (always complete and current), and a Flemish reader who chose
    Dutch reads English more readily than being answered in the other national language.
    """
    chain = [language]
    base = language.split("-")[0]
    if base not in chain:
        chain.append(base)
    if "en" not in chain:
        chain.append("en")
    return chain


@dataclass(frozen=True)
class ArticleView:
    article: Article
    translation: ArticleTranslation
    requested_language: str
    html: str

    @property
    def is_fallback(self) -> bool:
        return self.translation.language != self.requested_language.split("-")[0]


def _pick(translations: list[ArticleTranslation], language: str) -> ArticleTranslation | None:
    by_language = {t.language: t for t in translations}
    for candidate in fallback_languages(language):
        if candidate in by_language:
            return by_language[candidate]
    return next(iter(by_language.values()), None)


def article_url(slug: str, language: str) -> str:
    with translation.override(language.split("-")[0]):
        return reverse("help:article", kwargs={"slug": slug})


def get_article_for(slug: str, *, language: str, country: str) -> ArticleView:
    """A published article that applies to the reader's country; 404 otherwise."""
    article = Article.objects.filter(slug=slug, published=True).prefetch_related("translations").first()
    if article is None or not article.applies_to(country):
        raise Http404
    chosen = _pick(list(article.translations.all()), language)
    if chosen is None:
        raise Http404
    return ArticleView(
        article=article,
        translation=chosen,
        requested_language=language,
        html=render_body(chosen.body, country=country, language=chosen.language),
    )


@dataclass(frozen=True)
class ArticleLink:
    slug: str
    title: str
    category: str
    url: str


def articles_for(country: str, language: str, category: str | None = None) -> list[ArticleLink]:
    articles = Article.objects.filter(published=True).prefetch_related("translations").order_by("position")
    if category:
        articles = articles.filter(category=category)
    links = []
    for article in articles:
        if not article.applies_to(country):
            continue
        chosen = _pick(list(article.translations.all()), language)
        if chosen is not None:
            links.append(ArticleLink(article.slug, chosen.title, article.category, article_url(article.slug, language)))
    return links


def categories_for(country: str, language: str) -> list[tuple[str, str, list[ArticleLink]]]:
    grouped: dict[str, list[ArticleLink]] = {}
    for link in articles_for(country, language):
        grouped.setdefault(link.category, []).append(link)
    return [(value, str(label), grouped[value]) for value, label in Category.choices if value in grouped]


def related_to(view: ArticleView, *, country: str, language: str, limit: int = 4) -> list[ArticleLink]:
    """Articles the text links to, then others of the same category."""
    linked = set(re.findall(r"article:([a-z0-9-]+)", view.translation.body))
    same_category = [a for a in articles_for(country, language, view.article.category) if a.slug != view.article.slug]
    ordered = [a for a in same_category if a.slug in linked] + [a for a in same_category if a.slug not in linked]
    others = [a for a in articles_for(country, language) if a.slug in linked and a.category != view.article.category]
    return (others + ordered)[:limit]


@dataclass(frozen=True)
class SearchResult:
    slug: str
    title: str
    title_html: str
    snippet_html: str
    score: float
    url: str
    language: str

    def as_json(self) -> dict[str, object]:
        return {"slug": self.slug, "title": self.title, "score": round(self.score, 6), "url": self.url}


def search_articles(query: str, *, language: str, country: str, limit: int = 10) -> list[SearchResult]:
    """The best articles for `query`, cached per index version, language, country and limit."""

    def compute(index: HelpIndex, normalised: str) -> list[SearchResult]:
        return _search(index, normalised, language=language, country=country, limit=limit)

    results: list[SearchResult] = search_store.cached(
        query, language=language, country=country, limit=limit, compute=compute
    )
    return results


def find_articles(query: str, *, language: str, country: str, limit: int = 10) -> list[ArticleLink]:
    """The articles `search_articles` finds, in its order, as links (title and address, no snippet:
    the header's global search lists them), kept apart from its answers under the same rules."""

    def compute(index: HelpIndex, normalised: str) -> list[ArticleLink]:
        found = _found(index, normalised, language=language, country=country, limit=limit)
        return [
            ArticleLink(hit.slug, chosen.title, chosen.article.category, article_url(hit.slug, language))
            for hit, chosen in found
        ]

    links: list[ArticleLink] = search_store.cached(
        query, language=language, country=country, limit=limit, compute=compute, what="links"
    )
    return links


def _found(
    index: HelpIndex, query: str, *, language: str, country: str, limit: int
) -> list[tuple[Hit, ArticleTranslation]]:
    """The index's hits with the translation each is read in (a hit with none is left out)."""
    hits = index.search(query, language=language, country=country, limit=limit)
    if not hits:
        return []
    translations = ArticleTranslation.objects.filter(article__slug__in=[h.slug for h in hits]).select_related("article")
    by_slug: dict[str, list[ArticleTranslation]] = {}
    for row in translations:
        by_slug.setdefault(row.article.slug, []).append(row)
    found = []
    for hit in hits:
        chosen = _pick(by_slug.get(hit.slug, []), language)
        if chosen is not None:
            found.append((hit, chosen))
    return found


def _search(index: HelpIndex, query: str, *, language: str, country: str, limit: int) -> list[SearchResult]:
    found = _found(index, query, language=language, country=country, limit=limit)
    if not found:
        return []
    parsed = index.parse(query)
    results = []
    for hit, chosen in found:
        text = plain_text(chosen.body, country=country, language=chosen.language)
        results.append(
            SearchResult(
                slug=hit.slug,
                title=chosen.title,
                title_html=highlight(chosen.title, parsed.highlight),
                snippet_html=snippet(text, parsed.highlight),
                score=hit.score,
                url=article_url(hit.slug, language),
                language=chosen.language,
            )
        )
    return results


def get_published_article(slug: str) -> Article:
    article = Article.objects.filter(slug=slug, published=True).first()
    if article is None:
        raise Http404
    return article
