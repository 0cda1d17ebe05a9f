"""Pictures: an uploaded image with its alt text, caption, credit, focal point and renditions.

Files are written and read only through Django's storage API (local files by default, S3 with
django-storages). What renditions exist is recorded on the row, so pages build <picture> and
srcset from the database and never ask the storage whether a file exists.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction

from newsroom.lib import images
from newsroom.lib.fields import PlainCharField
from newsroom.lib.urls import absolute

UNIT = [MinValueValidator(0.0), MaxValueValidator(1.0)]
# The crop a story page shows its lead picture in (jinja2/public/story.html); feeds and sitemaps give the same.
LEAD_CROP = "16x9"


def largest_rendition(renditions: list[dict], crop: str, image_format: str = "jpeg") -> dict | None:
    """The widest of the recorded renditions in this crop and format (sitemaps read them as values)."""
    return max(
        (r for r in renditions if r["crop"] == crop and r["format"] == image_format),
        key=lambda r: r["width"],
        default=None,
    )


@dataclass(frozen=True)
class ShareImage:
    """A picture as other sites take it (share cards, structured data, feeds): one JPEG rendition."""

    url: str  # absolute
    width: int
    height: int
    alt: str


class PictureQuerySet(models.QuerySet):
    def matching(self, text: str):
        """Pictures whose alt text, caption or credit hold every word of `text` (any case)."""
        pictures = self
        for word in text.split()[:10]:
            either = models.Q(alt_text__icontains=word) | models.Q(caption__icontains=word)
            pictures = pictures.filter(either | models.Q(credit__icontains=word))
        return pictures

    def newest_first(self):
        return self.order_by("-created_at", "-pk")


class Picture(models.Model):
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="Names the picture's folder.")
    file = models.FileField(max_length=200, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    focal_x = models.FloatField(default=0.5, validators=UNIT, help_text="0 is the left edge, 1 the right.")
    focal_y = models.FloatField(default=0.5, validators=UNIT, help_text="0 is the top edge, 1 the bottom.")
    alt_text = PlainCharField(
        max_length=300, blank=True, help_text="What the picture shows, for readers who cannot see it."
    )
    caption = PlainCharField(max_length=500, blank=True)
    credit = PlainCharField(max_length=200, blank=True, help_text="Photographer or agency.")
    renditions = models.JSONField(default=list, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PictureQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(focal_x__gte=0, focal_x__lte=1), name="picture_focal_x_range"),
            models.CheckConstraint(condition=models.Q(focal_y__gte=0, focal_y__lte=1), name="picture_focal_y_range"),
        ]

    def __str__(self) -> str:
        return self.alt_text or self.file.name

    # Making and replacing files.

    @classmethod
    def create(cls, clean: images.CleanImage, *, user=None, **fields) -> "Picture":
        """Store a validated upload and its renditions, and record them; on failure nothing stays behind."""
        picture = cls(width=clean.width, height=clean.height, uploaded_by=user, **fields)
        written = []
        try:
            name = default_storage.save(f"{picture.folder}/original.{clean.extension}", ContentFile(clean.content))
            written.append(name)
            picture.file.name = name
            written += picture._write_renditions(clean.content)
            picture.save()
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
        return picture

    @property
    def folder(self) -> str:
        return f"pictures/{self.key}"

    def _write_renditions(self, content: bytes) -> list[str]:
        records, written = [], []
        try:
            for made in images.renditions(content, focal_x=self.focal_x, focal_y=self.focal_y):
                name = default_storage.save(f"{self.folder}/{made.suffix}", ContentFile(made.content))
                written.append(name)
                records.append(
                    {
                        "crop": made.crop,
                        "width": made.width,
                        "height": made.height,
                        "format": made.format,
                        "name": name,
                        "bytes": len(made.content),
                    }
                )
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
        self.renditions = records
        return written

    def replace_file(self, clean: images.CleanImage) -> None:
        """Another file for the same picture (a better scan, a fixed crop), with its renditions: the
        stories showing it show the new one. The old files go once the change is committed."""
        old = [self.file.name, *(record["name"] for record in self.renditions)]
        written = []
        try:
            name = default_storage.save(f"{self.folder}/original.{clean.extension}", ContentFile(clean.content))
            written.append(name)
            written += self._write_renditions(clean.content)
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
        self.file.name, self.width, self.height = written[0], clean.width, clean.height
        self.save()
        for name in set(old) - set(written):
            transaction.on_commit(lambda name=name: default_storage.delete(name))

    def remake_renditions(self, also: tuple | list = ()) -> None:
        """Make the renditions again (after a focal point change, or for older pictures), saving
        them with the focal point and the fields named in `also`."""
        old = [record["name"] for record in self.renditions]
        with default_storage.open(self.file.name, "rb") as original:
            content = original.read()
        new = self._write_renditions(content)
        self.save(update_fields=["renditions", "focal_x", "focal_y", *also])
        for name in set(old) - set(new):
            transaction.on_commit(lambda name=name: default_storage.delete(name))

    # Reading renditions, for templates and structured data.

    def sources(self, crop: str, image_format: str) -> list[dict]:
        return sorted(
            (r for r in self.renditions if r["crop"] == crop and r["format"] == image_format), key=lambda r: r["width"]
        )

    def srcset(self, crop: str, image_format: str) -> str:
        return ", ".join(f"{default_storage.url(r['name'])} {r['width']}w" for r in self.sources(crop, image_format))

    def best(self, crop: str, image_format: str = "jpeg", *, at_least: int = 0) -> dict | None:
        """The smallest rendition at least `at_least` wide, or the largest there is."""
        sources = self.sources(crop, image_format)
        if not sources:
            return None
        return next((r for r in sources if r["width"] >= at_least), sources[-1])

    def largest(self, crop: str, image_format: str = "jpeg") -> dict | None:
        return largest_rendition(self.renditions, crop, image_format)

    def url_of(self, rendition: dict) -> str:
        return default_storage.url(rendition["name"])

    @staticmethod
    def size_of(rendition: dict) -> int:
        """The rendition's file size in bytes: recorded since renditions carry it, asked of the
        storage for those made before."""
        return rendition["bytes"] if "bytes" in rendition else default_storage.size(rendition["name"])

    def share_image(self, crop: str = "16x9", *, at_least: int = 1200) -> ShareImage | None:
        """The JPEG rendition of `crop` at least `at_least` wide where the original allows (share
        cards want 1200 px), with its absolute URL; None before renditions are made."""
        rendition = self.best(crop, "jpeg", at_least=at_least)
        if rendition is None:
            return None
        return ShareImage(absolute(self.url_of(rendition)), rendition["width"], rendition["height"], self.alt_text)
