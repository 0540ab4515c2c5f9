from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "guichet.orders"
    label = "orders"
    verbose_name = _("Orders")

    def seed_demo(self) -> int:
        from .demo import seed

        return seed()
