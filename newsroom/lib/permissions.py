"""Granting the editorial groups their permissions, from data migrations (one definition)."""

from django.contrib.auth.management import create_permissions


def grant(apps, groups: dict[str, list[str]], *, create_groups: bool = False) -> None:
    """Give each named group the permissions ("app_label.codename") listed for it.

    Permissions are normally created after all migrations; they are created here first so they
    can be assigned (historical app configs have no models module; create_permissions skips
    those). A group that does not exist is made only with `create_groups`, else skipped."""
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in groups.items():
        group = Group.objects.get_or_create(name=name)[0] if create_groups else Group.objects.filter(name=name).first()
        if group is None:
            continue
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
