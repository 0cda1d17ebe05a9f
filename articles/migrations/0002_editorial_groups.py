"""The Writers and Editors groups, so a fresh database has the editorial roles."""

from django.db import migrations

from newsroom.lib import permissions

WRITERS = [
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.add_byline",
    "articles.change_byline",
    "articles.delete_byline",
    "articles.view_byline",
    "authors.view_author",
    "authors.change_author",  # their own author only; the admin enforces that
    "taggit.view_tag",
]
EDITORS = [
    *WRITERS,
    "articles.publish_article",
    "articles.review_article",
    "articles.delete_article",
    "articles.change_sitesettings",
    "articles.view_sitesettings",
    "authors.add_author",
    "authors.delete_author",
    "taggit.add_tag",
    "taggit.change_tag",
    "taggit.delete_tag",
]


def create_groups(apps, schema_editor):
    permissions.grant(apps, {"Writers": WRITERS, "Editors": EDITORS}, create_groups=True)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Writers", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("authors", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
