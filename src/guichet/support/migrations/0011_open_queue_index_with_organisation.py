"""The open-requests index of the agents' queue carries the organisation (INCLUDE): the queue's capped
count reads it without the table (issue 17)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_join_requests_and_invitations'),
        ('support', '0010_foreign_keys_indexed_by_composites'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='request',
            name='support_req_open_queue_idx',
        ),
        migrations.AddIndex(
            model_name='request',
            index=models.Index(condition=models.Q(('status__in', ['assigned', 'in_progress', 'submitted', 'waiting_on_customer'])), fields=['resolution_due', 'created_at', 'id'], include=('organisation',), name='support_req_open_queue_idx'),
        ),
    ]
