# Log-in throttling counts attempts per (account name, client) and per client instead of per account name, so that
# a stranger can lock only their own client out. The old rows are transient counters and are dropped.

from django.db import migrations, models


def drop_counters(apps, schema_editor):
    apps.get_model("accounts", "LoginThrottle").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_token_expiry"),
    ]

    operations = [
        migrations.RunPython(drop_counters, migrations.RunPython.noop),
        migrations.RenameField(model_name="loginthrottle", old_name="username", new_name="key"),
        migrations.AlterField(
            model_name="loginthrottle",
            name="key",
            field=models.CharField(max_length=200, unique=True),
        ),
    ]
