"""Freshness of readers' pages: the one place that knows what a change invalidates.

Every change readers can see is announced by the content (articles.changes.Change, once it
commits). invalidate() hears it and marks stale only what shows it (public.pagecache has the
versions):

- a story that changed has a new public revision: its page, its card wherever it is listed and
  the deeper listing pages that show it are rendered again; every other story stays warm;
- a story that changed, came or went bumps STORIES: the first page of every listing, the feeds,
  search and the sitemaps (the database still chooses what every listing holds on each request);
- a story that came or went below the top of the listings (one published with an earlier time,
  or taken down after a minute) also bumps ARCHIVE, the deeper pages;
- an edit to what many pages show (the site settings, an author, a tag, a picture, a section)
  bumps SITE (every page), after raising the revisions of the stories that show it; so does an
  edit to a page about the site (About, Contact, the corrections policy: rare);
- a story that changed bumps the versions of the tags', authors' and sections' listings it is in
  (subjects_of), and one that came or went also their arrivals (arrivals()): a story's page shows
  the newest stories of its section and tag after it, and depends on those;
- a saved front bumps its own version (front_version(): the page that shows that front) and
  FRONTS (the page state, which knows when the next scheduled front goes live).

A submit or a return changes nothing readers see, so nothing is announced and no validator moves.
Page validators (ETag, Last-Modified) come from the same versions and revisions, and so do the
keys of the full-page cache (public.pagecache) and of rendered fragments (public.fragments).
The newest live and next scheduled publication times are part of the state too, and so are those
of the fronts' layouts: a scheduled story or front that goes live by itself changes the
validators of the pages that show it and ends cached pages on time.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from hashlib import blake2b

from django.db.models import Exists, OuterRef, Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponseNotModified
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from articles.changes import Change, announce_change, content_changed
from articles.models import Article, Byline, Section, SiteSettings, TaggedArticle
from fronts.models import Layout
from newsroom.lib.urls import kept_query
from public import pagecache
from public.listings import with_live_stories
from public.models import SitePage
from public.pagecache import ARCHIVE, FRONTS, SETTINGS, SITE, STORIES

# Short, so that edits and scheduled stories reach readers (and CDNs) promptly.
PUBLIC_MAX_AGE = 60
STATE_KEY = "newsroom:page-state"
# Above this many stories, an edit forgets their mirrored revisions rather than writing each.
MIRRORED_AT_ONCE = 500


@receiver(content_changed, dispatch_uid="invalidate_readers_pages")
def invalidate(sender=None, change: Change | None = None, **kwargs) -> None:
    """Mark stale what the change shows on, for every worker and server."""
    change = change or Change(everything=True)
    names = set()
    if change.stories:
        rows = Article.objects.filter(pk__in=change.stories).values_list("pk", "public_revision", "published_at")
        if len(change.stories) > MIRRORED_AT_ONCE:
            pagecache.forget_revisions(change.stories)
        else:
            pagecache.mirror_revisions({pk: revision for pk, revision, _ in rows})
        if not change.everything:
            subjects = subjects_of(change.stories)
            names |= {STORIES, *subjects}
            recent = timezone.now() - timedelta(seconds=PUBLIC_MAX_AGE)
            if change.came_or_went:
                names |= {arrivals(name) for name in subjects if name.startswith(SHOWN_AFTER_STORIES)}
                if any(at is not None and at < recent for _, _, at in rows):
                    names.add(ARCHIVE)
    if change.everything:
        names.add(SITE)
    if change.settings:
        names |= {SITE, SETTINGS}
    if change.fronts:
        names |= {FRONTS, *map(front_version, change.fronts)}
    pagecache.bump(names)


@receiver([post_save, post_delete], sender=SitePage, dispatch_uid="content_changed_on_site_page_change")
def _site_page_changed(sender, **kwargs) -> None:
    """A page about the site changed: rare, so like the site settings it renews every page (SITE)."""
    announce_change(everything=True)


def _slug_key(slug: str) -> str:
    return blake2b(slug.encode(), digest_size=12).hexdigest()  # any slug makes a short, plain key


def tag_listing(slug: str) -> str:
    """The named version of a tag's listing (by its slug, which its address carries)."""
    return f"tag:{_slug_key(slug)}"


def author_listing(slug: str) -> str:
    return f"author:{_slug_key(slug)}"


