from django.conf import settings
from django.core.validators import MaxLengthValidator, RegexValidator, URLValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.text import slugify
from django_prose_editor.fields import ProseEditorField

from newsroom.lib.fields import HttpsURLField, PlainCharField
from newsroom.lib.html import BIO_EDITOR_EXTENSIONS, clean_bio
from newsroom.lib.urls import fast_reverse

x_handle_validator = RegexValidator(
    r"^@?[A-Za-z0-9_]{1,15}$",
    "Enter an X handle: up to 15 letters, digits or underscores, with or without a leading @.",
)
mastodon_handle_validator = RegexValidator(
    r"^@?[A-Za-z0-9_]{1,30}@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$",
    "Enter a Mastodon handle such as @name@example.social.",
)
bluesky_handle_validator = RegexValidator(
    r"^@?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,}$",
    "Enter a Bluesky handle such as name.bsky.social.",
)


class AuthorQuerySet(models.QuerySet):
    def organisations(self):
        return self.filter(kind=Author.Kind.ORGANISATION)


class Author(models.Model):
    """A name that appears on stories: a person or an organisation (agency, desk).

    Bylines are not user accounts; a staff member may be linked to one author.
    """

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"

    name = PlainCharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    job_title = PlainCharField(max_length=200, blank=True)
    bio = ProseEditorField(
        blank=True,
        validators=[MaxLengthValidator(10_000)],
        config={"extensions": BIO_EDITOR_EXTENSIONS},
        sanitize=clean_bio,
        help_text="Shown on the author page and in “About the author”: paragraphs, bold, italic and links.",
    )
    photo = models.ForeignKey(
        "pictures.Picture", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    website = HttpsURLField(blank=True, validators=[URLValidator(schemes=["http", "https"])])
    x_handle = PlainCharField("X handle", max_length=16, blank=True, validators=[x_handle_validator])
    mastodon_handle = PlainCharField(max_length=100, blank=True, validators=[mastodon_handle_validator])
    bluesky_handle = PlainCharField(max_length=253, blank=True, validators=[bluesky_handle_validator])
    email = models.EmailField(blank=True, help_text="For the desk only; never shown on the site.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        help_text="The staff account of this author, if they log in.",
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="Former staff stay inactive: their page and stories remain."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["person", "organisation"]), name="author_kind_valid"),
            models.CheckConstraint(condition=~models.Q(slug=""), name="author_slug_not_empty"),
        ]
        indexes = [models.Index(Lower("name"), name="author_name_lower")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.bio = clean_bio(self.bio)
        if not self.slug:
            self.slug = slugify(self.name, allow_unicode=True)[:200] or "author"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return fast_reverse("articles:author", {"slug": "slug-sample"}, slug=self.slug)

    @property
    def is_organisation(self) -> bool:
        return self.kind == self.Kind.ORGANISATION

    @property
    def social_links(self) -> list[tuple[str, str]]:
        """(label, URL) pairs for the author page, built from the validated handles."""
        links = []
        if self.website:
            links.append(("Website", self.website))
        if self.x_handle:
            links.append(("X", f"https://x.com/{self.x_handle.lstrip('@')}"))
        if self.mastodon_handle:
            user, _, host = self.mastodon_handle.lstrip("@").partition("@")
            links.append(("Mastodon", f"https://{host}/@{user}"))
        if self.bluesky_handle:
            links.append(("Bluesky", f"https://bsky.app/profile/{self.bluesky_handle.lstrip('@')}"))
        return links
