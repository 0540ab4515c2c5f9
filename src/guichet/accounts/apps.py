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
        ConsoleEntry(ConsoleSection.CUSTOMERS, "console:home", _("Access requests"), position=10),
        ConsoleEntry(ConsoleSection.CUSTOMERS, "console:organisations", _("Organisations"), position=20),
    )

    def ready(self) -> None:
        super().ready()
        from . import cases, signals  # noqa: F401  (API tokens revoked on password, MFA and activity changes)

        cases.register()  # access requests in the case index
