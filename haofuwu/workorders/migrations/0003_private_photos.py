# Photos become private files: stored under server-made names, re-encoded without their EXIF (GPS) data.

from django.db import migrations

import haofuwu.core.private_files


def rehome_photos(apps, schema_editor):
    from haofuwu.core.private_files import PHOTO, rehome_file

    Photo = apps.get_model("workorders", "WorkOrderPhoto")
    for photo in Photo.objects.exclude(image__startswith="workorders/photos/").iterator():
        rehome_file(photo, "image", kinds=PHOTO)


class Migration(migrations.Migration):
    dependencies = [
        ("workorders", "0002_project_recent_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="workorderphoto",
            name="image",
            field=haofuwu.core.private_files.PrivateFileField(
                folder="workorders/photos", max_length=200, verbose_name="photo"
            ),
        ),
        migrations.RunPython(rehome_photos, migrations.RunPython.noop),
    ]
