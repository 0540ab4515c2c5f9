from django.utils.translation import gettext_lazy as _

from guichet.core import contexts, home, references
from guichet.core.contexts import ConsoleEntry, ConsoleSection


class OrdersConfig(contexts.ContextConfig):
    name = "guichet.orders"
    label = "orders"
    verbose_name = _("Orders")
    url_prefix = "orders/"
    has_console = True
    api_router = "guichet.orders.api.router"
    applications = {"orders": "orders:list"}
    search_provider = "guichet.orders.search_provider.provider"
    console_entries = (ConsoleEntry(ConsoleSection.SALES, "orders_console:find", _("Orders"), position=10),)

    def seed_demo(self) -> int:
        from .demo import seed

        return seed()

    def ready(self) -> None:
        from .attention import OrdersHome

        home.register(OrdersHome())  # the home asks each context what waits for the person

        from .selectors import order_numbers_of

        references.register("order_number", order_numbers_of)  # support's request form suggests them
