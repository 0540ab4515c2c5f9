"""Migration operations shared by several applications' migrations."""

from __future__ import annotations

from django.db import migrations, models


def foreign_key_index_dropped(
    model_name: str, name: str, field: models.ForeignKey, *, table: str, index: str
) -> migrations.SeparateDatabaseAndState:
    """A foreign key's own index dropped (`field` now says `db_index=False`), its constraint kept.

    Django's AlterField would also drop and add the foreign-key constraint again, which validates
    the whole table under lock; only the index goes. For a key that leads a composite index: every
    new row wrote both, and a look-up by the key alone (a list, a cascade) uses the composite
    (issue 17, decision 0003 "Creation: indexes").
    """
    column = f"{name}_id"
    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AlterField(model_name=model_name, name=name, field=field)],
        database_operations=[
            migrations.RunSQL(
                f'DROP INDEX IF EXISTS "{index}"',
                f'CREATE INDEX "{index}" ON "{table}" ("{column}")',
            )
        ],
    )
