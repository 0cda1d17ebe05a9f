from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The editors' desk: the article admin, its forms and its own pages. No models."""

    name = "desk"
