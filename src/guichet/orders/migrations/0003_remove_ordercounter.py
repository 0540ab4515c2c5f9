"""The counter's values live on in `core.NumberSequence` (core 0004 carried them there first)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_carry_counters"),  # copy the last numbers before the table goes
        ('orders', '0002_tracking_number_index'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='ordercounter',
            name='one_order_counter_per_country_year',
        ),
        migrations.DeleteModel(
            name='OrderCounter',
        ),
    ]
