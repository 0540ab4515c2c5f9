"""The counter's values live on in `core.NumberSequence` (core 0004 carried them there first)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_carry_counters"),  # copy the last numbers before the table goes
        ('buytech', '0001_initial'),
    ]

    operations = [
        migrations.DeleteModel(
            name='OrderCounter',
        ),
    ]
