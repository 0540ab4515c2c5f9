from django.utils.translation import gettext_lazy as _

from guichet.core import contexts, home
from guichet.core.contexts import ConsoleEntry, ConsoleSection


class SupportConfig(contexts.ContextConfig):
    name = "guichet.support"
    label = "support"
    verbose_name = _("Requests")
    url_prefix = "requests/"
    has_console = True
    api_router = "guichet.support.api.router"
    applications = {"requests": "support:list"}
    search_provider = "guichet.support.search_provider.provider"
    console_entries = (ConsoleEntry(ConsoleSection.SERVICE, "support_console:queue", _("Requests"), position=10),)

    def seed_demo(self) -> int:
        from .demo import seed

        return seed()

    def ready(self) -> None:
        from .attention import SupportConsole, SupportHome

        home.register(SupportHome())  # the home asks each context what waits for the person
        home.register_console(SupportConsole())  # and the console home, the agent's queues

        from . import cases

        cases.register()  # the case index ("My requests") follows this context's cases
