"""Curated fronts for readers: a front's arrangement (fronts.models) resolved into live stories.

The arrangement is read once per change of the front (three queries) and kept in the fragment
cache under the front's version, with its scheduled layouts: the clock picks the live one on each
request, so a scheduled front goes live with nobody acting and without a query. The database
chooses the stories once per page state (chosen()), reading only their row keys (public.listings):

- the pinned stories of every block in one query, through Article.objects.published(), so a pin
  that is not live (a draft, scheduled, embargoed, taken down) simply drops out;
- the newest stories of each rule's source (the latest, a section's, a tag's) once per source,
  in prepared queries over-read by as many stories as the front shows, whatever blocks share it.

Deduplication is then done here, without NOT IN lists: a story pinned anywhere on the front is
kept for the block it is pinned in, and a story shown in an earlier block is skipped in later ones.
A front of eight blocks thus costs one query for its pins and one per distinct source, once per
change readers can see (and at least once a minute); other requests read no rows for it.
"""

from dataclasses import dataclass
from datetime import datetime
from hashlib import blake2b

from django.core.cache import caches
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from fronts.models import Block, Front, Layout, Pin
from public import fragments, listings
from public.caching import front_version
from public.pagination import Row

FRONT_SECONDS = 60 * 60
# Sources are over-read in steps, so that few distinct prepared queries are ever compiled.
READ_STEP = 20


@dataclass(frozen=True)
class PlannedBlock:
    """A block as the arrangement keeps it: plain values, cached with the front."""

    kind: str
    heading: str
    count: int
    pins: tuple[int, ...]
    section: int | None = None
    below: bool = False  # whether the section has subsections (its listing reads their part)
    tag: int | None = None
    link: str = ""  # where the heading leads


@dataclass(frozen=True)
class Plan:
    """A front's layouts from the one live when it was read on: (live_from, blocks), oldest first."""

    layouts: tuple

    def live_at(self, now: datetime) -> tuple:
        """(live_from, blocks) of the layout live at `now`, or (None, None)."""
        live = (None, None)
        for live_from, blocks in self.layouts:
            if live_from <= now:
                live = (live_from, blocks)
        return live

    def blocks_at(self, now: datetime) -> tuple[PlannedBlock, ...] | None:
        return self.live_at(now)[1]


@dataclass(frozen=True)
class ShownBlock:
    kind: str
    heading: str
    link: str
    cards: list


@dataclass(frozen=True)
class ShownFront:
    blocks: list[ShownBlock]
    rows: list[Row]  # every story shown, for the validators of a page that says which it shows


def _planned(block: Block) -> PlannedBlock:
    """On a section's front, the lead, the top stories and the most recent are the section's own."""
    link, section, below = "", block.section, block.section_has_subsections
    page_section = block.layout.front.section
    if page_section is not None and block.kind in (Block.Kind.LEAD, Block.Kind.TOP, Block.Kind.LATEST):
        section, below = page_section, block.page_has_subsections
    if block.kind == Block.Kind.SECTION or (section is not None and block.kind == Block.Kind.LATEST):
        link = section.get_absolute_url()
    elif block.kind == Block.Kind.TAG:
        link = reverse("articles:tag", kwargs={"slug": block.tag.slug})
    elif block.kind == Block.Kind.LATEST:
        link = reverse("articles:latest")
    return PlannedBlock(
        kind=block.kind,
        heading=block.heading,
        count=block.count,
        pins=tuple(pin.article_id for pin in block.pins.all()),
        section=section.pk if section else None,
        below=below,
        tag=block.tag_id,
        link=link,
    )


def _blocks_of(layouts) -> dict[int, list[PlannedBlock]]:
    blocks = (
        Block.objects.filter(layout__in=layouts)
        .select_related("section__parent", "tag", "layout__front__section__parent")
        .annotate(
            section_has_subsections=Exists(Section.objects.filter(parent=OuterRef("section"))),
            page_has_subsections=Exists(Section.objects.filter(parent=OuterRef("layout__front__section"))),
        )
        .prefetch_related(Prefetch("pins", queryset=Pin.objects.only("block_id", "article_id", "position")))
    )
    found: dict[int, list[PlannedBlock]] = {layout.pk: [] for layout in layouts}
    for block in blocks:
        found[block.layout_id].append(_planned(block))
    return found


def read_plan(front: Q, *, now: datetime) -> Plan:
    """The live layout of the front `front` selects, and those scheduled after it (3 queries)."""
    live = Layout.objects.filter(front__in=_fronts(front)).live(at=now).values("pk")[:1]
    layouts = list(
        Layout.objects.filter(Q(pk__in=live) | Q(front__in=_fronts(front), live_from__gt=now)).order_by(
            "live_from", "pk"
        )
    )
    if not layouts:
        return Plan(())
    blocks = _blocks_of(layouts)
    return Plan(tuple((layout.live_from, tuple(blocks[layout.pk])) for layout in layouts))


def _fronts(front: Q):
    return Front.objects.filter(front).values("pk")


