"""Model fields shared by the apps."""

from django.db import models


class HttpsURLField(models.URLField):
    """A web address; in forms, one typed without a scheme ("example.org") is taken as https://.

    Migrations see a plain URLField: only the form field differs."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.URLField", args, kwargs
