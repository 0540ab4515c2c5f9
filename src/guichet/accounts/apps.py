from django.utils.translation import gettext_lazy as _

from guichet.core import contexts
from guichet.core.contexts import ConsoleEntry, ConsoleSection


class AccountsConfig(contexts.ContextConfig):
    name = "guichet.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")
    url_prefix = ""
    has_console = True
    api_router = "guichet.accounts.api.router"
    console_entries = (
        ConsoleEntry(ConsoleSection.CUSTOMERS, "console:home", _("Console home"), position=0),
        ConsoleEntry(ConsoleSection.CUSTOMERS, "console:access_requests", _("Access requests"), position=10),
        ConsoleEntry(ConsoleSection.CUSTOMERS, "console:organisations", _("Organisations"), position=20),
    )

    def ready(self) -> None:
        super().ready()
        from guichet.core import home

        from . import signals  # noqa: F401  (API tokens revoked on password, MFA and activity changes)
        from .attention import AccountsConsole, AccountsHome

        home.register(AccountsHome())  # access and join requests for the organisation's admins
        home.register_console(AccountsConsole())  # its counts on the agents' console home

        from . import cases

        cases.register()  # access requests in the case index
