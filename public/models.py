"""The pages about the site that staff edit at the desk: About, Contact and the corrections
policy, linked from every page's footer. A page is live once saved; it has no drafts."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_prose_editor.fields import ProseEditorField

from newsroom.lib import html as html_limits
from newsroom.lib.fields import PlainCharField
from newsroom.lib.html import clean

PAGE_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False},
}


class PageSlug(models.TextChoices):
    """The pages the site has, each at its own address (public.urls)."""

    ABOUT = "about", "About"
    CONTACT = "contact", "Contact"
    CORRECTIONS_POLICY = "corrections-policy", "Corrections policy"


class SitePage(models.Model):
    """A page about the site (the model is not "Page": that is a page of a listing, public.pagination)."""

    Slug = PageSlug

    slug = models.SlugField(max_length=40, choices=PageSlug.choices, db_index=False, help_text="Which page this is.")
    title = PlainCharField(max_length=200)
    body = ProseEditorField(
        validators=[MaxLengthValidator(html_limits.MAX_LENGTH)],
        config={"extensions": PAGE_EDITOR_EXTENSIONS},
        sanitize=clean,
        help_text="Paragraphs, subheadings, lists and links. Pasted formatting is cleaned on save.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="site_page_slug_unique"),
            models.CheckConstraint(condition=Q(slug__in=PageSlug.values), name="site_page_slug_known"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.body = clean(self.body)  # whatever saved it: the desk, load_demo, a shell
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(f"articles:{self.slug}")
