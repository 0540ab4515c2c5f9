from django.utils.translation import gettext_lazy as _

from guichet.core import contexts
from guichet.core.contexts import ConsoleEntry, ConsoleSection


class BuytechConfig(contexts.ContextConfig):
    name = "guichet.buytech"
    label = "buytech"
    verbose_name = _("Buy Tech")
    url_prefix = "buytech/"
    has_console = True
    api_router = "guichet.buytech.api.router"
    applications = {"buytech": "buytech:home"}
    console_entries = (ConsoleEntry(ConsoleSection.SALES, "buytech_console:home", _("Buy Tech"), position=20),)

    def seed_demo(self) -> int:
        from .demo import seed

        return seed()

    def ready(self) -> None:
        from . import cases

        cases.register()  # the case index ("My requests") follows this context's cases
