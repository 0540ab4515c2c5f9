from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpConfig(AppConfig):
    name = "guichet.help"
    label = "help"
    verbose_name = _("Help centre")

    def seed_demo(self) -> int:
        """Called by `guichet seed_demo`: the shipped articles, if a migration has not loaded them."""
        from .services import load_bundled_content

        return load_bundled_content()
