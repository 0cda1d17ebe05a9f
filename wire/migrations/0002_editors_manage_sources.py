from django.db import migrations

from newsroom.lib import permissions

EDITORS = ["wire.add_source", "wire.change_source", "wire.view_source", "wire.delete_source"]


def grant(apps, schema_editor):
    """Editors manage the sources that may push wire copy (as articles' 0012 grants its models)."""
    permissions.grant(apps, {"Editors": EDITORS})


class Migration(migrations.Migration):
    dependencies = [
        ("wire", "0001_sources"),
        ("articles", "0002_editorial_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
