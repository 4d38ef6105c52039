"""The raw readings table, created by hand for each database (the model is ``managed = False``).

SQLite: a ``WITHOUT ROWID`` table clustered on its key, so a reading is stored once (no separate rowid b-tree and
key index). PostgreSQL: a table partitioned by month on ``ts`` (the writer adds the partitions it needs, the
retention sweep drops whole ones), with the key ``(meter_id, ts)`` and a BRIN index on ``ts`` for time windows
across meters (a few pages instead of a b-tree the size of the data).
"""

from django.db import migrations

SQLITE_CREATE = """
CREATE TABLE energy_reading (
    meter_id integer NOT NULL,
    ts integer NOT NULL,
    value real NOT NULL,
    PRIMARY KEY (meter_id, ts)
) WITHOUT ROWID
"""
POSTGRES_CREATE = [
    """
    CREATE TABLE energy_reading (
        meter_id bigint NOT NULL,
        ts bigint NOT NULL,
        value double precision NOT NULL,
        PRIMARY KEY (meter_id, ts)
    ) PARTITION BY RANGE (ts)
    """,
    "CREATE INDEX energy_reading_ts_brin ON energy_reading USING brin (ts)",
]


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = POSTGRES_CREATE if schema_editor.connection.vendor == "postgresql" else [SQLITE_CREATE]
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute("DROP TABLE energy_reading")


class Migration(migrations.Migration):
    dependencies = [("energy", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
