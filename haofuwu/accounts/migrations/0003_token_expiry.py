# API tokens expire and record why they were revoked; tokens made before expiry existed get 90 days from creation.

import datetime

from django.db import migrations, models


def backfill_expiry(apps, schema_editor):
    from haofuwu.accounts.services import credential_fingerprint

    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.filter(expires_at__isnull=True).select_related("user").iterator():
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=token.created_at + datetime.timedelta(days=90),
            credential_fingerprint=credential_fingerprint(token.user.password),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires at"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="credential_fingerprint",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(backfill_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("by_user", "Revoked by its owner"),
                    ("password_changed", "The password was changed"),
                    ("deactivated", "The account was deactivated"),
                ],
                max_length=20,
                verbose_name="revoked because",
            ),
        ),
    ]
