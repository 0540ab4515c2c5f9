from django.utils.translation import gettext_lazy as _

from guichet.core import contexts, home, references
from guichet.core.contexts import ConsoleEntry, ConsoleSection


class ContractsConfig(contexts.ContextConfig):
    name = "guichet.contracts"
    label = "contracts"
    verbose_name = _("Contracts")
    url_prefix = "contracts/"
    has_console = True
    api_router = "guichet.contracts.api.router"
    applications = {"contracts": "contracts:list"}
    search_provider = "guichet.contracts.search_provider.provider"
    console_entries = (ConsoleEntry(ConsoleSection.SERVICE, "contracts_console:home", _("Contracts"), position=20),)

    def seed_demo(self) -> int:
        from .demo import seed

        return seed()

    def ready(self) -> None:
        # The signed-contract guards are signal receivers: connect them in every process
        # (shell, Celery, seeding), not only once the URLconf has imported the views.
        from guichet.inventory import coverage

        from . import signing  # noqa: F401
        from .attention import ContractsConsole, ContractsHome
        from .coverage import ContractCoverage

        coverage.register(ContractCoverage())  # inventory asks contracts what covers a machine
        home.register(ContractsHome())  # the home asks each context what waits for the person
        home.register_console(ContractsConsole())  # its counts on the agents' console home

        from . import cases

        cases.register()  # the case index ("My requests") follows terminations

        from .selectors import contract_numbers_of

        references.register("contract_number", contract_numbers_of)  # support's request form suggests them
