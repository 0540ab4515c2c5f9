# The next number of a series taken inside the INSERT that stores it (core/numbering.py `in_insert`;
# issue 17, bench/README.md "Creation: the number in the request's INSERT"). PostgreSQL only: elsewhere
# the number is taken by its own statement first.

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION guichet_next_number(series varchar, prefix varchar, width integer)
RETURNS varchar VOLATILE LANGUAGE sql AS $$
    INSERT INTO core_numbersequence ("key", "last") VALUES (series, 1)
    ON CONFLICT ("key") DO UPDATE SET "last" = core_numbersequence."last" + 1
    RETURNING prefix || lpad("last"::text, greatest(width, length("last"::text)), '0')
$$
"""
DROP = "DROP FUNCTION IF EXISTS guichet_next_number(varchar, varchar, integer)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0015_case_list_count_covering"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
