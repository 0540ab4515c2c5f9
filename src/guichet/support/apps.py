from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "guichet.support"
    label = "support"
    verbose_name = _("Requests")

    def seed_demo(self) -> int:
        from .demo import seed

        return seed()
