from django.apps import AppConfig


class PublicConfig(AppConfig):
    """Everything readers see, and what makes it fast; its one model is the pages about the site."""

    name = "public"

    def ready(self) -> None:
        from public import caching  # noqa: F401 - subscribes to the "content changed" notice
