"""The counter's values live on in `core.NumberSequence` (core 0004 carried them there first)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_carry_counters"),  # copy the last numbers before the table goes
        ('inventory', '0003_importjob'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='servicecounter',
            name='one_service_counter_per_year',
        ),
        migrations.DeleteModel(
            name='ServiceCounter',
        ),
    ]
