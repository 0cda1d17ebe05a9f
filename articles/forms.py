"""What each workflow transition asks for (a comment, a time, a correction), checked as a form.

The transition table in articles.workflow names the form of each transition; the desk shows it
next to the button and hands the cleaned data to the transition.
"""

from datetime import datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Correction
from newsroom.lib.forms import PlainTextField, SiteDateTimeField

COMMENT_LENGTH = 2000


class NoInputForm(forms.Form):
    """A transition that asks for nothing (an update recorded when a live story is saved)."""


class CommentForm(forms.Form):
    comment = PlainTextField(
        required=False, max_length=COMMENT_LENGTH, widget=forms.Textarea(attrs={"rows": 2}), label="Comment"
    )


class ReturnForm(forms.Form):
    comment = PlainTextField(
        max_length=COMMENT_LENGTH, widget=forms.Textarea(attrs={"rows": 2}), label="Comment for the writer (required)"
    )


class UnpublishForm(forms.Form):
    comment = PlainTextField(
        max_length=COMMENT_LENGTH, widget=forms.Textarea(attrs={"rows": 2}), label="Reason (required)"
    )


class TrashForm(forms.Form):
    comment = PlainTextField(
        required=False,
        max_length=COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason (required for a live or scheduled story)",
    )


class ReasonForm(forms.Form):
    comment = PlainTextField(
        max_length=COMMENT_LENGTH, widget=forms.Textarea(attrs={"rows": 2}), label="Reason, for the log (required)"
    )


class ScheduleForm(CommentForm):
    publish_at = SiteDateTimeField(label="Publish at")
    field_order = ["publish_at", "comment"]

    # Embargoes run for days or months; a date years away is a typing mistake.
    FURTHEST = timedelta(days=5 * 366)

    def clean_publish_at(self) -> datetime:
        publish_at = self.cleaned_data["publish_at"]
        if publish_at <= timezone.now():
            raise ValidationError("Choose a time in the future.")
        if publish_at > timezone.now() + self.FURTHEST:
            raise ValidationError("Choose a time within the next five years.")
        return publish_at


class RescheduleForm(ScheduleForm):
    publish_at = SiteDateTimeField(label="New time")


class CorrectionForm(forms.Form):
    kind = forms.ChoiceField(choices=Correction.Kind.choices)
    text = PlainTextField(max_length=COMMENT_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))
