"""What global search finds in the help centre: articles, ranked by the help centre's own search
(the same answers as its search page), in the searcher's language and country."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guichet.core.search import Answer, Hit, Kind, Query, Searcher

from .selectors import find_articles

KIND = Kind("article", _("Help articles"), position=90)
ARTICLES = 5  # the help centre's own page lists more


class ArticleSearch:
    kinds = (KIND,)
    application = None  # help is public
    reads = ()  # asked every time: the help centre keeps its answers under its own index version

    def for_customer(self, query: Query, searcher: Searcher) -> Answer:
        if not query.words or any(ch.isdigit() for ch in query.identifier):
            return []  # a number or a serial is an object's, not a question
        found = find_articles(query.text, language=searcher.language, country=searcher.country or "BE", limit=ARTICLES)
        return [Hit(KIND.key, link.slug, link.title, link.url) for link in found]

    for_staff = for_customer


provider = ArticleSearch()
