"""The one SiteSettings row exists from the start, so pages never have to create it."""

from django.conf import settings
from django.db import migrations


def create_row(apps, schema_editor):
    apps.get_model("articles", "SiteSettings").objects.get_or_create(pk=1, defaults={"site_name": settings.SITE_NAME})


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_search_postgresql")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
