"""The picture fields of a form (the article's lead and social images, an author's photo, the site's
share image and logo): upload, alt text, caption, credit and focal point, validated with
newsroom.lib.images before anything is stored.

A form with pictures is made with `with_pictures(PictureSlot(...), ...)`: each slot is one
ForeignKey to Picture and its own set of fields, named after its prefix (`image`, `image_alt`…)."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from newsroom.lib import images
from newsroom.lib.forms import PlainTextField
from pictures.models import Picture

ACCEPT = ",".join(f"image/{name.lower()}" for name in images.READABLE)
UPLOAD_HELP = f"{images.upload_limits()}. It is re-saved without its metadata."


@dataclass(frozen=True)
class PictureSlot:
    """One picture a form uploads or changes: the ForeignKey it fills (`model_field`) and the
    prefix of its form fields."""

    model_field: str
    prefix: str = "image"
    label: str = "Picture"
    alt_required: bool = True
    help_text: str = ""

    def name(self, part: str = "") -> str:
        return f"{self.prefix}_{part}" if part else self.prefix

    @property
    def field_names(self) -> list[str]:
        """The form fields, in the order the admin shows them."""
        return [self.name(part) for part in ("", "alt", "caption", "credit", "focal_x", "focal_y", "remove")]

    def form_fields(self) -> dict[str, forms.Field]:
        help_text = f"{self.help_text} {UPLOAD_HELP}".strip()
        return {
            self.name(): forms.FileField(
                required=False,
                label=self.label,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                help_text=help_text,
                error_messages={"empty": images.empty_or_damaged()},
            ),
            self.name("alt"): PlainTextField(
                required=False, max_length=300, label="Alt text", help_text="What the picture shows."
            ),
            self.name("caption"): PlainTextField(required=False, max_length=500, label="Caption"),
            self.name("credit"): PlainTextField(
                required=False, max_length=200, label="Credit", help_text="Photographer or agency."
            ),
            self.name("focal_x"): forms.IntegerField(
                required=False,
                min_value=0,
                max_value=100,
                label="Focal point, across (%)",
                help_text="Crops keep this point.",
            ),
            self.name("focal_y"): forms.IntegerField(
                required=False, min_value=0, max_value=100, label="Focal point, down (%)"
            ),
            self.name("remove"): forms.BooleanField(required=False, label=f"Remove the {self.label.lower()}"),
        }


class PictureFieldsMixin(forms.Form):
    """Mixed into a ModelForm (through with_pictures()) whose model has the slots' ForeignKeys."""

    picture_slots: tuple[PictureSlot, ...] = ()

    class Media:
        js = ["desk/focal.js"]  # click the focal point on the picture (pictures.admin.picture_preview)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for slot in self.picture_slots:
            picture = self.current_picture(slot)
            if picture is not None:
                self.initial.setdefault(slot.name("alt"), picture.alt_text)
                self.initial.setdefault(slot.name("caption"), picture.caption)
                self.initial.setdefault(slot.name("credit"), picture.credit)
                self.initial.setdefault(slot.name("focal_x"), round(picture.focal_x * 100))
                self.initial.setdefault(slot.name("focal_y"), round(picture.focal_y * 100))

    def current_picture(self, slot: PictureSlot) -> Picture | None:
        return getattr(self.instance, slot.model_field, None) if self.instance.pk else None

    def clean(self):
        cleaned = super().clean()
        for slot in self.picture_slots:
            upload = cleaned.get(slot.name())
            if isinstance(upload, UploadedFile):
                try:
                    cleaned[slot.name()] = images.clean_upload(upload)
                except ValidationError as error:
                    self.add_error(slot.name(), error)
                    continue
            else:
                cleaned[slot.name()] = None
            has_picture = cleaned[slot.name()] is not None or (
                self.current_picture(slot) and not cleaned.get(slot.name("remove"))
            )
            if has_picture and slot.alt_required and not (cleaned.get(slot.name("alt")) or "").strip():
                self.add_error(slot.name("alt"), ValidationError("Describe the picture for readers who cannot see it."))
        return cleaned

    def save_picture(self, user) -> None:
        """Store each new picture or the changes to a current one, then point the instance at it."""
        for slot in self.picture_slots:
            self._save_slot(slot, user)

    def _save_slot(self, slot: PictureSlot, user) -> None:
        data, current = self.cleaned_data, self.current_picture(slot)
        focal_x, focal_y = data.get(slot.name("focal_x")), data.get(slot.name("focal_y"))
        fields = {
            "alt_text": (data.get(slot.name("alt")) or "").strip(),
            "caption": (data.get(slot.name("caption")) or "").strip(),
            "credit": (data.get(slot.name("credit")) or "").strip(),
            "focal_x": (focal_x if focal_x is not None else 50) / 100,
            "focal_y": (focal_y if focal_y is not None else 50) / 100,
        }
        if data.get(slot.name()) is not None:
            setattr(self.instance, slot.model_field, Picture.create(data[slot.name()], user=user, **fields))
        elif current is not None and data.get(slot.name("remove")):
            setattr(self.instance, slot.model_field, None)
        elif current is not None:
            moved = (fields["focal_x"], fields["focal_y"]) != (current.focal_x, current.focal_y)
            for name, value in fields.items():
                setattr(current, name, value)
            current.save(update_fields=["alt_text", "caption", "credit", "focal_x", "focal_y"])
            if moved:
                current.remake_renditions()


def with_pictures(*slots: PictureSlot) -> type[PictureFieldsMixin]:
    """A form mixin with the fields of these picture slots (declared, so the admin's fieldsets
    may name them)."""
    fields = {name: field for slot in slots for name, field in slot.form_fields().items()}
    return type("PictureFields", (PictureFieldsMixin,), {**fields, "picture_slots": slots})


ALT_TEXT_MISSING = "Describe the picture for readers who cannot see it."


class PictureUploadForm(forms.Form):
    """A new picture for the library (the desk's upload, in the story editor or the library's own
    Add page): the file, validated by newsroom.lib.images before anything is stored, and its alt
    text (required), caption and credit. Mixed into a ModelForm of Picture for the admin."""

    file = forms.FileField(
        label="Picture",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=UPLOAD_HELP,
        error_messages={"empty": images.empty_or_damaged(), "required": "Choose a picture to upload."},
    )
    alt_text = PlainTextField(
        max_length=300,
        label="Alt text",
        help_text="What the picture shows, for readers who cannot see it.",
        error_messages={"required": ALT_TEXT_MISSING},
    )
    caption = PlainTextField(required=False, max_length=500, label="Caption")
    credit = PlainTextField(required=False, max_length=200, label="Credit", help_text="Photographer or agency.")

    def clean_file(self) -> images.CleanImage:
        return images.clean_upload(self.cleaned_data["file"])

    def create_picture(self, user) -> Picture:
        """Store the validated picture and its renditions (nothing stays behind on failure)."""
        data = self.cleaned_data
        return Picture.create(
            data["file"], user=user, alt_text=data["alt_text"], caption=data["caption"], credit=data["credit"]
        )
