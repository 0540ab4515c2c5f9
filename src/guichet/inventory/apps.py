from django.utils.translation import gettext_lazy as _

from guichet.core import contexts, home, references
from guichet.core.contexts import ConsoleEntry, ConsoleSection


class InventoryConfig(contexts.ContextConfig):
    name = "guichet.inventory"
    label = "inventory"
    verbose_name = _("Inventory")
    url_prefix = "inventory/"
    has_console = True
    api_router = "guichet.inventory.api.router"
    applications = {"inventory": "inventory:list"}
    search_provider = "guichet.inventory.search_provider.provider"
    console_entries = (ConsoleEntry(ConsoleSection.SERVICE, "inventory_console:home", _("Inventory"), position=30),)

    def seed_demo(self) -> int:
        from .demo import seed

        return seed()

    def ready(self) -> None:
        from .attention import InventoryConsole, InventoryHome

        home.register(InventoryHome())  # the home asks each context what waits for the person
        home.register_console(InventoryConsole())  # its counts on the agents' console home

        from . import cases

        cases.register()  # the case index ("My requests") follows this context's cases

        from .selectors import machine_serials_of, machine_types_of

        references.register("machine_type", machine_types_of)  # support's request form suggests them
        references.register("serial", machine_serials_of)
