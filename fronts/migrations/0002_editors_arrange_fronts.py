from django.db import migrations

from newsroom.lib import permissions

MODELS = ["front", "layout", "block", "pin"]
EDITORS = [f"fronts.{action}_{model}" for model in MODELS for action in ("view", "add", "change", "delete")]


def grant(apps, schema_editor):
    """Editors arrange the fronts; writers do not (a front is the paper's choice of stories)."""
    permissions.grant(apps, {"Editors": EDITORS})


class Migration(migrations.Migration):

    dependencies = [
        ("fronts", "0001_fronts"),
        ("articles", "0016_sections"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
