from django.db import migrations

from newsroom.lib import permissions

# Editors write the pages about the site; nobody removes one (every page's footer links to them).
EDITORS = ["public.view_sitepage", "public.add_sitepage", "public.change_sitepage"]


def grant(apps, schema_editor):
    permissions.grant(apps, {"Editors": EDITORS})


class Migration(migrations.Migration):

    dependencies = [
        ("public", "0001_pages"),
        ("articles", "0002_editorial_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
