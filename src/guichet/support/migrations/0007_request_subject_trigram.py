"""A trigram index on the request subject, for global search's words (PostgreSQL only).

Django's `icontains` is `UPPER(subject) LIKE UPPER('%word%')`; a GIN trigram index on the same
expression answers it without reading the table. Other databases (SQLite in development) keep the
scan. Where the server does not offer pg_trgm the index is left out and search still answers,
slower (docs/decisions/0014-global-search.md). Creating the extension needs the right to.
"""

from django.db import migrations

INDEX = "support_request_subject_trgm"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
            if cursor.fetchone() is None:
                return
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON support_request USING gin (UPPER(subject) gin_trgm_ops)"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("support", "0006_sla_marks")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
