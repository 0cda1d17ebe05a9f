"""The readers' listings: which published stories each one holds, newest first. One definition each.

A listing is built from one or more parts (an author's listing is their bylined stories and the
stories credited to them: each part is read with its own index, then merged). Every page of a
listing and its feed read it through the same Listing: the first page and "Older stories" through
rows(), the pages of "Newer stories" and anything else through querysets().

rows() runs prepared queries: profiling showed that building and compiling a small queryset costs
more than running it (measured on PostgreSQL with psycopg's server-side prepared statements on:
0.71 ms for the home page's queryset against 0.38 ms prepared, 1.26 against 0.70 for a busy tag).
Each query is compiled once per database connection alias, with sample values, and afterwards
only its values are swapped in. The SQL is Django's own, on SQLite and PostgreSQL alike.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from threading import Lock

from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Section, TaggedArticle
from public.pagination import Cursor, Row, older_than

# Sample values stand in for the moment, the position, the tag and the author while a query is
# compiled; each request then gives the real ones.
SAMPLE_TIME = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)
SAMPLE_ID = -987_654_321
SAMPLE_CURSOR = Cursor(datetime(1902, 3, 4, 5, 6, 7, tzinfo=UTC), -123_456_789)


def _adapted(value):
    """A query parameter as the database backend passes it (SQLite takes datetimes as text)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


class Prepared:
    """A values_list() queryset compiled once per connection alias and run again with new values."""

    def __init__(self, build: Callable[..., QuerySet], **samples):
        """`build(**values)` returns a values_list() queryset; each sample must be a value that
        appears among the compiled query's parameters and nowhere else."""
        self.build, self.samples = build, samples
        self._compiled: dict[str, tuple] = {}
        self._lock = Lock()

    def _compile(self) -> tuple:
        compiler = self.build(**self.samples).query.get_compiler(connection.alias)
        sql, params = compiler.as_sql()
        converters = compiler.get_converters([column for column, _, _ in compiler.select[: compiler.col_count]])
        positions = {}
        for name, sample in self.samples.items():
            found = [index for index, param in enumerate(params) if param == _adapted(sample)]
            if not found:
                raise ValueError(f"the sample for {name!r} is not among the parameters of {sql}")
            positions[name] = found
        return sql, tuple(params), positions, list(converters.items())

    def rows(self, **values) -> list[tuple]:
        compiled = self._compiled.get(connection.alias)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.setdefault(connection.alias, self._compile())
        sql, params, positions, converters = compiled
        params = list(params)
        for name, indexes in positions.items():
            for index in indexes:
                params[index] = _adapted(values[name])
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:  # PostgreSQL: psycopg gives the values as they are
            return rows
        converted = []
        for row in rows:  # as Django's compiler converts them (SQLite's text datetimes)
            row = list(row)
            for position, (functions, expression) in converters:
                for function in functions:
                    row[position] = function(row[position], expression, connection)
            converted.append(tuple(row))
        return converted


# What a listing reads of each story (public.pagination.Row): its place and its revision.
ROW_FIELDS = ("pk", "published_at", "public_revision")


def newest(queryset: QuerySet, limit: int) -> QuerySet:
    """What a listing reads of its stories: the keys and revisions of the `limit` newest."""
    return queryset.order_by("-published_at", "-pk").values_list(*ROW_FIELDS)[:limit]


class _ReadFirst(Subquery):
    """IN (SELECT unnest(ARRAY(subquery))): the subquery read once, whole, before the outer query,
    which then looks its rows up by key (PostgreSQL)."""

    template = "(SELECT unnest(ARRAY(%(subquery)s)))"


