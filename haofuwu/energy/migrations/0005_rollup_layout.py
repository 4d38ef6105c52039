"""The rollups' layout, for the writer's speed and the charts' (docs/energy.md, "Storage").

- No foreign-key constraint on the rollups' meter (see the comment above ``models.HourlyUsage``).
- PostgreSQL: the hourly table's key carries the consumption and the count (``INCLUDE``), so a meter's chart is an
  index-only scan of the key and no second index is kept up at every write (the former ``energy_hourly_chart``).
  The daily and monthly rows are updated at every batch: room left in their pages (pages written from now on;
  existing ones keep theirs until rewritten) makes those updates heap-only.
- SQLite: the three rollups become ``WITHOUT ROWID`` tables clustered on their key, like the raw table: one b-tree
  per rollup instead of a rowid table, its key index and (hourly) the chart index.

A later migration that alters these tables on SQLite rebuilds them with Django's own schema, without ``WITHOUT
ROWID``; ``tests/test_rollup_layout.py`` notices.
"""

import django.db.models.deletion
from django.db import migrations, models

ROLLUPS = (("energy_hourly", "hour", "bigint"), ("energy_daily", "day", "date"), ("energy_monthly", "month", "date"))
POSTGRES_FORWARDS = [
    "ALTER TABLE energy_hourly DROP CONSTRAINT energy_hourly_pkey, "
    "ADD CONSTRAINT energy_hourly_pkey PRIMARY KEY (meter_id, hour) INCLUDE (consumption, samples)",
    "ALTER TABLE energy_daily SET (fillfactor = 70)",
    "ALTER TABLE energy_monthly SET (fillfactor = 50)",
]
POSTGRES_BACKWARDS = [
    "ALTER TABLE energy_hourly DROP CONSTRAINT energy_hourly_pkey, "
    "ADD CONSTRAINT energy_hourly_pkey PRIMARY KEY (meter_id, hour)",
    "ALTER TABLE energy_daily RESET (fillfactor)",
    "ALTER TABLE energy_monthly RESET (fillfactor)",
]


def _sqlite_without_rowid(schema_editor):  # type: ignore[no-untyped-def]
    for table, key, kind in ROLLUPS:
        schema_editor.execute(
            f"CREATE TABLE {table}__new (meter_id bigint NOT NULL, {key} {kind} NOT NULL, consumption real NOT NULL, "
            f"samples integer NOT NULL, PRIMARY KEY (meter_id, {key})) WITHOUT ROWID"
        )
        schema_editor.execute(
            f"INSERT INTO {table}__new (meter_id, {key}, consumption, samples) "
            f"SELECT meter_id, {key}, consumption, samples FROM {table}"
        )
        schema_editor.execute(f"DROP TABLE {table}")
        schema_editor.execute(f"ALTER TABLE {table}__new RENAME TO {table}")


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARDS:
            schema_editor.execute(statement)
    elif schema_editor.connection.vendor == "sqlite":
        _sqlite_without_rowid(schema_editor)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    # SQLite needs nothing: reversing the field changes rebuilds the tables with Django's schema.
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_BACKWARDS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("energy", "0004_meter_fillfactor"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="hourlyusage",
            name="energy_hourly_chart",
        ),
        migrations.AlterField(
            model_name="dailyusage",
            name="meter",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="energy.meter",
            ),
        ),
        migrations.AlterField(
            model_name="hourlyusage",
            name="meter",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="energy.meter",
            ),
        ),
        migrations.AlterField(
            model_name="monthlyusage",
            name="meter",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="energy.meter",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
