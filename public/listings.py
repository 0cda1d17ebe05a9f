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
from django.db.models import QuerySet
from django.utils import timezone

from articles.models import Article
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


def _in_section(now, section):
    return Article.objects.published(at=now).filter(section=section)


def _in_subsections(now, section):
    return Article.objects.published(at=now).filter(section__parent=section)


def _also_in_section(now, section):
    return Article.objects.published(at=now).filter(also_in=section)


# The home page and the site feed.
LATEST = Listing(_live)
# A section's stories (a front's section block): section=<Section pk>. Its own, its subsections'
# and those that also appear in it, each part read with its own index.
IN_SECTION = Listing(_in_section, _in_subsections, _also_in_section, section=SAMPLE_ID)
# A tag's page and feed: tag=<Tag pk>.
TAGGED = Listing(_tagged, tag=SAMPLE_ID)
# An author's page and feed: author=<Author pk>. Most authors are never credited, so their pages
# skip the credited part (BYLINED); an author some story credits gets both (BY_AUTHOR).
BYLINED = Listing(_bylined, author=SAMPLE_ID)
BY_AUTHOR = Listing(_bylined, _credited, author=SAMPLE_ID)


def of_author(*, credited: bool) -> Listing:
    """The author's listing: BY_AUTHOR if any story credits them, else the leaner BYLINED."""
    return BY_AUTHOR if credited else BYLINED


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
