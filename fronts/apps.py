from django.apps import AppConfig


class FrontsConfig(AppConfig):
    """Curated fronts: the home page's and each section's arrangement of stories."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "fronts"

    def ready(self) -> None:
        from fronts import changes  # noqa: F401 - connects the receivers
