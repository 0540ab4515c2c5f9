"""Foreign keys whose own index duplicated the leading column of a composite index (issue 17)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from guichet.core.migration_ops import foreign_key_index_dropped


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_join_requests_and_invitations"),
        ("support", "0009_request_open_queue_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        foreign_key_index_dropped(
            "request",
            "assignee",
            models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="assigned_requests",
                to=settings.AUTH_USER_MODEL,
            ),
            table="support_request",
            index="support_request_assignee_id_fdd696c8",
        ),
        foreign_key_index_dropped(
            "request",
            "organisation",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="requests",
                to="accounts.organisation",
            ),
            table="support_request",
            index="support_request_organisation_id_e07d6d08",
        ),
    ]
