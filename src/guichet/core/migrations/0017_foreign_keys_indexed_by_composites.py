"""Foreign keys whose own index duplicated the leading column of a composite index (issue 17)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from guichet.core.migration_ops import foreign_key_index_dropped

CASCADE = django.db.models.deletion.CASCADE


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_join_requests_and_invitations"),
        ("core", "0016_next_number_function"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        foreign_key_index_dropped(
            "auditevent",
            "organisation",
            models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=CASCADE,
                related_name="audit_events",
                to="accounts.organisation",
                verbose_name="organisation",
            ),
            table="core_auditevent",
            index="core_auditevent_organisation_id_e6079d04",
        ),
        foreign_key_index_dropped(
            "case",
            "organisation",
            models.ForeignKey(db_index=False, on_delete=CASCADE, related_name="+", to="accounts.organisation"),
            table="core_case",
            index="core_case_organisation_id_4aa56812",
        ),
        foreign_key_index_dropped(
            "caseactivity",
            "organisation",
            models.ForeignKey(db_index=False, on_delete=CASCADE, related_name="+", to="accounts.organisation"),
            table="core_caseactivity",
            index="core_caseactivity_organisation_id_8716227d",
        ),
        foreign_key_index_dropped(
            "notification",
            "user",
            models.ForeignKey(db_index=False, on_delete=CASCADE, related_name="+", to=settings.AUTH_USER_MODEL),
            table="core_notification",
            index="core_notification_user_id_6e341aac",
        ),
    ]
