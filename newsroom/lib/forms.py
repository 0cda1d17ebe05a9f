"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import BaseTemporalField
from django.forms.utils import from_current_timezone
from django.utils import timezone
from django.utils.functional import lazy

from newsroom.lib.text import UNUSABLE, normalise_line_breaks, refuse_unusable_characters


class PlainTextField(forms.CharField):
    """Text typed by a person: line breaks as "\\n" (so a limit counts what the browser counted),
    and a clear error for a control character or a lone surrogate. Every text field of ours is
    one of these (or comes from newsroom.lib.fields, whose form fields are)."""

    default_validators = [refuse_unusable_characters]

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_line_breaks(value) if isinstance(value, str) else value


def _time_zone_hint() -> str:
    return (
        f"Time zone: {timezone.get_current_timezone_name()} (the site's). "
        "Where the browser shows no picker, type it as 2026-12-08 09:30 (24-hour clock)."
    )


class DateTimePicker(forms.DateTimeInput):
    """The browser's own date and time picker (usable by keyboard and screen reader), no script."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class SiteDateTimeField(forms.DateTimeField):
    """A date and time read in the site's time zone, which its hint names beside the picker."""

    widget = DateTimePicker
    default_error_messages = {"invalid": "Enter a date and time, such as 2026-12-08 09:30."}
    # What the picker sends, and what a person types where the browser has no picker.
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", lazy(_time_zone_hint, str)())
        super().__init__(**kwargs)

    def to_python(self, value):
        if not isinstance(value, str):
            return super().to_python(value)
        # Only the formats above: Django's own parser also takes a bare date (midnight) or an
        # offset, which would not be read in the site's time zone as the hint says.
        value = value.strip()
        if not value:
            return None
        if UNUSABLE.search(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return from_current_timezone(BaseTemporalField.to_python(self, value))