def section_listing(slug: str, parent: str | None = None) -> str:
    """The named version of a section's listing, from its page's address (section slugs are
    unique, so the slug alone names it)."""
    return f"section:{_slug_key(slug)}"


# The listings whose newest stories show after a story ("More in World", "More on #China").
SHOWN_AFTER_STORIES = ("section:", "tag:")


def arrivals(listing: str) -> str:
    """The named version of the stories coming into or leaving a listing (not every edit to one):
    what a story's page depends on for its "More in" lists, so that an edit to one story of a
    large section leaves the pages of all the others warm. (An edit that moves a story between
    sections reaches them as their cached pages expire; the stories shown are checked anyway.)"""
    return f"arrivals:{listing}"


def front_version(page: str) -> str:
    """The named version of the front of a page, by its path ("" the home, "world/asia")."""
    return f"front:{_slug_key(page)}" if page else pagecache.HOME_FRONT


def subjects_of(stories) -> set[str]:
    """The named versions of the tags', authors' and sections' listings these stories are in: a
    story's section, that section's parent (its listing holds its subsections' stories) and the
    further sections it is also in."""
    tags = TaggedArticle.objects.filter(content_object_id__in=stories).values_list("tag__slug", flat=True)
    bylined = Byline.objects.filter(article_id__in=stories).values_list("author__slug", flat=True)
    credited = Article.objects.filter(pk__in=stories, credit__isnull=False).values_list("credit__slug", flat=True)
    filed = Article.objects.filter(pk__in=stories, section__isnull=False).values_list(
        "section__slug", "section__parent__slug"
    )
    also = Article.also_in.through.objects.filter(article_id__in=stories).values_list("section__slug", flat=True)
    sections = {slug for pair in filed for slug in pair if slug} | set(also)
    return {*map(tag_listing, tags), *map(author_listing, {*bylined, *credited}), *map(section_listing, sections)}


@dataclass(frozen=True)
class PageState:
    """What every reader's page needs to know about the site, kept in the shared cache."""

    versions: dict  # the named versions (public.pagecache) the state was read at
    site: SiteSettings
    latest_live: datetime | None
    next_scheduled: datetime | None
    valid_until: datetime
    # The site navigation: the active top-level sections in their order, as (name, path) pairs.
    sections: tuple = ()
    # Of those, the ones without subsections: their listings skip the subsections' part, which for
    # them walked every live story looking for none (an article page's "More in", 100+ ms).
    childless: frozenset = frozenset()
    # The newest layout of any front that is live, and the next one scheduled to go live.
    front_live: datetime | None = None
    next_front: datetime | None = None
    # The pages about the site that are written, as (slug, updated_at) in the footer's order: for
    # the sitemap. An edit to one bumps SITE, which renews the state.
    site_pages: tuple = ()

    @property
    def next_change(self) -> datetime | None:
        """When a scheduled story or front goes live next, changing pages with nobody acting."""
        return min((at for at in (self.next_scheduled, self.next_front) if at is not None), default=None)

    def is_current(self, versions: dict, now: datetime) -> bool:
        due = self.next_change is not None and now >= self.next_change
        same = all(self.versions[name] == versions[name] for name in (SITE, SETTINGS, STORIES, FRONTS))
        return same and not due and now < self.valid_until

    def seconds_fresh(self, now: datetime) -> int:
        """How long a page may be kept: PUBLIC_MAX_AGE, or less if a scheduled story or front goes live sooner."""
        if self.next_change is None:
            return PUBLIC_MAX_AGE
        return max(0, min(PUBLIC_MAX_AGE, int((self.next_change - now).total_seconds())))

    @property
    def settings_version(self) -> int:
        """Changes when the site settings do: for fragments that show them."""
        return self.versions[SETTINGS]

    @property
    def site_version(self) -> int:
        """Changes when anything many pages show does (settings, an author, a tag, a picture)."""
        return self.versions[SITE]

    @property
    def key(self) -> str:
        """Changes with every change to the site or to what the listings hold (a scheduled story
        going live included): for what is kept about all live stories, such as sitemap counts."""
        stamp = int(self.latest_live.timestamp() * 1_000_000) if self.latest_live else 0
        return f"{self.versions[SITE]}.{self.versions[STORIES]}.{stamp}"


class _ProcessCopy:
    """This process's copy of the page state (shared by its threads), checked against the shared
    versions on every request."""

    state: PageState | None = None


