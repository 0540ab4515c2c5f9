"""Issue 14, fact 1: the Buy Tech articles tell one story of two payments (the fee to the partner first,
then the vendor's confirmation within 2 Belgian business days, then the price to the vendor)."""

from importlib import import_module

from django.db import migrations

corrector = import_module("guichet.help.migrations.0003_seed_fact_corrections").corrector

CORRECTED = (
    "buytech-what-is",
    "buytech-admin-fee",
    "buytech-when-pay",
    "buytech-payment-to-vendor",
    "buytech-after-order",
)


class Migration(migrations.Migration):
    dependencies = [("help", "0005_dutch_articles")]
    operations = [migrations.RunPython(corrector(CORRECTED), migrations.RunPython.noop)]
