from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "guichet.inventory"
    label = "inventory"
    verbose_name = _("Inventory")

    def seed_demo(self) -> int:
        from .demo import seed

        return seed()
