import uuid
from datetime import timedelta

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.db import connection, models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.text import slugify
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from articles.body import picture_ids
from authors.models import Author
from newsroom.lib import embeds, websearch
from newsroom.lib import html as html_limits
from newsroom.lib.fields import HttpsURLField, PlainCharField, PlainTextField
from newsroom.lib.html import clean, to_text
from newsroom.lib.text import refuse_unusable_characters
from newsroom.lib.urls import fast_reverse
from pictures.models import Picture

# What the editor offers matches what newsroom.lib.html.clean keeps.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False},
    "History": True,
    "SpecialCharacters": True,
    # The body's blocks (static/desk/blocks.js, settings.DJANGO_PROSE_EDITOR_EXTENSIONS).
    "BodyPicture": True,
    "BodyGallery": True,
    "BodyPullQuote": True,
    "BodyFactBox": True,
    # The providers the editor names as an address is pasted (one list: newsroom.lib.embeds).
    "BodyEmbed": {
        "providers": [
            {"key": p.key, "label": p.label, "hosts": sorted(p.hosts - embeds.ANY_HOST)} for p in embeds.PROVIDERS
        ]
    },
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    # Says what a paste lost (pictures from other sites, scripts, styles); maps h1 to h2, h5/h6 to h4.
    "BodyPaste": True,
}

# Byline positions are moved this far out of the way while a byline is rearranged.
BYLINE_SHIFT = 1_000

# The longest search and social texts a story may set, and about how much of each Google's
# results and share cards show (the help texts say so; the desk's preview cuts there).
SEO_TITLE_LENGTH, SEO_TITLE_SHOWN = 100, 60
META_DESCRIPTION_LENGTH, META_DESCRIPTION_SHOWN = 300, 155
SOCIAL_HEADLINE_LENGTH, SOCIAL_HEADLINE_SHOWN = 150, 70
SOCIAL_DESCRIPTION_LENGTH, SOCIAL_DESCRIPTION_SHOWN = 300, 200

# The publisher's logo: its square crop, at least this wide where the original allows.
LOGO_CROP, LOGO_WIDTH = "1x1", 512

# "Updated" is shown only when the update came meaningfully later than publication.
UPDATED_AFTER = timedelta(minutes=1)


def is_editor(user) -> bool:
    """Editors (and superusers) may do everything to every article."""
    return user.is_active and user.has_perm("articles.publish_article")


def is_reviewer(user) -> bool:
    """Reviewers (editors) may return drafts with a comment and share unpublished stories."""
    return user.is_active and user.has_perm("articles.review_article")


SEARCH_CONFIG = "english"  # the text search configuration of the triggers (migrations 0005, 0015, 0019)
# The GIN indexes behind search on PostgreSQL (migrations 0005 and 0015; fastupdate off: 0017).
SEARCH_INDEXES = (
    "articles_article_search_gin",
    "articles_article_search_title_gin",
    "articles_article_search_headline_gin",
)


def revision_now() -> int:
    """A new public revision: the time in microseconds (revisions are also page times)."""
    return int(timezone.now().timestamp() * 1_000_000)


def in_any(*keys) -> Q:
    """Stories whose key is in any of these one-column values() querysets: their union, each part
    read with its own index. For sets that are each a small part of the archive (a writer's own
    stories, the stories wire alerts concern, those showing a picture): one OR between subqueries
    (`Q(pk__in=...) | Q(...)`) makes PostgreSQL read every story, 78 ms at 100,000 for the
    dashboard's wire alerts. Not for a large set read newest first with a limit (the desk's list by
    a busy author): there the OR walks the date index and stops early, the union reads them all."""
    first, *rest = (part.order_by() for part in keys)
    return Q(pk__in=first.union(*rest))


def _holds(term: websearch.Term) -> Q:
    """Stories whose text holds the term as whole words (databases without full-text search)."""
    plain, html = websearch.pattern(term), websearch.pattern(term, html=True)
    # LIKE first, where it can tell (ASCII: its case rules are ASCII's): a regular expression is a
    # call into Python for each row, 15 times slower over a body.
    ascii_words = sorted((word for word in term.words if word.isascii()), key=len)
    found = {
        field: (Q(**{f"{field}__icontains": ascii_words[-1]}) if ascii_words else Q())
        & Q(**{f"{field}__iregex": html if field == "body" else plain})
        for field in ("headline", "standfirst", "body")
    }
    return (
        found["headline"]
        | found["standfirst"]
        | found["body"]
        | Q(Exists(Author.objects.filter(pk=OuterRef("credit_id"), name__iregex=plain)))
        | Q(Exists(Byline.objects.filter(article=OuterRef("pk"), author__name__iregex=plain)))
    )