class Listing:
    """Published stories, newest first: the union of the parts' stories.

    Each part is `part(now, **keys)`, a queryset of the stories published at `now` (keys such as
    the tag or the author come from the request); `samples` give a sample value for each key.
    """

    def __init__(self, *parts: Callable[..., QuerySet], **samples):
        self.parts, self.samples = parts, samples
        self._prepared: dict[tuple, Prepared] = {}
        self._lock = Lock()

    def querysets(self, *, now: datetime | None = None, **keys) -> list[QuerySet]:
        now = now or timezone.now()
        return [part(now, **keys) for part in self.parts]

    def rows(self, *, limit: int, before: Cursor | None = None, **keys) -> list[Row]:
        """The `limit` newest stories (older than `before`, if given), merged across the parts."""
        values = {"now": timezone.now(), **keys}
        if before is not None:
            values |= {"at": before.published_at, "pk": before.pk}
        found: dict[int, Row] = {}
        for part in self.parts:
            for row in self._query(part, limit, older=before is not None).rows(**values):
                found.setdefault(row[0], Row(*row))
        return sorted(found.values(), key=lambda row: (row.published_at, row.pk), reverse=True)[:limit]

    def _query(self, part, limit: int, *, older: bool) -> Prepared:
        key = (part, limit, older)
        if key not in self._prepared:
            if older:
                prepared = Prepared(
                    lambda now, at, pk, **keys: newest(older_than(part(now, **keys), Cursor(at, pk)), limit),
                    now=SAMPLE_TIME,
                    at=SAMPLE_CURSOR.published_at,
                    pk=SAMPLE_CURSOR.pk,
                    **self.samples,
                )
            else:
                prepared = Prepared(
                    lambda now, **keys: newest(part(now, **keys), limit), now=SAMPLE_TIME, **self.samples
                )
            with self._lock:
                self._prepared.setdefault(key, prepared)
        return self._prepared[key]


def _live(now):
    return Article.objects.published(at=now)


def _tagged(now, tag):
    return Article.objects.published(at=now).filter(tagged_items__tag=tag)


def _bylined(now, author):
    return Article.objects.published(at=now).by_parts(author)[0]


def _credited(now, author):
    return Article.objects.published(at=now).by_parts(author)[1]


# The home page and the site feed.
LATEST = Listing(_live)
# A tag's page and feed: tag=<Tag pk>.
TAGGED = Listing(_tagged, tag=SAMPLE_ID)
# An author's page and feed: author=<Author pk>. Most authors are never credited, so their pages
# skip the credited part (BYLINED); an author some story credits gets both (BY_AUTHOR).
BYLINED = Listing(_bylined, author=SAMPLE_ID)
BY_AUTHOR = Listing(_bylined, _credited, author=SAMPLE_ID)


def of_author(*, credited: bool) -> Listing:
    """The author's listing: BY_AUTHOR if any story credits them, else the leaner BYLINED."""
    return BY_AUTHOR if credited else BYLINED


def _filed_in(now, section):
    return Article.objects.published(at=now).filter(section=section)


def _filed_below(now, section):
    return Article.objects.published(at=now).filter(section__parent=section)


def _also_in(now, section):
    placed = Article.also_in.through.objects.filter(section=section).values("article_id")
    if connection.vendor == "postgresql":
        # Joined, PostgreSQL walks the date index and looks each story up among the section's
        # further placements: 120 ms to find the newest 40 of a section's 550 at 100,000 stories
        # (a home block). Read first, they cost what their number costs (3 ms for
        # 400). Further placements are the exception, not a section's bulk (that is filing).
        return Article.objects.published(at=now).filter(pk__in=_ReadFirst(placed))
    return Article.objects.published(at=now).filter(pk__in=placed)


# A section's page and feed: section=<Section pk>. Its stories are those filed in it (its primary
# section), those filed in one of its subsections, and those that are also in it: each part is
# read with its own index (article_section_idx; the sections table; the further sections' table).
IN_SECTION = Listing(_filed_in, _also_in, section=SAMPLE_ID)
IN_SECTION_AND_BELOW = Listing(_filed_in, _filed_below, _also_in, section=SAMPLE_ID)


def _holds_live_stories() -> Q:
    now, section = timezone.now(), OuterRef("pk")
    return Exists(_filed_in(now, section)) | Exists(_filed_below(now, section)) | Exists(_also_in(now, section))


def with_live_stories(sections: QuerySet) -> QuerySet:
    """The sections whose listing holds a live story now: the others answer 404, and neither the
    navigation nor the sitemap names them (a section made for stories still being prepared)."""
    return sections.filter(_holds_live_stories())


def of_section(*, has_subsections: bool) -> Listing:
    """The section's listing: a section without subsections skips their part."""
    return IN_SECTION_AND_BELOW if has_subsections else IN_SECTION


