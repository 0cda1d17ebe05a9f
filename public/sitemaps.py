"""Sitemaps of everything readers can reach, and a Google News sitemap of the last 48 hours.

While everything fits in one file (URLS_PER_SITEMAP URLs), /sitemap.xml is that file. Past it,
it is an index of sections: the home page, the indexes and the pages about the site, the stories of each month (in the
site's time zone, as their addresses are), then the sections, tags and authors in files of
URLS_PER_SITEMAP. Each story carries its lead picture, then the pictures of its body (Google's image
sitemap extension), the body's read in one query for all the file's stories. The index never
counts the live stories: the oldest one bounds the months, and one query asks of each month
whether a live story falls in it (an index probe each).

A month's file is kept in the `fragments` cache under what it shows: the number of its live
stories and the sum of their public revisions (every change to a story raises its revision), read
in one query over that month. Past months rarely change, so crawlers re-reading them cost that
query; the index is kept under the page state's key (public.caching).

Every URL is built from values, not model instances: a story's address is asked of
Article.get_absolute_url() once per publication day, with a stand-in slug, and each story's slug
takes the stand-in's place, percent-encoded as reverse() encodes it.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from urllib.parse import quote

from django.contrib.sitemaps import Sitemap
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.db.models import Count, Exists, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, ArticlePicture, Section, SiteSettings, public_authors, public_tags
from authors.models import Author
from newsroom.lib.urls import SAFE, absolute
from pictures.models import LEAD_CROP, largest_rendition
from public.listings import with_live_stories

# URLs per file; above it /sitemap.xml becomes an index of sections. The protocol allows 50,000,
# but a file of 50,000 stories was 8 MB. A month's file holds all its stories, up to the
# protocol's limit (that is 1,600 stories a day).
URLS_PER_SITEMAP = 10_000
URLS_PER_MONTH = 50_000
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1_000
STAND_IN = "sitemap-stand-in-slug"


def slug_addresses(url: str) -> Callable[[str], str]:
    """From an address whose last part is STAND_IN, the full address of any slug."""
    head, found, tail = absolute(url).rpartition(f"/{STAND_IN}/")
    if not found or tail:
        raise ImproperlyConfigured(f"{url} does not end with the slug")
    return lambda slug: f"{head}/{quote(slug, safe=SAFE)}/"


class StoryAddresses:
    """Full addresses of stories from their publication time and slug, as get_absolute_url() gives them."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.days: dict[date, Callable[[str], str]] = {}

    def __call__(self, published_at: datetime, slug: str) -> str:
        day = published_at.astimezone(self.zone).date()
        if (address := self.days.get(day)) is None:
            address = self.days[day] = slug_addresses(
                Article(published_at=published_at, slug=STAND_IN).get_absolute_url()
            )
        return address(slug)


class SiteUrlSitemap(Sitemap):
    """A section of the sitemap, in django.contrib.sitemaps' terms (items, location, lastmod),
    where items are rows of values and locations are full URLs on NEWSROOM_SITE_URL.

    Our views (public.views) write the files, not contrib's: contrib counts the rows and pages
    with OFFSET on every request, builds each URL from a model instance and the Sites framework."""

    def lastmod(self, item):
        return None

    def images(self, item) -> list[str]:
        """Full URLs of the pictures the page shows, for Google's image sitemap extension."""
        return []

    def entries(self, items) -> list[tuple]:
        """(location, lastmod, images) of each item, as the sitemap.xml template writes them."""
        return [(self.location(item), self.lastmod(item), self.images(item)) for item in items]

    def upper_bound(self) -> int:
        """At least as many as items() holds, cheaply: for choosing between one file and an index."""
        return self.items().count()


class ArticleSitemap(SiteUrlSitemap):
    """Live stories, newest first: all of them, or those of one month (the site's time zone)."""

    def __init__(self, month: date | None = None):
        self.month = month
        self.address = StoryAddresses()

    def items(self):
        live = Article.objects.published()
        if self.month is not None:
            start, end = month_range(self.month)
            live = live.filter(published_at__gte=start, published_at__lt=end)
        # The lead picture's renditions come with the story (a join): no query per story.
        return live.order_by("-published_at", "-id").values_list(
            "published_at", "slug", Coalesce("updated_at", "published_at"), "lead_image__renditions", "pk"
        )

    def location(self, item) -> str:
        return self.address(item[0], item[1])

    def lastmod(self, item):
        return item[2]

    def entries(self, items) -> list[tuple]:
        items = list(items)
        body = body_renditions([item[4] for item in items])
        return [(self.location(item), self.lastmod(item), self.images(item, body.get(item[4], ()))) for item in items]

    def images(self, item, body=()) -> list[str]:
        """The largest rendition in the crop the story shows (as the feeds give it) of its lead
        picture, then of each picture of its body, in the body's order, each once."""
        found = (largest_rendition(renditions or [], LEAD_CROP) for renditions in (item[3], *body))
        return list(dict.fromkeys(absolute(default_storage.url(largest["name"])) for largest in found if largest))