class ArticleQuerySet(models.QuerySet):
    def published(self, at=None):
        """What readers may see: the one definition, used by every public page, feed and search.

        `at` is the moment to judge by (now, unless given: prepared queries pass it in)."""
        at = at or timezone.now()
        # An agency's embargo holds here too: an update that moves it later hides the story again.
        unembargoed = Q(embargoed_until__isnull=True) | Q(embargoed_until__lte=at)
        # A story in the trash is never published (the article_trashed_is_not_published constraint
        # holds it in SQL): the status says it, so the partial indexes on status still serve.
        return self.filter(unembargoed, status=Article.Status.PUBLISHED, published_at__lte=at)

    def scheduled(self):
        """Published, but not yet for readers: its time, or the agency's embargo, is still to come."""
        now = timezone.now()
        return self.filter(Q(published_at__gt=now) | Q(embargoed_until__gt=now), status=Article.Status.PUBLISHED)

    def drafts(self):
        """Drafts at work on the desk: a story in the trash is a draft by status, but not one of these."""
        return self.filter(status=Article.Status.DRAFT, trashed_at__isnull=True)

    def in_review(self):
        return self.filter(status=Article.Status.IN_REVIEW)

    def unpublished(self):
        """Drafts that were live once and were taken down (they keep their first publication time)."""
        return self.drafts().filter(published_at__isnull=False)

    def in_state(self, state: str):
        """Articles in one of the desk's states (Article.State): drafts include unpublished ones."""
        return {
            Article.State.DRAFT: self.drafts,
            Article.State.IN_REVIEW: self.in_review,
            Article.State.SCHEDULED: self.scheduled,
            Article.State.LIVE: self.published,
            Article.State.UNPUBLISHED: self.unpublished,
            Article.State.TRASHED: self.in_trash,
        }[state]()

    def in_trash(self):
        """Stories moved to the trash: on no public surface, restorable until purge_trash removes them."""
        return self.filter(trashed_at__isnull=False)

    def not_in_trash(self):
        """What the desk works on: every story but those in the trash."""
        return self.filter(trashed_at__isnull=True)

    def due_for_purge(self, now=None):
        """Stories in the trash for longer than settings.TRASH_DAYS: purge_trash deletes them."""
        return self.filter(trashed_at__lte=(now or timezone.now()) - timedelta(days=settings.TRASH_DAYS))

    def matching(self, text: str):
        """Stories whose text matches `text`: the one definition of a match, for the desk's search
        and the readers'. Its text is the headline, standfirst and body and the names on its
        byline and credit; the syntax web search's (quotes, `or`, `-word`). On PostgreSQL the
        full-text index answers; elsewhere the same query (newsroom.lib.websearch) is asked as
        whole words, in any case, of the same texts."""
        query = websearch.parse(text)
        if not query:
            return self.none()
        if connection.vendor == "postgresql":
            return self.filter(search_vector=SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG))
        matches = Q()
        for clause in query:
            either = Q()
            for term in clause:
                either |= ~_holds(term) if term.negated else _holds(term)
            matches &= either
        return self.filter(matches)

    def touch(self, **fields) -> int:
        """Raise the public revision of these stories (and set `fields`, if given) without save():
        what readers see of them has changed, so their rendered cards and pages are stale."""
        return self.update(public_revision=Greatest(F("public_revision") + 1, revision_now()), **fields)

    def for_listing(self):
        """What pages show of each article: bylines with their authors, the credit, the lead image."""
        return self.select_related("credit__photo", "lead_image", "section__parent").prefetch_related(
            models.Prefetch("bylines", queryset=Byline.objects.select_related("author__photo"))
        )

    def for_page(self):
        """Everything an article page shows: for_listing(), the tags, the social image and the corrections."""
        return self.for_listing().with_tags().select_related("social_image").prefetch_related("corrections")

    def with_body_pictures(self):
        """The pictures of each story's body, in order (`body_pictures`, each with its picture): one query."""
        shown = ArticlePicture.objects.select_related("picture").order_by("position")
        return self.prefetch_related(models.Prefetch("body_pictures", queryset=shown))

    def with_tags(self):
        """Tags in one query without taggit's per-article querysets (the cost profiling found)."""
        return self.prefetch_related(
            models.Prefetch("tagged_items", queryset=TaggedArticle.objects.select_related("tag"))
        )

    def by(self, author):
        """Articles an author is bylined on or credited for."""
        return self.filter(Q(pk__in=Byline.objects.filter(author=author).values("article_id")) | Q(credit=author))

    def by_parts(self, author) -> tuple:
        """by(), as the bylined and the credited stories: for listings, which read each with its own
        index (one query with OR between them makes PostgreSQL scan every story of a rare author)."""
        return self.filter(pk__in=Byline.objects.filter(author=author).values("article_id")), self.filter(credit=author)

    def showing(self, picture):
        """Stories that show the picture: in their body (ArticlePicture), as lead or social image."""
        return self.filter(
            in_any(
                ArticlePicture.objects.filter(picture=picture).values("article_id"),
                Article.objects.filter(lead_image=picture).values("pk"),
                Article.objects.filter(social_image=picture).values("pk"),
            )
        )

    def owned_by(self, user):
        """Articles the user created or is bylined on (through the author linked to their account)."""
        return self.filter(
            in_any(
                Article.objects.filter(created_by=user).values("pk"),
                Byline.objects.filter(author__user=user).values("article_id"),
            )
        )

    def visible_to(self, user):
        """What a staff member sees in the admin: editors everything, writers their own and what is live."""
        if is_editor(user):
            return self.all()
        own = self.owned_by(user).values("pk")
        return self.filter(Q(pk__in=own) | Q(pk__in=self.published().values("pk")))

    # The desk's dashboard (desk.dashboard): each of its lists in a fixed number of queries.

    def count_by_state(self) -> dict[str, int]:
        """How many of these articles are in each of the desk's states (Article.State), in one query:
        each row is checked against in_state() by its key (at 12,600 stories of one writer, 97 ms
        against 169 for a subquery of these articles per state)."""
        in_state = {state: Article.objects.in_state(state).filter(pk=OuterRef("pk")) for state in Article.State.values}
        return self.aggregate(**{state: Count("pk", filter=Exists(rows)) for state, rows in in_state.items()})

    def with_latest(self, action: str, to_attr: str):
        """Each article's latest transition of one kind (its user and their author with it, to
        name them) as `to_attr`, a list of none or one: one query for all the articles."""
        latest = (
            ArticleTransition.objects.filter(action=action)
            .select_related("user__author")
            .order_by("-created_at", "-id")[:1]
        )
        return self.prefetch_related(models.Prefetch("transitions", queryset=latest, to_attr=to_attr))

    def in_review_queue(self):
        """In review, the longest waiting first, each with its submission (`submissions`): who
        submitted it, when, and their note."""
        submitted = ArticleTransition.objects.filter(article=OuterRef("pk"), action=ArticleTransition.Action.SUBMIT)
        return (
            self.in_review()
            .annotate(submitted_at=Subquery(submitted.values("created_at")[:1]))
            .order_by(F("submitted_at").asc(nulls_first=True), "pk")
            .with_latest(ArticleTransition.Action.SUBMIT, "submissions")
        )

    def returned_to(self, user):
        """The user's drafts whose latest step was a return to draft, the latest first, each with
        that return (`returns`): who returned it, when, and their comment."""
        latest = ArticleTransition.objects.filter(article=OuterRef("pk")).values("action")[:1]
        return (
            self.owned_by(user)
            .drafts()
            .alias(latest_action=Subquery(latest))
            .filter(latest_action=ArticleTransition.Action.RETURN)
            .order_by("-edited_at", "-pk")
            .with_latest(ArticleTransition.Action.RETURN, "returns")
        )

    def scheduled_queue(self):
        """Scheduled, the next to go live first (an agency's later embargo counts)."""
        goes_live = Greatest("published_at", Coalesce("embargoed_until", "published_at"))
        return self.scheduled().annotate(goes_live=goes_live).order_by("goes_live", "pk")


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        # The search vectors are large and only the search queries read them (in SQL).
        return super().get_queryset().defer("search_vector", "search_title")


