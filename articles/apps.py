from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """The content and its rules: articles, bylines, tags, corrections, the workflow and revisions."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self) -> None:
        from articles import changes  # noqa: F401 - connects the receivers
