"""Form fields shared by the apps."""

from django import forms

from newsroom.lib.text import normalise_line_breaks, refuse_unusable_characters


class PlainTextField(forms.CharField):
    """Text typed by a person: line breaks as "\\n" (so a limit counts what the browser counted),
    and a clear error for a control character or a lone surrogate. Every text field of ours is
    one of these (or comes from newsroom.lib.fields, whose form fields are)."""

    default_validators = [refuse_unusable_characters]

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_line_breaks(value) if isinstance(value, str) else value