# taggit's slug column holds 100; room is left for the "_1" it adds to a slug already taken.
TAG_SLUG_LENGTH = 90


def tag_names(text: str) -> list[str]:
    """The tag names typed in one box, as the box says: separated by commas (a name may hold
    spaces: "Climate change" is one tag), trimmed, each once (case aside), in the order typed.
    Nothing typed is dropped but empty names and repeats. taggit reads tags this way too
    (settings.TAGGIT_TAGS_FROM_STRING)."""
    names = {}
    for part in (text or "").split(","):
        name = " ".join(part.split())
        if name:
            names.setdefault(name.casefold(), name)
    return list(names.values())


def tag_name_problem(name: str) -> str | None:
    """Why a new tag name cannot be used, or None. A tag needs a letter or digit for its address
    (/tags/<slug>/): "!!!" would make a tag no page can link to."""
    if len(name) > 100:
        return "A tag can be at most 100 characters long."
    slug = slugify(name, allow_unicode=True)
    if not slug:
        return f"The tag “{name}” needs at least one letter or digit."
    if len(slug) > TAG_SLUG_LENGTH:
        # "㎞" becomes "km": a name within 100 characters can still make an address past the column.
        return f"The address of the tag “{name[:40]}…” would be too long; shorten the name."
    try:
        refuse_unusable_characters(name)
    except ValidationError as error:
        return error.messages[0]
    return None


class TaggedArticle(TaggedItemBase):
    """Tags through a real foreign key (not a generic relation), so joins use indexes."""

    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_unique")]


class WireHold(models.TextChoices):
    """An agency's word against a story (ninjs pubstatus): kept until an editor clears it."""

    NONE = "", "None"
    WITHHELD = "withheld", "Withheld by the agency"
    KILLED = "canceled", "Killed by the agency"


# Paths a section may not take although the URLconf does not show them (served outside Django,
# or only in some set-ups), besides every path the URLconf answers.
RESERVED_SECTION_SLUGS = frozenset({"admin", "media", "static", "robots", "sitemap", "feed", "page", "latest"})
SECTION_VIEWS = frozenset({"section", "subsection"})


