from django.utils.translation import gettext_lazy as _

from guichet.core import contexts


class SearchConfig(contexts.ContextConfig):
    """Global search's pages and API: the header's box asks every context (core/search.py)."""

    name = "guichet.search"
    label = "global_search"
    verbose_name = _("Search")
    url_prefix = "search/"
    has_console = True
    api_router = "guichet.search.api.router"
