"""The picture fields of a form (the article's lead image, an author's photo): upload, alt text,
caption, credit and focal point, validated with newsroom.lib.images before anything is stored."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from newsroom.lib import images
from newsroom.lib.forms import PlainTextField
from pictures.models import Picture

ACCEPT = ",".join(f"image/{name.lower()}" for name in images.READABLE)


class PictureFieldsMixin(forms.Form):
    """Mixed into a ModelForm whose model has a ForeignKey to Picture named `picture_field`."""

    picture_field = "picture"
    picture_alt_required = True

    image = forms.FileField(
        required=False,
        label="Picture",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text="JPEG, PNG or WebP, at most 20 MB and 40 megapixels. It is re-saved without its metadata.",
    )
    image_alt = PlainTextField(
        required=False,
        max_length=300,
        label="Alt text",
        help_text="What the picture shows.",
    )
    image_caption = PlainTextField(required=False, max_length=500, label="Caption")
    image_credit = PlainTextField(
        required=False,
        max_length=200,
        label="Credit",
        help_text="Photographer or agency.",
    )
    image_focal_x = forms.IntegerField(
        required=False, min_value=0, max_value=100, label="Focal point, across (%)", help_text="Crops keep this point."
    )
    image_focal_y = forms.IntegerField(required=False, min_value=0, max_value=100, label="Focal point, down (%)")
    image_remove = forms.BooleanField(required=False, label="Remove the picture")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        picture = self.current_picture
        if picture is not None:
            self.initial.setdefault("image_alt", picture.alt_text)
            self.initial.setdefault("image_caption", picture.caption)
            self.initial.setdefault("image_credit", picture.credit)
            self.initial.setdefault("image_focal_x", round(picture.focal_x * 100))
            self.initial.setdefault("image_focal_y", round(picture.focal_y * 100))

    @property
    def current_picture(self) -> Picture | None:
        return getattr(self.instance, self.picture_field, None) if self.instance.pk else None

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not isinstance(upload, UploadedFile):
            return None
        return images.clean_upload(upload)

    def clean(self):
        cleaned = super().clean()
        has_picture = cleaned.get("image") is not None or (self.current_picture and not cleaned.get("image_remove"))
        if has_picture and self.picture_alt_required and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", ValidationError("Describe the picture for readers who cannot see it."))
        return cleaned

    def save_picture(self, user) -> None:
        """Store the new picture or the changes to the current one, then point the instance at it."""
        data, current = self.cleaned_data, self.current_picture
        fields = {
            "alt_text": (data.get("image_alt") or "").strip(),
            "caption": (data.get("image_caption") or "").strip(),
            "credit": (data.get("image_credit") or "").strip(),
            "focal_x": (data["image_focal_x"] if data.get("image_focal_x") is not None else 50) / 100,
            "focal_y": (data["image_focal_y"] if data.get("image_focal_y") is not None else 50) / 100,
        }
        if data.get("image") is not None:
            setattr(self.instance, self.picture_field, Picture.create(data["image"], user=user, **fields))
        elif current is not None and data.get("image_remove"):
            setattr(self.instance, self.picture_field, None)
        elif current is not None:
            moved = (fields["focal_x"], fields["focal_y"]) != (current.focal_x, current.focal_y)
            for name, value in fields.items():
                setattr(current, name, value)
            current.save(update_fields=["alt_text", "caption", "credit", "focal_x", "focal_y"])
            if moved:
                current.remake_renditions()
