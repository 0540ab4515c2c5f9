from django.utils.translation import gettext_lazy as _

from guichet.core import contexts, home, references
from guichet.core.contexts import ConsoleEntry, ConsoleSection


class BillingConfig(contexts.ContextConfig):
    name = "guichet.billing"
    label = "billing"
    verbose_name = _("Invoices and payments")
    url_prefix = "billing/"
    has_console = True
    api_router = "guichet.billing.api.router"
    applications = {"invoices": "billing:invoices", "statements": "billing:statement"}
    search_provider = "guichet.billing.search_provider.provider"
    console_entries = (ConsoleEntry(ConsoleSection.SALES, "billing_console:home", _("Billing"), position=30),)

    def seed_demo(self) -> int:
        from .demo import seed

        return seed()

    def ready(self) -> None:
        from .attention import BillingConsole, BillingHome

        home.register(BillingHome())  # the home asks each context what waits for the person
        home.register_console(BillingConsole())  # its counts on the agents' console home

        from . import cases

        cases.register()  # the case index ("My requests") follows this context's cases

        from .selectors import invoice_numbers_of

        references.register("invoice_number", invoice_numbers_of)  # support's request form suggests them
