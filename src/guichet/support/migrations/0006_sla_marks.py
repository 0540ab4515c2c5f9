"""The SLA marks (support/sla.py): two instants per request, filled for existing rows in chunks.

The backfill is resumable (it only fills rows without marks); on a large table it can also be left
to `guichet backfill_sla`, which shows its progress: the page computes missing marks on the fly.
"""

from django.db import migrations, models


def fill(apps, schema_editor):
    from guichet.support import sla

    sla.backfill(apps.get_model("support", "Request"))


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0005_nl_language"),
        ("core", "0010_support_centre_repair_depot"),  # the support centres' hours and zones
    ]

    operations = [
        migrations.AddField(
            model_name="request",
            name="sla_at_risk_from",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="request",
            name="sla_breached_from",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="request",
            index=models.Index(fields=["status", "sla_breached_from"], name="support_req_status_breach_idx"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
