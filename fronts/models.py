"""Curated fronts: the home page's and each section's arrangement of stories.

A front is kept as a series of layouts. Each save at the desk makes a new layout (the front's
revisions; an old one is restored by copying it), with the moment it goes live: the live layout is
the latest whose `live_from` has come, so an evening front saved at noon for 18:00 waits while the
current one stays live, and a layout with no time is a draft to preview. A layout is an ordered
list of blocks; each block shows its pinned stories in the editor's order, then fills the rest of
its count by its rule (the newest stories, of a section or a tag). Which stories are live is
decided for readers by public.fronts, through Article.objects.published().
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Section
from newsroom.lib.fields import PlainCharField

# The most stories one block shows, and one front (a reader's page, not the archive).
MOST_PER_BLOCK = 24
MOST_BLOCKS = 20


class FrontManager(models.Manager):
    def get_queryset(self):
        # A front is named by its section (and that section's parent): lists of fronts name them all.
        return super().get_queryset().select_related("section__parent")


class Front(models.Model):
    """The curated top of the home page (no section) or of one section's page."""

    section = models.OneToOneField(
        Section,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="front",
        help_text="Leave empty for the home page.",
    )

    objects = FrontManager()

    class Meta:
        constraints = [
            # One front per page; the home page's has no section (NULLs would not collide).
            models.UniqueConstraint(Coalesce("section", Value(0)), name="front_one_per_page"),
        ]

    def __str__(self) -> str:
        return f"{self.section} front" if self.section_id else "Home front"

    def get_absolute_url(self) -> str:
        return self.section.get_absolute_url() if self.section_id else "/"

    @property
    def page(self) -> str:
        """The page it is the front of, as its path: "" for the home, "world/asia" for a subsection."""
        return "/".join(self.section.path_slugs) if self.section_id else ""

    def validate_unique(self, exclude=None):
        super().validate_unique(exclude)
        others = Front.objects.exclude(pk=self.pk)
        if self.section_id is None and others.filter(section__isnull=True).exists():
            raise ValidationError("The home page already has a front.")

    def live_layout(self, at=None) -> "Layout | None":
        return self.layouts.live(at=at).first()


class LayoutQuerySet(models.QuerySet):
    def live(self, at=None):
        """Layouts whose time has come, the live one first (the latest; the last saved on a tie)."""
        return self.filter(live_from__lte=at or timezone.now()).order_by("-live_from", "-pk")

    def scheduled(self, at=None):
        return self.filter(live_from__gt=at or timezone.now())


class Layout(models.Model):
    """One arrangement of a front, live from its time: a revision of the front."""

    front = models.ForeignKey(Front, on_delete=models.CASCADE, related_name="layouts")
    live_from = models.DateTimeField(
        "goes live at",
        null=True,
        blank=True,
        db_index=True,
        help_text="Now, or later to schedule it (the current arrangement stays live until then). "
        "Leave empty to keep it as a draft to preview.",
    )
    note = PlainCharField(max_length=200, blank=True, help_text="What changed, for the history.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    restored_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    objects = LayoutQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index("front", models.F("live_from").desc(), name="layout_front_live_idx")]

    def __str__(self) -> str:
        when = timezone.localtime(self.live_from).strftime("%d %b %Y %H:%M") if self.live_from else "draft"
        return f"{self.front} ({when})"

    @property
    def state(self) -> str:
        """Draft, scheduled, live or past: as the history lists it."""
        live = self.front.live_layout()
        return self.state_beside(live.pk if live else None)

    def state_beside(self, live_pk: int | None) -> str:
        """The state, given the key of the front's live layout (read once for a whole list)."""
        if self.live_from is None:
            return "draft"
        if self.live_from > timezone.now():
            return "scheduled"
        return "live" if live_pk == self.pk else "past"

    def copy(self, *, live_from, user=None, note: str = "") -> "Layout":
        """A new layout with this one's blocks and pins (a restore, or a start for the next edit)."""
        with transaction.atomic():
            layout = Layout.objects.create(
                front=self.front, live_from=live_from, note=note, created_by=user, restored_from=self
            )
            for block in self.blocks.prefetch_related("pins"):
                pins = list(block.pins.all())
                block.pk, block.layout = None, layout
                block.save()
                Pin.objects.bulk_create(
                    Pin(block=block, article_id=pin.article_id, position=pin.position) for pin in pins
                )
        return layout


class Block(models.Model):
    class Kind(models.TextChoices):
        LEAD = "lead", "Lead story"
        TOP = "top", "Top stories"
        SECTION = "section", "Newest in a section"
        TAG = "tag", "Newest with a tag"
        LATEST = "latest", "Most recent"

    layout = models.ForeignKey(Layout, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveSmallIntegerField("order", default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TOP)
    title = PlainCharField(
        max_length=80, blank=True, help_text="Shown above the block; the section's or tag's name if empty."
    )
    count = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(MOST_PER_BLOCK)],
        help_text="How many stories: the pinned ones first, then the newest by the block's rule.",
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    pinned = models.ManyToManyField(Article, through="Pin", blank=True, related_name="+")

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1, count__lte=MOST_PER_BLOCK), name="block_count_in_range"),
            models.CheckConstraint(
                condition=Q(kind="section", section__isnull=False) | (~Q(kind="section") & Q(section__isnull=True)),
                name="block_section_for_section_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="tag", tag__isnull=False) | (~Q(kind="tag") & Q(tag__isnull=True)),
                name="block_tag_for_tag_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.heading

    @property
    def heading(self) -> str:
        if self.title:
            return self.title
        if self.kind == Block.Kind.SECTION and self.section_id:
            return self.section.name
        if self.kind == Block.Kind.TAG and self.tag_id:
            return self.tag.name
        return "" if self.kind == Block.Kind.LEAD else self.get_kind_display()

    def clean(self):
        super().clean()
        if self.kind == Block.Kind.SECTION and self.section_id is None:
            raise ValidationError({"section": "Choose the section whose newest stories this block shows."})
        if self.kind == Block.Kind.TAG and self.tag_id is None:
            raise ValidationError({"tag": "Choose the tag whose newest stories this block shows."})
        if self.kind != Block.Kind.SECTION:
            self.section = None
        if self.kind != Block.Kind.TAG:
            self.tag = None


class Pin(models.Model):
    """A story an editor placed in a block, in the editor's order."""

    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="pins")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["block", "article"], name="pin_once_per_block")]

    def __str__(self) -> str:
        return f"{self.article_id} in {self.block_id}"


def arrange(*, section: Section | None = None, blocks: list[dict], live_from=None, user=None, note: str = "") -> Layout:
    """A new layout of the front of `section` (the home page's if None; the front is made if
    needed), live from `live_from` (now if not given). Each block is a dict of Block fields, with
    `pins`, the stories (or their keys) in the editor's order. For the demo, the generator and tests."""
    with transaction.atomic():
        front = Front.objects.get_or_create(section=section)[0]
        layout = Layout.objects.create(front=front, live_from=live_from or timezone.now(), note=note, created_by=user)
        for position, fields in enumerate(blocks, start=1):
            fields = dict(fields)
            pins = fields.pop("pins", ())
            block = Block(layout=layout, position=position, **fields)
            block.full_clean(exclude=["layout"])
            block.save()
            Pin.objects.bulk_create(
                Pin(block=block, article_id=getattr(pin, "pk", pin), position=index) for index, pin in enumerate(pins)
            )
    return layout
