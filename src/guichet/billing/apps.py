from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "guichet.billing"
    label = "billing"
    verbose_name = _("Invoices and payments")

    def seed_demo(self) -> int:
        from .demo import seed

        return seed()
