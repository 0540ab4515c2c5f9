from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "guichet.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def seed_demo(self) -> int:
        from .demo import seed

        return seed()

    def ready(self) -> None:
        # The signed-contract guards are signal receivers: connect them in every process
        # (shell, Celery, seeding), not only once the URLconf has imported the views.
        from . import signing  # noqa: F401