def body_renditions(stories: list[int]) -> dict[int, list[list]]:
    """The renditions of the pictures in each story's body, in the body's order: one query."""
    shown = defaultdict(list)
    if stories:
        rows = ArticlePicture.objects.filter(article_id__in=stories).order_by("article_id", "position")
        for story, renditions in rows.values_list("article_id", "picture__renditions"):
            shown[story].append(renditions)
    return shown


class PageSitemap(SiteUrlSitemap):
    """The home page and the indexes (latest stories, topics, authors), each at its first page,
    then the pages about the site that are written (About, Contact, the corrections policy), with
    the time each was last saved: `site_pages` as the page state knows them (PageState.site_pages),
    so that listing them reads nothing."""

    names = ("articles:home", "articles:latest", "articles:tags", "articles:authors")

    def __init__(self, site_pages: tuple = ()):
        self.site_pages = site_pages

    def items(self):
        return [(name, None) for name in self.names] + [(f"articles:{slug}", at) for slug, at in self.site_pages]

    def location(self, item) -> str:
        return absolute(reverse(item[0]))

    def lastmod(self, item):
        return item[1]

    def upper_bound(self) -> int:
        return len(self.names) + len(self.site_pages)


class TagSitemap(SiteUrlSitemap):
    def __init__(self):
        self.address = slug_addresses(reverse("articles:tag", kwargs={"slug": STAND_IN}))

    def items(self):
        return public_tags().order_by("name").values_list("slug", flat=True)

    def location(self, slug: str) -> str:
        return self.address(slug)

    def upper_bound(self) -> int:
        return Tag.objects.count()


class AuthorSitemap(SiteUrlSitemap):
    def __init__(self):
        self.address = slug_addresses(Author(slug=STAND_IN).get_absolute_url())

    def items(self):
        return public_authors().order_by("slug").values_list("slug", flat=True)

    def location(self, slug: str) -> str:
        return self.address(slug)

    def upper_bound(self) -> int:
        return Author.objects.count()


class SectionSitemap(SiteUrlSitemap):
    """Sections with a live story in their listing (the others answer 404), as their slugs."""

    def __init__(self):
        self.top = slug_addresses(reverse("articles:section", kwargs={"slug": STAND_IN}))
        self.below: dict[str, Callable[[str], str]] = {}

    def items(self):
        sections = with_live_stories(Section.objects.order_by("position", "name", "pk"))
        return sections.values_list("slug", "parent__slug")

    def location(self, item) -> str:
        slug, parent = item
        if parent is None:
            return self.top(slug)
        if (address := self.below.get(parent)) is None:
            address = self.below[parent] = slug_addresses(
                reverse("articles:subsection", kwargs={"parent": parent, "slug": STAND_IN})
            )
        return address(slug)

    def upper_bound(self) -> int:
        return Section.objects.count()


SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


def sitemap_of(name: str, state) -> SiteUrlSitemap:
    """The named section of the sitemap (SITEMAPS) for a request at this page state
    (public.caching.PageState), which knows the pages about the site."""
    return PageSitemap(state.site_pages) if name == "pages" else SITEMAPS[name]()


def live_stories_at_most(limit: int) -> bool:
    """Whether `limit` or fewer stories are live: an index scan of `limit` rows at most, however
    large the archive (not a count)."""
    live = Article.objects.published().order_by("-published_at", "-id").values_list("pk")
    return limit >= 0 and not live[limit : limit + 1].exists()


def month_range(month: date) -> tuple[datetime, datetime]:
    """The first moment of the month and of the next, in the site's time zone."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return (
        timezone.make_aware(datetime(month.year, month.month, 1)),
        timezone.make_aware(datetime(following.year, following.month, 1)),
    )


def article_months(latest_live: datetime | None) -> list[date]:
    """The months holding a live story, newest first, up to the newest live story's (`latest_live`,
    which the page state knows): two queries, however many stories there are."""
    oldest = Article.objects.published().order_by("published_at", "id").values_list("published_at", flat=True).first()
    if oldest is None or latest_live is None:
        return []
    first, last = timezone.localtime(oldest).date().replace(day=1), timezone.localtime(latest_live).date()
    months = []
    month = last.replace(day=1)
    while month >= first:
        months.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    live = Article.objects.published()
    probes = [
        Exists(live.filter(published_at__gte=start, published_at__lt=end)) for start, end in map(month_range, months)
    ]
    # One row with a yes or no for each month (the site settings row is always there: the page state reads it).
    found = SiteSettings.objects.filter(pk=1).values_list(*probes).first() or ()
    return [month for month, has_stories in zip(months, found, strict=False) if has_stories]


def month_version(month: date) -> tuple[int, int]:
    """The month's live stories and the sum of their public revisions: it changes whenever the
    month's file would (a story in or out, or any change to one)."""
    start, end = month_range(month)
    live = Article.objects.published().filter(published_at__gte=start, published_at__lt=end)
    found = live.aggregate(stories=Count("id"), revisions=Sum("public_revision"))
    return found["stories"], found["revisions"] or 0


def news_articles():
    """Articles published in the last 48 hours, newest first, at most 1,000 (Google News)."""
    since = timezone.now() - NEWS_WINDOW
    return (
        Article.objects.published()
        .filter(published_at__gte=since)
        .values_list("published_at", "slug", "headline", "language")[:NEWS_LIMIT]
    )
