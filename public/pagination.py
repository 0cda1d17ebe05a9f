"""Keyset pagination for the listings (home, tag, author): "Newer" and "Older" links carry the
position of the last story seen, so page 500 costs what page 1 costs: no OFFSET scan and no
COUNT(*) over tens of thousands of rows on every request."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from django.db.models import Q, QuerySet
from django.http import Http404

from newsroom.lib.query import whole_number

PER_PAGE = 20
# The query parameters that name a listing's page (what its views read: public_page's `reads`).
POSITION = ("before", "after")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A position names a time before the year 5000 and a row id that fits a bigint.
MAX_MICROSECONDS = 10**17 - 1
MAX_PK = 10**18 - 1


@dataclass(frozen=True)
class Cursor:
    published_at: datetime
    pk: int

    def __str__(self) -> str:
        microseconds = (self.published_at - EPOCH) // timedelta(microseconds=1)
        return f"{microseconds}.{self.pk}"

    @classmethod
    def parse(cls, value: str) -> "Cursor":
        micro, _, pk = value.partition(".")
        micro, pk = whole_number(micro, most=MAX_MICROSECONDS), whole_number(pk, most=MAX_PK)
        if micro is None or pk is None:
            raise Http404("No such page.")
        return cls(EPOCH + timedelta(microseconds=micro), pk)

    @classmethod
    def of(cls, article) -> "Cursor":
        return cls(article.published_at, article.pk)


class Row(NamedTuple):
    """A story's place in a listing: all a page reads from the database (cards come rendered)."""

    pk: int
    published_at: datetime
    public_revision: int  # the story's rendered card is kept under it (public.fragments)


@dataclass(frozen=True)
class Page:
    object_list: list
    newer: Cursor | None  # link to the newer stories, if any
    older: Cursor | None  # link to the older stories, if any
    first: bool  # the newest stories: no cursor in the request

    def has_other_pages(self) -> bool:
        return self.newer is not None or self.older is not None

    def __bool__(self) -> bool:
        return bool(self.object_list)


def older_than(queryset: QuerySet, cursor: Cursor) -> QuerySet:
    # The redundant first bound lets the database start its index scan at the cursor.
    return queryset.filter(
        Q(published_at__lte=cursor.published_at),
        Q(published_at__lt=cursor.published_at) | Q(published_at=cursor.published_at, pk__lt=cursor.pk),
    )


def _after(queryset: QuerySet, cursor: Cursor) -> QuerySet:
    return queryset.filter(
        Q(published_at__gte=cursor.published_at),
        Q(published_at__gt=cursor.published_at) | Q(published_at=cursor.published_at, pk__gt=cursor.pk),
    )


def _merged_after(querysets, cursor: Cursor, limit: int) -> list:
    """The first `limit` stories newer than the cursor, oldest first, from several querysets
    merged without duplicates. Each queryset is read with its own LIMIT, so each can use its
    best index (a single query with OR between them cannot)."""
    rows = {}
    for queryset in querysets:
        for row in _after(queryset, cursor).order_by("published_at", "pk")[:limit]:
            rows.setdefault(row.pk, row)
    return sorted(rows.values(), key=lambda row: (row.published_at, row.pk))[:limit]


def page_of(request, *, per_page: int = PER_PAGE, newest_rows, newer_querysets) -> Page:
    """The page (newest first) that the request's ?before= or ?after= names.

    `newest_rows(before, limit)` gives the `limit` newest rows, or those older than the cursor;
    `newer_querysets()` gives the querysets whose stories are merged for a page of newer
    stories, and is called only when one is asked for."""
    before, after = request.GET.get("before"), request.GET.get("after")
    if (before is not None and after is not None) or "" in (before, after):
        raise Http404("No such page.")  # both ends, or an empty position: no page has that address
    if after:
        cursor = Cursor.parse(after)
        rows = _merged_after(newer_querysets(), cursor, per_page + 1)
        more_newer = len(rows) > per_page
        items = rows[:per_page][::-1]
        return Page(items, Cursor.of(items[0]) if more_newer and items else None, cursor, first=False)
    cursor = Cursor.parse(before) if before else None
    rows = newest_rows(cursor, per_page + 1)
    items = rows[:per_page]
    older = Cursor.of(items[-1]) if len(rows) > per_page else None
    return Page(items, Cursor.of(items[0]) if cursor and items else None, older, first=cursor is None)