def _address_taken(path: str) -> bool:
    """Whether a path the URLconf answers with something other than a section's page."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name not in SECTION_VIEWS


class Section(models.Model):
    """A part of the paper (World, Politics, City): its page, its feed, its place in the navigation.
    One level of subsections (World › Asia, at /world/asia/)."""

    name = PlainCharField(max_length=60)
    slug = models.SlugField(
        max_length=60,
        allow_unicode=True,
        unique=True,
        help_text="Its address: /world/, or /world/asia/ below a parent.",
    )
    description = PlainTextField(
        blank=True, validators=[MaxLengthValidator(500)], help_text="A sentence for the section's page and feed."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the navigation, lowest first.")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
        help_text="Makes this a subsection (one level only).",
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="Inactive sections leave the navigation; their pages still answer."
    )

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.CheckConstraint(condition=~Q(slug=""), name="section_slug_not_empty")]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def get_absolute_url(self) -> str:
        if self.parent_id:
            return reverse("articles:subsection", kwargs={"parent": self.parent.slug, "slug": self.slug})
        return reverse("articles:section", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.parent_id:
            if self.pk and self.parent_id == self.pk:
                raise ValidationError({"parent": "A section cannot be its own parent."})
            if self.parent.parent_id:
                raise ValidationError({"parent": "Subsections go one level deep: choose a top-level section."})
            if self.pk and self.children.exists():
                raise ValidationError({"parent": "This section has subsections, so it must stay at the top level."})
        if self.slug:
            self.validate_address()

    def validate_address(self) -> None:
        """The section's address must be its own: not a path the site already uses."""
        slug = self.slug
        if self.parent_id:
            taken = slug in RESERVED_SECTION_SLUGS or _address_taken(f"/{self.parent.slug}/{slug}/")
        else:
            taken = slug in RESERVED_SECTION_SLUGS or _address_taken(f"/{slug}/") or _address_taken(f"/{slug}/x/")
        if taken:
            raise ValidationError({"slug": f"The address “{slug}” is already used by the site; choose another."})

    @property
    def path_slugs(self) -> tuple[str, ...]:
        return (self.parent.slug, self.slug) if self.parent_id else (self.slug,)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"

    class State(models.TextChoices):
        """Where an article stands on the desk: its status, with published split by time."""

        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        SCHEDULED = "scheduled", "Scheduled"
        LIVE = "live", "Live"
        UNPUBLISHED = "unpublished", "Unpublished"
        TRASHED = "trashed", "In the trash"

    headline = PlainCharField(max_length=300)
    slug = models.SlugField(max_length=200, allow_unicode=True, help_text="The last part of the article's URL.")
    standfirst = PlainTextField(
        blank=True,
        validators=[MaxLengthValidator(1_000)],
        help_text="One or two sentences under the headline.",
    )
    body = ProseEditorField(
        blank=True,
        validators=[MaxLengthValidator(html_limits.MAX_LENGTH)],
        config={"extensions": BODY_EDITOR_EXTENSIONS},
        sanitize=clean,
        help_text="Paragraphs, subheadings, lists, quotes and links. Pasted formatting is cleaned on save.",
    )
    dateline_place = PlainCharField(
        max_length=100,
        blank=True,
        help_text="Where the story was reported from, e.g. “New Delhi”.",
    )
    language = PlainCharField(
        max_length=35, blank=True, default="en", help_text="A BCP 47 language tag such as en or nb-NO."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="First publication; kept through unpublishing."
    )
    updated_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="The last substantive update, shown to readers."
    )
    lead_image = models.ForeignKey(
        "pictures.Picture", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    # From the agency (ninjs `embargoed`, `pubstatus`): see articles.workflow's checks and published().
    embargoed_until = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Set by the agency: not to be published before this time."
    )
    wire_hold = models.CharField(
        max_length=20, choices=WireHold.choices, default=WireHold.NONE, blank=True, editable=False
    )
    wire_hold_reason = PlainTextField(blank=True, editable=False, help_text="What the agency said.")
    credit = models.ForeignKey(
        "authors.Author",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credited_articles",
        limit_choices_to={"kind": "organisation"},
        help_text="The agency or desk the story comes from, shown as the credit line.",
    )
    authors = models.ManyToManyField("authors.Author", through="Byline", related_name="articles", blank=True)
    tags = TaggableManager(through=TaggedArticle, blank=True)
    section = models.ForeignKey(
        "Section",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="primary_articles",
        help_text="Where the story belongs: its section page, breadcrumbs and label. Needed to publish.",
    )
    also_in = models.ManyToManyField(
        "Section", blank=True, related_name="also_articles", help_text="Further sections the story appears in."
    )
    kicker = PlainCharField(
        max_length=40, blank=True, help_text="A short label above the headline, e.g. “Analysis” or “Exclusive”."
    )
    # Search and social: each optional, each falling back (effective_seo_title() and the others below).
    seo_title = PlainCharField(
        "SEO title",
        max_length=SEO_TITLE_LENGTH,
        blank=True,
        help_text="The title in search results, if it should differ from the headline (the site's name "
        f"follows it). Google shows about the first {SEO_TITLE_SHOWN} characters of the two.",
    )
    meta_description = PlainCharField(
        max_length=META_DESCRIPTION_LENGTH,
        blank=True,
        help_text="The text under the title in search results; the standfirst if left empty. "
        f"Google shows about the first {META_DESCRIPTION_SHOWN} characters.",
    )
    social_headline = PlainCharField(
        max_length=SOCIAL_HEADLINE_LENGTH,
        blank=True,
        help_text="The headline of the card when the story is shared; the headline if left empty. "
        f"Cards show about the first {SOCIAL_HEADLINE_SHOWN} characters.",
    )
    social_description = PlainCharField(
        max_length=SOCIAL_DESCRIPTION_LENGTH,
        blank=True,
        help_text="The text of the card when the story is shared; the standfirst if left empty. "
        f"Cards show about the first {SOCIAL_DESCRIPTION_SHOWN} characters, often fewer.",
    )
    social_image = models.ForeignKey(
        "pictures.Picture",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="The picture of the card when the story is shared; the lead image if none.",
    )
    # Wire copy: where an imported story came from (its ninjs uri) and its times there, for the record.
    source_uri = PlainCharField(max_length=500, blank=True, editable=False)
    source_version = PlainCharField(max_length=50, blank=True, editable=False)
    source_first_created = models.DateTimeField(null=True, blank=True, editable=False)
    source_version_created = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(auto_now=True)
    # Set by workflow.trash (deleting at the desk), cleared by workflow.restore; purge_trash deletes
    # stories in the trash for longer than settings.TRASH_DAYS.
    trashed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the story was moved to the trash."
    )
    trashed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    # Goes up with every save; an edit form opened at an older version is refused (no lost edits).
    version = models.PositiveIntegerField(default=1, editable=False)
    # Goes up (to the time, in microseconds) with every save and whenever something the story shows
    # changes (an author, a tag, a picture: touch()). Readers' caches key a story's card and page
    # by it (public.fragments, public.caching), so a change re-renders that story and nothing else.
    public_revision = models.PositiveBigIntegerField(default=revision_now, editable=False)
    # Kept up to date by PostgreSQL triggers (migrations 0005, 0015 and 0019); always empty on SQLite.
    # search_vector: headline (weight A), standfirst (B), body (C) and the names on the byline and
    # credit (D, rewritten whenever bylines or an author's name change); search_title: the headline
    # and standfirst only, small enough to test row by row while reading a date index.
    search_vector = SearchVectorField(null=True, editable=False)
    search_title = SearchVectorField(null=True, editable=False)

    objects = ArticleManager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        permissions = [
            ("publish_article", "Can publish, schedule and unpublish articles"),
            ("review_article", "Can review articles and return them to draft"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="article_slug_unique"),
            models.UniqueConstraint(
                fields=["source_uri"], condition=~Q(source_uri=""), name="article_source_uri_unique"
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="article_slug_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_review", "published"]), name="article_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(updated_at__isnull=True) | Q(published_at__isnull=False, updated_at__gte=F("published_at")),
                name="article_updated_after_published",
            ),
            # Trashing takes a story down; restoring brings it back as a draft (articles.workflow).
            models.CheckConstraint(
                condition=Q(trashed_at__isnull=True) | ~Q(status="published"),
                name="article_trashed_is_not_published",
            ),
        ]
        indexes = [
            # The public listings: published stories, newest first.
            models.Index(F("published_at").desc(), name="article_published_idx", condition=Q(status="published")),
            models.Index(fields=["status", "-edited_at"], name="article_status_edited_idx"),
            # The desk's list, newest first (the default ordering): read in index order, not sorted.
            models.Index(F("published_at").desc(), F("created_at").desc(), name="article_desk_order_idx"),
            # The desk's list by latest activity (ArticleAdmin.ordering): 144 -> 49 ms at 100,000 stories.
            models.Index(F("edited_at").desc(), F("id").desc(), name="article_desk_activity_idx"),
            # Few stories carry an embargo or an agency's hold: the desk finds them without a scan.
            models.Index(
                fields=["embargoed_until"], name="article_embargo_idx", condition=Q(embargoed_until__isnull=False)
            ),
            models.Index(fields=["wire_hold"], name="article_wire_hold_idx", condition=~Q(wire_hold="")),
            # The trash is small: its list and the purge read it without a scan.
            models.Index(fields=["trashed_at"], name="article_trash_idx", condition=Q(trashed_at__isnull=False)),
            # A section's listing: its published stories, newest first.
            models.Index(
                "section", F("published_at").desc(), name="article_section_idx", condition=Q(status="published")
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs):
        self.body = clean(self.body)
        if not self.slug:
            self.slug = self.free_slug(self.headline, exclude=self.pk)
        if self.pk and not self._state.adding:
            self.version += 1
            self.public_revision = max(self.public_revision + 1, revision_now())
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version", "edited_at", "public_revision"}
        old_slug = getattr(self, "_saved_slug", None)
        saves_body = "body" in self.__dict__ and (
            kwargs.get("update_fields") is None or "body" in kwargs["update_fields"]
        )
        # One transaction with the reference table (no savepoint inside the admin's own).
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            if old_slug and old_slug != self.slug and self.has_been_published:
                # A story that has been live keeps answering at its old address (301).
                SlugRedirect.objects.filter(old_slug=self.slug).delete()
                SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": self})
            if saves_body:
                self._sync_body_pictures()
        self._saved_slug = self.slug
        if saves_body:
            self._saved_body = self.body

    def get_absolute_url(self) -> str:
        published = timezone.localtime(self.published_at)
        return fast_reverse(
            "articles:detail",
            {"year": 1987, "month": 12, "day": 31, "slug": "slug-sample"},
            year=f"{published.year:04d}",
            month=f"{published.month:02d}",
            day=f"{published.day:02d}",
            slug=self.slug,
        )

    def _sync_body_pictures(self) -> None:
        """Make the reference table (ArticlePicture) say which pictures the body shows, in order:
        nothing is read or written when the body names the same pictures as when it was loaded."""
        ids = picture_ids(self.body)
        saved = getattr(self, "_saved_body", None)
        if saved is not None and picture_ids(saved) == ids:
            return
        rows = {row.picture_id: row for row in ArticlePicture.objects.filter(article=self)}
        if gone := [pk for pk in rows if pk not in ids]:
            ArticlePicture.objects.filter(article=self, picture_id__in=gone).delete()
        moved = []
        positions = {pk: position for position, pk in enumerate(ids)}
        for pk, row in rows.items():
            if pk in positions and row.position != positions[pk]:
                row.position = positions[pk]
                moved.append(row)
        ArticlePicture.objects.bulk_update(moved, ["position"])
        new = [pk for pk in ids if pk not in rows]
        # Bodies written without a user (the wire, the demo) may name a picture that does not
        # exist: it renders nothing and has no row (the desk's form refuses it: usable_pictures()).
        existing = set(Picture.objects.filter(pk__in=new).values_list("pk", flat=True)) if new else set()
        ArticlePicture.objects.bulk_create(
            ArticlePicture(article=self, picture_id=pk, position=positions[pk]) for pk in new if pk in existing
        )

    @classmethod
    def free_slug(cls, text: str, *, exclude: int | None = None) -> str:
        """A slug made from `text` that no other story holds, as its slug or as an old address."""
        slug = base = slugify(text, allow_unicode=True)[:190].strip("-") or "story"
        number = 2
        while not cls.slug_is_free(slug, exclude=exclude):
            slug, number = f"{base}-{number}", number + 1
        return slug

    @classmethod
    def slug_is_free(cls, slug: str, *, exclude: int | None = None) -> bool:
        """No other story answers at this slug, now or through an old address that redirects."""
        taken = cls.objects.filter(slug=slug).exclude(pk=exclude).exists()
        return not taken and not SlugRedirect.objects.filter(old_slug=slug).exclude(article_id=exclude).exists()

    def validate_unique(self, exclude=None):
        super().validate_unique(exclude)
        if exclude and "slug" in exclude:
            return
        if SlugRedirect.objects.filter(old_slug=self.slug).exclude(article_id=self.pk).exists():
            raise ValidationError(
                {"slug": "This address belonged to another story and still leads readers there. Choose another slug."}
            )

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        article._saved_slug = article.__dict__.get("slug")
        # As loaded: a save whose body names the same pictures leaves the reference table alone.
        article._saved_body = article.__dict__.get("body")
        return article

    def is_owned_by(self, user) -> bool:
        if self.created_by_id is not None and self.created_by_id == user.pk:
            return True
        return self.pk is not None and self.bylines.filter(author__user=user).exists()

    def history_visible_to(self, user) -> bool:
        """Whether a staff member may read the story's revisions, cut drafts included: editors
        every story's, writers their own (created or bylined), in review and after too."""
        return is_editor(user) or self.is_owned_by(user)

    def can_be_edited_by(self, user) -> bool:
        """Editors edit everything; writers edit their own drafts only; nobody a story in the trash
        (it is restored first)."""
        if not (user.is_active and user.has_perm("articles.change_article")) or self.is_trashed:
            return False
        if is_editor(user):
            return True
        return self.status == self.Status.DRAFT and (self.pk is None or self.is_owned_by(user))

    @property
    def has_been_published(self) -> bool:
        """Once live, the first publication time and the URL are kept through unpublishing."""
        return self.published_at is not None and self.published_at <= timezone.now()

    @property
    def is_live(self) -> bool:
        """As published() judges it."""
        return self.status == self.Status.PUBLISHED and self.goes_live_at <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.goes_live_at > timezone.now()

    @property
    def goes_live_at(self):
        """When readers see a published story: its publication time, or the embargo if later."""
        return max(filter(None, [self.published_at, self.embargoed_until]))

    @property
    def is_embargoed(self) -> bool:
        return self.embargoed_until is not None and self.embargoed_until > timezone.now()

    @property
    def embargo_label(self) -> str:
        """ "Embargoed until 14:00 UTC (in 2 h)", for the desk; "" without an embargo."""
        if self.embargoed_until is None:
            return ""
        local, now = timezone.localtime(self.embargoed_until), timezone.localtime()
        when = f"{local:%H:%M %Z}" if local.date() == now.date() else f"{local:%-d %b %Y, %H:%M %Z}"
        seconds = (self.embargoed_until - now).total_seconds()
        if seconds <= 0:
            return f"Embargo lifted at {when}"
        wait = f"{round(seconds / 3600)} h" if seconds >= 5400 else f"{max(1, round(seconds / 60))} min"
        return f"Embargoed until {when} (in {wait})"

    def set_byline(self, authors, roles=()) -> list["Byline"]:
        """Make the byline `authors`, in this order (roles, if given, pair with them).

        The rows of authors who stay keep their identity; positions move in two steps (out of
        the way, then into place), so the one-author-per-position rule holds at every statement."""
        roles = list(roles) + [""] * (len(authors) - len(roles))
        existing = {byline.author_id: byline for byline in self.bylines.all()}
        self.bylines.exclude(author__in=authors).delete()
        kept = [existing[author.pk] for author in authors if author.pk in existing]
        self.bylines.filter(pk__in=[byline.pk for byline in kept]).update(position=F("position") + BYLINE_SHIFT)
        rows = []
        for position, (author, role) in enumerate(zip(authors, roles, strict=True)):
            row = existing.get(author.pk) or Byline(article=self, author=author)
            row.position, row.role = position, role
            rows.append(row)
        Byline.objects.bulk_update([row for row in rows if row.pk], ["position", "role"])
        Byline.objects.bulk_create([row for row in rows if not row.pk])
        return rows

    @property
    def is_trashed(self) -> bool:
        return self.trashed_at is not None

    @property
    def purged_at(self):
        """When purge_trash may delete the story for good (None outside the trash)."""
        return self.trashed_at + timedelta(days=settings.TRASH_DAYS) if self.trashed_at else None

    @property
    def state(self) -> str:
        """Where the article stands on the desk (Article.State); in SQL, ArticleQuerySet.in_state()."""
        if self.is_trashed:
            return self.State.TRASHED
        if self.is_scheduled:
            return self.State.SCHEDULED
        if self.is_live:
            return self.State.LIVE
        if self.status == self.Status.DRAFT and self.published_at is not None:
            return self.State.UNPUBLISHED
        return self.State(self.status)

    @property
    def state_label(self) -> str:
        """The state in words, with its time where it has one: “Scheduled for 02 Mar 2026, 10:00”."""
        state = self.state
        when = f"{timezone.localtime(self.published_at):%d %b %Y, %H:%M}" if self.published_at else ""
        if state == self.State.SCHEDULED:
            return f"Scheduled for {when}"
        if state == self.State.LIVE:
            return f"Live since {when}"
        if state == self.State.TRASHED:
            return f"In the trash since {timezone.localtime(self.trashed_at):%d %b %Y, %H:%M}"
        return self.State(state).label

    @property
    def byline_authors(self) -> list:
        """Bylined authors in order (uses prefetched bylines when the view loaded them)."""
        return [byline.author for byline in self.bylines.all()]

    @property
    def byline_groups(self) -> list[tuple[str, list]]:
        """The byline as readers read it: the authors without a role first ("By A and B"), then
        each role the desk typed with its authors ("Additional reporting by C"), in byline order.
        A role differing only in case is one group, spelt as first typed."""
        groups: dict[str, tuple[str, list]] = {}
        for byline in self.bylines.all():
            role = " ".join(byline.role.split())
            groups.setdefault(role.casefold(), (role, []))[1].append(byline.author)
        main = groups.pop("", None)
        return [*([main] if main else []), *groups.values()]

    @property
    def credited_authors(self) -> list:
        """Each bylined author in order, then the credit source: whom machines (JSON-LD, meta tags) name."""
        return [*self.byline_authors, *([self.credit] if self.credit else [])]

    @property
    def about_the_authors(self) -> list:
        """The credit source, then each bylined author, who has a bio: the “About The Author” box."""
        about = [self.credit] if self.credit and self.credit.bio else []
        about += [author for author in self.byline_authors if author.bio and author not in about]
        return about

    @property
    def sorted_tags(self) -> list:
        """Tags in alphabetical order (from with_tags() when the view loaded them)."""
        if "tagged_items" in getattr(self, "_prefetched_objects_cache", {}):
            tags = [item.tag for item in self.tagged_items.all()]
        else:
            tags = list(self.tags.all())
        return sorted(tags, key=lambda tag: tag.name.casefold())

    @property
    def dateline(self) -> str:
        """“New Delhi, May 16”: the place, then the publication date in the site's time zone."""
        if not self.published_at:
            return self.dateline_place
        published = timezone.localtime(self.published_at)
        date = f"{published:%B} {published.day}"
        return f"{self.dateline_place}, {date}" if self.dateline_place else date

    @property
    def shows_updated(self) -> bool:
        return bool(self.updated_at and self.published_at and self.updated_at - self.published_at >= UPDATED_AFTER)

    @property
    def summary(self) -> str:
        """Plain-text summary for listings, feeds and meta descriptions."""
        return self.standfirst or to_text(self.body)[:300]

    # Search and social: what each shows, falling back. The desk's preview (static/desk/social.js)
    # follows the same order.

    @property
    def effective_seo_title(self) -> str:
        """The page's <title> (before the site name): the SEO title, else the headline."""
        return self.seo_title or self.headline

    @property
    def effective_meta_description(self) -> str:
        """The meta description: the one set, else the summary (the standfirst, else the body's start)."""
        return self.meta_description or self.summary

    @property
    def effective_social_headline(self) -> str:
        """og:title and twitter:title: the social headline, else the bare headline."""
        return self.social_headline or self.headline

    @property
    def effective_social_description(self) -> str:
        """og:description and twitter:description: the social description, else the summary."""
        return self.social_description or self.summary

    def effective_social_image(self, site: "SiteSettings | None" = None):
        """The picture of a share card: the social image, else the lead image, else the site's
        default share image (with `site`, the settings the page already read), else None."""
        return self.social_image or self.lead_image or (site.default_share_image if site else None)


def public_tags():
    """Tags that live articles carry; no other tag is shown or counted."""
    live = Article.objects.published()
    return Tag.objects.filter(Exists(TaggedArticle.objects.filter(tag=OuterRef("pk"), content_object__in=live)))


def public_tags_with_counts():
    """public_tags() with how many live articles carry each (`article_count`), for the tag index."""
    live = Article.objects.published()
    return Tag.objects.filter(articles_taggedarticle_items__content_object__in=live).annotate(
        article_count=Count("articles_taggedarticle_items")
    )


def public_authors():
    """Authors with at least one live article (bylined or credited): exactly those whose page answers."""
    live = Article.objects.published()
    return Author.objects.filter(
        Exists(Byline.objects.filter(author=OuterRef("pk"), article__in=live))
        | Exists(live.filter(credit=OuterRef("pk")))
    )


class SlugRedirect(models.Model):
    """An old slug of a published story; its old URLs answer 301 to the current one."""

    old_slug = models.SlugField(max_length=200, allow_unicode=True, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="slug_redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.article.slug}"


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey("authors.Author", on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)
    role = PlainCharField(
        max_length=100,
        blank=True,
        help_text="Optional, e.g. “Additional reporting”.",
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="byline_unique_position"),
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author"),
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.article}"


class ArticlePicture(models.Model):
    """A picture a story's body shows, inline or in a gallery (articles.body.picture_ids): kept
    in step with the body by Article.save(). The lead and social images are foreign keys of their
    own. A picture some story shows cannot be deleted (PROTECT; the desk names the stories); an
    edit to it re-renders every story showing it (articles.changes)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="body_pictures")
    picture = models.ForeignKey("pictures.Picture", on_delete=models.PROTECT, related_name="article_uses")
    position = models.PositiveSmallIntegerField(help_text="Its place among the body's pictures, from 0.")

    class Meta:
        ordering = ["article", "position"]
        constraints = [models.UniqueConstraint(fields=["article", "picture"], name="article_picture_unique")]

    def __str__(self) -> str:
        return f"Picture {self.picture_id} in {self.article_id}"


def usable_pictures(user):
    """The pictures this staff member may put in a story (the desk's chooser, the story form's
    check of the body, the picture library): editors, who may change any story, every picture;
    writers the pictures they uploaded and those already shown on a story they may see
    (Article.visible_to), in its body or as its lead or social image."""
    if is_editor(user):
        return Picture.objects.all()
    if not user.is_active:
        return Picture.objects.none()
    stories = Article.objects.visible_to(user)
    return Picture.objects.filter(
        in_any(
            Picture.objects.filter(uploaded_by=user).values("pk"),
            ArticlePicture.objects.filter(article__in=stories.values("pk")).values("picture_id"),
            stories.filter(lead_image__isnull=False).values("lead_image_id"),
            stories.filter(social_image__isnull=False).values("social_image_id"),
        )
    )


def unusable_picture_ids(user, ids) -> list[int]:
    """Those of `ids` this user may not put in a story (usable_pictures()), or that do not exist."""
    ids = list(ids)
    if not ids:
        return []
    usable = set(usable_pictures(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [pk for pk in ids if pk not in usable]


class SiteSettings(models.Model):
    """Site-wide text that staff edit: the site name and the promo line under every article."""

    site_name = PlainCharField(max_length=100)
    promo_text = PlainCharField(
        max_length=300,
        blank=True,
        help_text="Shown at the end of every article, e.g. a newsletter invitation.",
    )
    promo_url = HttpsURLField(
        blank=True, validators=[URLValidator(schemes=["http", "https"])], help_text="Where the promo line links to."
    )
    default_share_image = models.ForeignKey(
        "pictures.Picture",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="The picture of a share card for pages without one of their own (the home, "
        "listings, stories without a picture).",
    )
    publisher_logo = models.ForeignKey(
        "pictures.Picture",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="The publisher's logo in structured data (search engines) and feeds: square works best.",
    )
    # Goes up with every change readers can see (see public.caching): page validators use it.
    content_version = models.PositiveBigIntegerField(default=1, editable=False)
    content_changed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "site settings"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="site_settings_singleton")]

    def __str__(self) -> str:
        return "Site settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @property
    def publisher_logo_image(self):
        """The logo as search engines and feeds take it (pictures.ShareImage: absolute URL, width,
        height), or None: the square crop, uncut for a square logo."""
        return self.publisher_logo.share_image(LOGO_CROP, at_least=LOGO_WIDTH) if self.publisher_logo else None

    @property
    def publisher_logo_url(self) -> str:
        """The logo's absolute URL, or "" without one (for feeds)."""
        logo = self.publisher_logo_image
        return logo.url if logo else ""

    @classmethod
    def load(cls) -> "SiteSettings":
        site, _ = cls.objects.get_or_create(pk=1, defaults={"site_name": settings.SITE_NAME})
        return site


class ArticleTransitionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The steps of the stories this staff member may see in the admin (Article.visible_to:
        their own and what is live), each step's story checked by its key, so the newest steps are
        read first and the reading stops at the last one shown (105 → 67 ms at 100,000 stories)."""
        if is_editor(user):
            return self.all()
        story = OuterRef("article_id")
        own, live = Article.objects.owned_by(user), Article.objects.published()
        return self.filter(Exists(own.filter(pk=story)) | Exists(live.filter(pk=story)))

    def for_desk(self):
        """With the story (not its text) and the user and their author, to name them."""
        return self.select_related("article", "user__author").defer(
            "article__body", "article__standfirst", "article__search_vector", "article__search_title"
        )


class ArticleTransition(models.Model):
    """The log of the editorial workflow: who moved which article from where to where, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Submitted for review"
        RETURN = "return", "Returned to draft"
        PUBLISH = "publish", "Published"
        SCHEDULE = "schedule", "Scheduled"
        UNPUBLISH = "unpublish", "Unpublished"
        UPDATE = "update", "Updated while live"
        CORRECT = "correct", "Correction added"
        WIRE_HOLD = "wire_hold", "Killed or withheld by the agency"
        CLEAR_HOLD = "clear_hold", "Agency hold cleared"
        AGENCY_UPDATE = "agency_update", "Agency update applied"
        WITHDRAW = "withdraw", "Withdrawn from review"
        RESCHEDULE = "reschedule", "Rescheduled"
        TRASH = "trash", "Moved to the trash"
        RESTORE = "restore", "Restored from the trash"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=Article.Status.choices)
    to_status = models.CharField(max_length=20, choices=Article.Status.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    comment = PlainTextField(blank=True)
    publish_at = models.DateTimeField(null=True, blank=True, help_text="The publication time chosen, if any.")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ArticleTransitionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["article", "-created_at"], name="transition_article_idx"),
            # The dashboard's latest activity on the desk: 182 -> 44 ms with 196,000 log rows.
            models.Index(F("created_at").desc(), F("id").desc(), name="transition_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.article}"


class Correction(models.Model):
    """A correction or clarification note, part of a published article from then on."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = PlainTextField(help_text="What was wrong and what is right now, in plain words.")
    created_at = models.DateTimeField("time", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["correction", "clarification"]), name="correction_kind_valid"),
            models.CheckConstraint(condition=~Q(text=""), name="correction_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.article}"


class ShareLink(models.Model):
    """A signed, expiring link to an unpublished article for someone without a login."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="share_links")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    SALT = "articles.share-link"

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Share link for {self.article}"

    def get_absolute_url(self) -> str:
        return reverse("articles:share", kwargs={"token": self.token})

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def token(self) -> str:
        return signing.dumps(str(self.id), salt=self.SALT, compress=True)

    @classmethod
    def from_token(cls, token: str) -> "ShareLink | None":
        """The active link a token names, or None for a tampered, unknown, expired or revoked one."""
        try:
            link_id = uuid.UUID(signing.loads(token, salt=cls.SALT))
        except (signing.BadSignature, ValueError):
            return None
        active = cls.objects.filter(id=link_id, revoked_at__isnull=True, expires_at__gt=timezone.now())
        return active.filter(article__trashed_at__isnull=True).first()  # a story in the trash is shown to nobody


reversion.register(Byline)
reversion.register(TaggedArticle)
reversion.register(Article, follow=["bylines", "tagged_items"], exclude=["search_vector", "search_title"])


class WireAttachment(models.Model):
    """What came with a wire package besides the text and its lead picture: further pictures
    for the editor to use, and items we cannot show (video, audio, graphics), listed on the draft."""

    class Kind(models.TextChoices):
        PICTURE = "picture", "Picture"
        VIDEO = "video", "Video"
        AUDIO = "audio", "Audio"
        GRAPHIC = "graphic", "Graphic"
        OTHER = "other", "Other"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="wire_attachments")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    picture = models.ForeignKey("pictures.Picture", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    uri = PlainCharField(max_length=500, blank=True)
    title = PlainCharField(max_length=300, blank=True)
    note = PlainCharField(max_length=300, blank=True, help_text="Why it is not on the story, if it is not.")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title or self.uri}"


class AgencyUpdate(models.Model):
    """A newer version of a story from the agency, held because the desk has worked on the story:
    an editor applies it (all, or field by field) or dismisses it. `values` are the fields as the
    importer read them (articles.merge's names: headline, standfirst, body, dateline_place,
    language; byline and tags as lists of names; embargoed_until as ISO 8601)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an editor"
        APPLIED = "applied", "Applied"
        DISMISSED = "dismissed", "Dismissed"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="agency_updates")
    version = PlainCharField(max_length=50, blank=True, help_text="The agency's version number.")
    values = models.JSONField(default=dict)
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["article", "status"], name="agency_update_article_idx")]

    def __str__(self) -> str:
        return f"Agency update {self.version} of {self.article}"