def page_state(*more: str) -> tuple[PageState, dict]:
    """The page state and the named versions as they are now, with `more` (read in one go,
    before any data).

    The state is this process's copy or the shared cache's while current, else the database's."""
    cache, now = pagecache.page_cache(), timezone.now()
    versions = pagecache.versions((*pagecache.NAMES, *more), cache=cache)
    if _ProcessCopy.state is not None and _ProcessCopy.state.is_current(versions, now):
        return _ProcessCopy.state, versions
    state = cache.get(STATE_KEY)
    if state is not None and state.is_current(versions, now):
        _ProcessCopy.state = state
        return state, versions
    newest = Article.objects.published().order_by("-published_at").values("published_at")[:1]
    upcoming = Article.objects.scheduled().order_by("published_at").values("published_at")[:1]
    front_live = Layout.objects.live(at=now).values("live_from")[:1]
    next_front = Layout.objects.scheduled(at=now).order_by("live_from").values("live_from")[:1]
    # The site's share image and logo come with it: every page's head shows them; and when each
    # page about the site was last saved (a unique key each: there are three at most).
    written = {
        f"site_page_{n}": Subquery(SitePage.objects.filter(slug=slug).values("updated_at")[:1])
        for n, slug in enumerate(SitePage.Slug.values)
    }
    with_times = SiteSettings.objects.select_related("default_share_image", "publisher_logo").annotate(
        latest_live=Subquery(newest),
        next_scheduled=Subquery(upcoming),
        front_live=Subquery(front_live),
        next_front=Subquery(next_front),
        **written,
    )
    site = with_times.filter(pk=1).first()
    if site is None:  # the row is made on first use; the times must be read all the same
        SiteSettings.load()
        site = with_times.get(pk=1)
    state = PageState(
        versions=versions,
        site=site,
        latest_live=site.latest_live,
        next_scheduled=site.next_scheduled,
        front_live=site.front_live,
        next_front=site.next_front,
        site_pages=tuple(
            (slug, updated)
            for n, slug in enumerate(SitePage.Slug.values)
            if (updated := getattr(site, f"site_page_{n}")) is not None
        ),
        **navigation_sections(),
        # A safety net for changes made behind the application's back (a direct SQL update).
        valid_until=now + timedelta(seconds=PUBLIC_MAX_AGE),
    )
    cache.set(STATE_KEY, state, PUBLIC_MAX_AGE)
    _ProcessCopy.state = state
    return state, versions


def navigation_sections() -> dict:
    """The active top-level sections with live stories, in the navigation's order, and which of
    them have no subsections: read with the page state, which every edit to a section (SITE) and
    every story coming or going renews. One query."""
    active = with_live_stories(Section.objects.filter(is_active=True, parent__isnull=True)).order_by("position", "name")
    rows = active.annotate(has_children=Exists(Section.objects.filter(parent=OuterRef("pk")))).values_list(
        "pk", "name", "slug", "has_children"
    )
    rows = list(rows)
    return {
        "sections": tuple((name, reverse("articles:section", kwargs={"slug": slug})) for _, name, slug, _ in rows),
        "childless": frozenset(pk for pk, _, _, has_children in rows if not has_children),
    }


class NotModified(Exception):
    """Raised by shows() when the reader's copy is current: public_page answers 304."""


# What a page depends on, besides SITE (public_page's `depends`):
SITE_WIDE = "site-wide"  # what all live stories make: feeds, search, sitemaps, indexes (STORIES)
LISTING = "listing"  # the listing of every story: its first pages like SITE_WIDE, its deeper
# pages ARCHIVE and the stories shown
LISTING_OF = "listing-of"  # one tag's or author's listing (public_page's `subject`): its first
# pages that listing's version and the stories shown, its deeper pages like LISTING's
STORY = "story"  # one story's page: the story shown


def _validators(request) -> tuple[str, int]:
    """ETag and Last-Modified of this page, from what it depends on: the versions it read, the
    stories it shows (their revisions are microsecond times) and, for pages of all live stories,
    the newest publication time (a scheduled story goes live with nobody acting)."""
    versions, stories = request.page_versions, request.page_stories
    times = [pagecache.version_time(version) for version in versions.values()]
    times += [revision / 1_000_000 for revision in stories.values()]
    parts = [pagecache.page_address(request.path, request.GET, request.reads), *map(str, versions.values())]
    parts += [f"{pk}.{revision}" for pk, revision in sorted(stories.items())]
    if not request.page_shows_stories and request.page_state.latest_live:
        times.append(request.page_state.latest_live.timestamp())
        parts.append(str(request.page_state.latest_live.timestamp()))
    if getattr(request, "page_front", None) is not None and request.page_state.front_live:
        # A scheduled front went live: a page with a front shows another arrangement.
        times.append(request.page_state.front_live.timestamp())
        parts.append(f"front:{request.page_state.front_live.timestamp()}")
    digest = blake2b(":".join(parts).encode(), digest_size=12).hexdigest()
    return f'"{digest}"', int(max(times))


