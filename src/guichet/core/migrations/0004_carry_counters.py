"""Carry each context's last numbers into `NumberSequence`, before the contexts drop their counters.

Requests, repairs/transfers/relocations, orders, invoices/credit notes and Buy Tech
reservations each kept a counter table; from now on `core.numbering` keeps every
series. The keys written here are the ones the contexts build (`support.services`,
`inventory.services`, `orders.services`, `billing.services`, `buytech.services`);
they are written out again here because a migration must not follow later changes
of application code — and keys are stored data, so those functions never change them.

Guarded: a counter model or table that is not there (a fresh database has empty
tables, a partly migrated one may lack a table) is simply skipped. Values are
merged with `max`, so running it on a database that already numbers through
`NumberSequence` never moves a series backwards. Reversible: going back writes
the values into the counters again (their tables are recreated first, by the
reversed removals, which depend on this migration).
"""

from django.db import migrations

# (app, old counter model, fields naming the series in key order, key prefix)
SOURCES = [
    ("support", "RequestCounter", ("country", "year"), "support"),
    ("inventory", "ServiceCounter", ("prefix", "country", "year"), "inventory"),
    ("orders", "OrderCounter", ("country", "year"), "orders"),
    ("billing", "InvoiceCounter", ("kind", "country", "year"), "billing"),
    ("buytech", "OrderCounter", ("year",), "buytech"),
]


def _present_counters(apps, schema_editor):
    tables = set(schema_editor.connection.introspection.table_names())
    for app_label, model_name, fields, prefix in SOURCES:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:  # that counter is gone already: nothing to carry
            continue
        if model._meta.db_table in tables:
            yield model, fields, prefix


def carry_forward(apps, schema_editor):
    NumberSequence = apps.get_model("core", "NumberSequence")
    for model, fields, prefix in _present_counters(apps, schema_editor):
        for counter in model.objects.all().iterator():
            key = ":".join([prefix, *(str(getattr(counter, field)) for field in fields)])
            sequence, _created = NumberSequence.objects.get_or_create(key=key)
            if sequence.last < counter.last:
                sequence.last = counter.last
                sequence.save(update_fields=["last"])


def carry_back(apps, schema_editor):
    NumberSequence = apps.get_model("core", "NumberSequence")
    for model, fields, prefix in _present_counters(apps, schema_editor):
        for sequence in NumberSequence.objects.filter(key__startswith=f"{prefix}:").iterator():
            parts = sequence.key.split(":")[1:]
            if len(parts) != len(fields):
                continue  # not a series this counter knew
            values = dict(zip(fields, parts, strict=True))
            values["year"] = int(values["year"])
            model.objects.update_or_create(**values, defaults={"last": sequence.last})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_numbersequence"),
        # the last migration of each context whose counter is carried: their tables exist then
        ("support", "0003_postgres_search_indexes"),
        ("inventory", "0003_importjob"),
        ("orders", "0002_tracking_number_index"),
        ("billing", "0001_initial"),
        ("buytech", "0001_initial"),
    ]

    operations = [migrations.RunPython(carry_forward, carry_back)]