def plan_for(request, page: str, front: Q) -> Plan:
    """The front's arrangement, kept under its version and the site's (a section renamed)."""
    version = request.page_versions[front_version(page)]
    key = f"newsroom:front:{request.page_state.site_version}.{version}:{blake2b(page.encode(), digest_size=12).hexdigest()}"
    cache = caches["fragments"]
    if (plan := cache.get(key)) is None:
        plan = read_plan(front, now=timezone.now())
        cache.set(key, plan, FRONT_SECONDS)
    return plan


def _source(block: PlannedBlock) -> tuple:
    if block.section is not None:
        return listings.of_section(has_subsections=block.below), ("section", block.section)
    if block.kind == Block.Kind.TAG:
        return listings.TAGGED, ("tag", block.tag)
    return listings.LATEST, ()


def _live_pins(pks: set[int], now: datetime) -> dict[int, Row]:
    if not pks:
        return {}
    found = Article.objects.published(at=now).filter(pk__in=pks).values_list(*listings.ROW_FIELDS)
    return {row[0]: Row(*row) for row in found}


def resolve(blocks: tuple[PlannedBlock, ...], *, now: datetime | None = None) -> list[list[Row]]:
    """The live stories of each block, in order, each story once on the whole front."""
    now = now or timezone.now()
    pinned = _live_pins({pk for block in blocks for pk in block.pins}, now)
    # Enough rows from each source whatever the earlier blocks (and the pins) take from it.
    wanted = sum(block.count for block in blocks) + len(pinned)
    limit = -(-wanted // READ_STEP) * READ_STEP
    read: dict[tuple, list[Row]] = {}
    shown: set[int] = set()
    chosen_by_block = []
    for block in blocks:
        chosen = []
        for pk in block.pins:
            if len(chosen) < block.count and pk in pinned and pk not in shown:
                chosen.append(pinned[pk])
                shown.add(pk)
        if len(chosen) < block.count:
            listing, keys = _source(block)
            if (listing, keys) not in read:
                read[listing, keys] = listing.rows(limit=limit, **dict([keys] if keys else []))
            for row in read[listing, keys]:
                if len(chosen) == block.count:
                    break
                if row.pk not in shown and row.pk not in pinned:
                    chosen.append(row)
                    shown.add(row.pk)
        chosen_by_block.append(chosen)
    return chosen_by_block


def chosen(request, page: str, plan: Plan) -> tuple:
    """The live layout's blocks and the stories the database chose for each, kept as long as the
    page state they were chosen in (public.caching.page_state: it is read afresh after every change
    readers can see, when a scheduled story or front is due, and at least every minute), under the
    front's version: a request for an unchanged front then reads no rows at all."""
    live_from, blocks = plan.live_at(timezone.now())
    if blocks is None:
        return None, None
    state = request.page_state
    parts = [
        state.valid_until.timestamp(),
        state.key,
        request.page_versions[front_version(page)],
        live_from.timestamp(),
    ]
    key = "newsroom:front-rows:" + blake2b(f"{parts}:{page}".encode(), digest_size=16).hexdigest()
    cache = caches["fragments"]
    if (rows_by_block := cache.get(key)) is None:
        rows_by_block = resolve(blocks)
        cache.set(key, rows_by_block, FRONT_SECONDS)
    return blocks, rows_by_block


def render(request, blocks: tuple[PlannedBlock, ...] | None, rows_by_block=None) -> ShownFront | None:
    """The front's blocks with their cards (the first lead block's first story shown large)."""
    if blocks is None:
        return None
    if rows_by_block is None:
        rows_by_block = resolve(blocks)
    lead = next(
        (rows[0] for block, rows in zip(blocks, rows_by_block, strict=True) if block.kind == "lead" and rows), None
    )
    every_row = [row for rows in rows_by_block for row in rows]
    # A block's cards come under its heading (h3); a block without one, the lead's, under the page's h1.
    levels = [3 if block.heading else 2 for block, rows in zip(blocks, rows_by_block, strict=True) for _ in rows]
    cards = iter(fragments.cards(every_row, state=request.page_state, lead=lead, level=levels))
    shown = [
        ShownBlock(block.kind, block.heading, block.link, [next(cards) for _ in rows])
        for block, rows in zip(blocks, rows_by_block, strict=True)
        if rows
    ]
    return ShownFront(shown, every_row)


def home_front(request) -> ShownFront | None:
    """The home page's front as it is live now, or None if the home has none."""
    plan = plan_for(request, "", Q(section__isnull=True))
    return render(request, *chosen(request, "", plan))


def section_page(slug: str, parent: str | None = None) -> str:
    """The path of a section's page from its address, as a front names it (public_page's `front`)."""
    return f"{parent}/{slug}" if parent else slug


def section_front(request, section: Section) -> ShownFront | None:
    """A section's front as it is live now, or None: one call from the section's page, whose
    public_page names the front (front=section_page)."""
    page = "/".join(section.path_slugs)
    return render(request, *chosen(request, page, plan_for(request, page, Q(section=section.pk))))


def layout_front(request, layout: Layout) -> list[ShownBlock]:
    """Any layout of a front (a draft, a scheduled or an old one), for the desk's preview: read
    afresh, its stories as readers would see them now."""
    shown = render(request, tuple(_blocks_of([layout])[layout.pk]))
    return shown.blocks if shown else []
