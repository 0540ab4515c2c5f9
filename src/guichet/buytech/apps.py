from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuytechConfig(AppConfig):
    name = "guichet.buytech"
    label = "buytech"
    verbose_name = _("Buy Tech")

    def seed_demo(self) -> int:
        from .demo import seed

        return seed()
