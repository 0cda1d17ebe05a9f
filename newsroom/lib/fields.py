"""Model fields shared by the apps.

Each deconstructs as the Django field it extends: only validation and the form field differ, so
migrations see plain Django fields."""

from django.db import models

from newsroom.lib.forms import PlainTextField as PlainTextFormField
from newsroom.lib.text import normalise_line_breaks, refuse_unusable_characters


class _PlainText:
    """Text a person types: see newsroom.lib.text. Checked in model validation too (full_clean),
    so a value set outside a form is held to the same rule."""

    default_validators = [refuse_unusable_characters]

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_line_breaks(value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        # Fields with choices get a choice field whatever form_class says.
        return super().formfield(**{"form_class": PlainTextFormField, **kwargs})


class PlainCharField(_PlainText, models.CharField):
    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class PlainTextField(_PlainText, models.TextField):
    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


class HttpsURLField(models.URLField):
    """A web address; in forms, one typed without a scheme ("example.org") is taken as https://.
    URLValidator lets a control character through in the path; this does not."""

    default_validators = [*models.URLField.default_validators, refuse_unusable_characters]

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.URLField", args, kwargs
