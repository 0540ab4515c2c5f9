from django.utils.translation import gettext_lazy as _

from guichet.core import contexts, home
from guichet.core.contexts import ConsoleEntry, ConsoleSection


class BuytechConfig(contexts.ContextConfig):
    name = "guichet.buytech"
    label = "buytech"
    verbose_name = _("Buy Tech")
    url_prefix = "buytech/"
    has_console = True
    api_router = "guichet.buytech.api.router"
    applications = {"buytech": "buytech:home"}
    search_provider = "guichet.buytech.search_provider.provider"
    console_entries = (ConsoleEntry(ConsoleSection.SALES, "buytech_console:home", _("Buy Tech"), position=20),)

    def seed_demo(self) -> int:
        from .demo import seed

        return seed()

    def ready(self) -> None:
        from .attention import BuyTechConsole, BuyTechHome

        home.register(BuyTechHome())  # the home asks each context what waits for the person
        home.register_console(BuyTechConsole())  # its counts on the agents' console home

        from . import cases

        cases.register()  # the case index ("My requests") follows this context's cases