def _not_modified(request):
    etag, last_modified = _validators(request)
    return get_conditional_response(request, etag=etag, last_modified=last_modified)


def shows(request, stories) -> None:
    """Say which stories a STORY page or a deeper LISTING page shows (rows or articles, each with
    its pk and public_revision), before rendering them: if the reader's copy is current, stop here
    with a 304 (raises NotModified)."""
    if not getattr(request, "page_shows_stories", False):
        return
    request.page_stories = {story.pk: story.public_revision for story in stories}
    if not request.user.is_authenticated and _not_modified(request) is not None:
        raise NotModified


def depends_on(request, *names: str) -> None:
    """A page that shows listings it learns of from its own data (an article's "More in" lists)
    depends on their named versions too: read here, before the listings' rows are."""
    names = [name for name in names if name]
    if names and getattr(request, "page_shows_stories", False):
        request.page_versions |= pagecache.versions(names)


def public_page(view=None, *, depends: str = SITE_WIDE, subject=None, front=None, reads: tuple[str, ...] = ()):
    """For readers' pages: validators and a 304 for anonymous readers, short public caching,
    and `private` for anyone logged in (they may see things a shared cache must not keep).

    `reads` names the query parameters the page reads, the one definition of them: the view sees
    only those in request.GET (the last value of each), and they alone go into the page cache's
    key (public.pagecache.page_key), the validators, the canonical link and the pagination links.
    Any other parameter (?utm_source=, ?fbclid=) is ignored.

    `depends` says what the page shows (SITE_WIDE, LISTING, LISTING_OF or STORY); the page
    cache and the validators follow it. For LISTING_OF, `subject(**kwargs)` names the listing
    from the page's address (tag_listing(), author_listing()). A page that shows a curated front
    names it with `front(**kwargs)`, the path of its page ("" the home): the page then depends on
    that front's version (request.page_front) and on when fronts went live."""
    if view is None:
        return lambda view: public_page(view, depends=depends, subject=subject, front=front, reads=reads)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.reads = reads
        request.GET = kept_query(request.GET, reads)
        listing = subject(**kwargs) if subject else None
        request.page_front = front(**kwargs) if front else None
        shown_front = front_version(request.page_front) if front else None
        state, versions = page_state(*([listing] if listing else []), *([shown_front] if front else []))
        deeper = depends in (LISTING, LISTING_OF) and "before" in request.GET
        request.site_settings = state.site
        request.page_state = state
        request.page_shows_stories = depends in (STORY, LISTING_OF) or deeper
        if deeper:
            named = (SITE, ARCHIVE)
        elif request.page_shows_stories:
            named = (SITE, listing) if listing else (SITE,)
        else:
            named = (SITE, STORIES)
        if shown_front is not None:
            named = (*named, shown_front)
        request.page_versions = {name: versions[name] for name in named}
        request.page_stories = {}
        if request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        # A story going live at its time changes the listings, not another story's page (its "More
        # in" lists may take up to PUBLIC_MAX_AGE to show the story: their rows are read afresh
        # with every request that reaches the view, so validators turn over at once).
        fresh = PUBLIC_MAX_AGE if depends == STORY else state.seconds_fresh(timezone.now())
        # The page cache keeps the page no longer than browsers and CDNs may.
        request.page_cacheable = True
        request.page_fresh_seconds = fresh
        response = None if request.page_shows_stories else _not_modified(request)
        if response is None:
            try:
                response = view(request, *args, **kwargs)
            except NotModified:
                response = HttpResponseNotModified()
            if response.status_code not in (200, 304):
                return response
        etag, last_modified = _validators(request)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=fresh)
        return response

    wrapper.reads = reads
    return wrapper


def settings_for(request) -> SiteSettings:
    """The site settings this request already loaded, or a fresh load."""
    return getattr(request, "site_settings", None) or SiteSettings.load()