def section_at(slug: str, parent: str | None = None) -> dict | None:
    """The section at this address (/<slug>/ or /<parent>/<slug>/), its parent and its active
    subsections with live stories, in one query; None if no section answers there (a subsection
    under the wrong parent included). Whether it has live stories is for its listing to say."""
    if parent is None:
        here = Q(slug=slug, parent__isnull=True) | Q(parent__slug=slug, parent__parent__isnull=True)
        live = ExpressionWrapper(_holds_live_stories(), output_field=BooleanField())
        found = list(Section.objects.filter(here).annotate(live=live))
        section = next((row for row in found if row.slug == slug and row.parent_id is None), None)
        if section is None:
            return None
        children = [row for row in found if row.parent_id == section.pk]
        for child in children:
            child.parent = section
        return {
            "section": section,
            "has_subsections": bool(children),  # whether its listing has their part
            "subsections": [child for child in children if child.is_active and child.live],
        }
    section = Section.objects.select_related("parent").filter(slug=slug, parent__slug=parent).first()
    if section is None:
        return None
    return {"section": section, "has_subsections": False, "subsections": []}


# "More on #tag" after a story: the tag is the story's most specific one that another live story
# carries too.
MORE_SIZE = 4


# Counting every live story of a tag read 45,000 rows for the largest (100-140 ms a fresh article
# page at 100,000 stories): counts stop here, and tags past it are equally common (by name, then id).
SPECIFIC_COUNT_CAP = 200


class CappedCount(Subquery):
    """How many rows a limited subquery gives: a count that stops at the subquery's limit."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped)"
    output_field = IntegerField()


def live_counts(tag_pks) -> dict[int, int]:
    """How many live stories each tag carries, counted up to SPECIFIC_COUNT_CAP. One query."""
    live = Article.objects.published().values("pk")
    return dict(
        Tag.objects.filter(pk__in=tag_pks)
        .annotate(
            stories=CappedCount(
                TaggedArticle.objects.filter(tag=OuterRef("pk"), content_object__in=live).values("pk")[
                    :SPECIFIC_COUNT_CAP
                ]
            )
        )
        .values_list("pk", "stories")
    )


def most_specific(tags, counts: dict[int, int]) -> dict | None:
    """Of these tags (with pk, name and slug), the one carrying the fewest live stories by `counts`
    (live_counts()) but at least one besides the story they are on (ties: by name, then id); None
    if there is no such tag."""
    shared = [tag for tag in tags if counts.get(tag.pk, 0) > 1]
    if not shared:
        return None
    found = min(shared, key=lambda tag: (counts[tag.pk], tag.name, tag.pk))
    return {"pk": found.pk, "name": found.name, "slug": found.slug}


def section_head(section_pk: int, *, top_level: bool) -> list[Row]:
    """The newest stories of a section's listing, enough for a "More in" list after any of them.
    A top-level section's listing always has the subsections' part: the story's cached page does
    not learn when one is added."""
    return of_section(has_subsections=top_level).rows(limit=MORE_SIZE + 1, section=section_pk)


def tag_head(tag_pk: int) -> list[Row]:
    """The newest stories of a tag, enough for a "More on" list after any of them and its "More in"."""
    return TAGGED.rows(limit=2 * MORE_SIZE + 1, tag=tag_pk)


def more_after(story_pk: int, *, in_section: list[Row], on_tag: list[Row]) -> tuple[list, list]:
    """After the story: the newest stories of its section's listing (section_head()), then those of
    its most specific tag (tag_head()) not already in the first list, MORE_SIZE each, the story
    itself left out. The exclusions are made here, from a few rows more than are shown, not with a
    NOT IN list."""
    in_section = [row for row in in_section if row.pk != story_pk][:MORE_SIZE]
    shown = {story_pk, *(row.pk for row in in_section)}
    return in_section, [row for row in on_tag if row.pk not in shown][:MORE_SIZE]


_LIVE_BY_SLUG = Prepared(
    lambda now, slug: Article.objects.published(at=now).filter(slug=slug).values_list(*ROW_FIELDS, "slug"),
    now=SAMPLE_TIME,
    slug="prepared-sample-slug",
)


def live_by_slug(slug: str) -> Article | None:
    """The live story at this address, with only its key, publication time, revision and slug:
    its page comes from the fragment cache."""
    found = _LIVE_BY_SLUG.rows(now=timezone.now(), slug=slug)
    if not found:
        return None
    pk, published_at, public_revision, slug = found[0]
    return Article(pk=pk, published_at=published_at, public_revision=public_revision, slug=slug)
