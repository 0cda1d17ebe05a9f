"""Writers create the tags their stories need (they already choose among existing ones)."""

from django.db import migrations

from newsroom.lib import permissions

WRITERS = ["taggit.add_tag"]


def grant(apps, schema_editor):
    permissions.grant(apps, {"Writers": WRITERS})


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0001_autosave_and_presence"),
        ("articles", "0002_editorial_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
