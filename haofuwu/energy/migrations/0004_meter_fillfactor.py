"""PostgreSQL: leave room in the meter table's pages, so that the writer's update of each meter's newest reading
(every batch, for every meter in it) is a heap-only update that touches none of the table's indexes."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE energy_meter SET (fillfactor = 50)")


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE energy_meter RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("energy", "0003_rollup_chart_index")]

    operations = [migrations.RunPython(forwards, backwards)]
