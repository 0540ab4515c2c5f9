from django.utils.translation import gettext_lazy as _

from guichet.core import contexts
from guichet.core.contexts import ConsoleEntry, ConsoleSection


class HelpConfig(contexts.ContextConfig):
    name = "guichet.help"
    label = "help"
    verbose_name = _("Help centre")
    url_prefix = "help/"
    has_console = True
    api_router = "guichet.help.api.router"
    search_provider = "guichet.help.search_provider.provider"
    console_entries = (
        ConsoleEntry(ConsoleSection.SERVICE, "help_console:insights", _("Help centre insights"), position=40),
    )

    def ready(self) -> None:
        super().ready()
        from . import signals  # noqa: F401  (the search index follows article edits)

    def seed_demo(self) -> int:
        """Called by `guichet seed_demo`: the shipped articles, if a migration has not loaded them."""
        from .services import load_bundled_content

        return load_bundled_content()
