"""Freshness of readers' pages: the one place that knows what a change invalidates.

Every change readers can see is announced by the content (articles.changes: a transition, an
edit to an author, a tag or the site settings, a deletion) once it commits. invalidate() hears
it: it bumps the content version in the cache every worker and server shares (Redis, or the
database cache) and stamps the change time on the SiteSettings row. Page validators (ETag,
Last-Modified), the page state, rendered fragments (public.fragments) and the full-page cache
(public.pagecache) are all keyed by that version, so the next request anywhere sees the change.
The newest live and next scheduled publication times are part of the state too: a scheduled
story that goes live by itself changes the validators and empties the caches with nobody acting.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from hashlib import blake2b

from django.db.models import Subquery
from django.dispatch import receiver
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from articles.changes import content_changed
from articles.models import Article, SiteSettings
from public import pagecache

# Short, so that edits and scheduled stories reach readers (and CDNs) promptly.
PUBLIC_MAX_AGE = 60
STATE_KEY = "newsroom:page-state"


@receiver(content_changed, dispatch_uid="invalidate_readers_pages")
def invalidate(sender=None, **kwargs) -> None:
    """Mark every public page and fragment stale, for every worker and server."""
    SiteSettings.load()
    SiteSettings.objects.filter(pk=1).update(content_changed_at=timezone.now())
    pagecache.bump_version()


@dataclass(frozen=True)
class PageState:
    """What every reader's page needs to know about the site, kept in the shared cache."""

    version: int
    site: SiteSettings
    latest_live: datetime | None
    next_scheduled: datetime | None
    valid_until: datetime

    def is_current(self, version: int, now: datetime) -> bool:
        due = self.next_scheduled is not None and now >= self.next_scheduled
        return self.version == version and not due and now < self.valid_until

    def seconds_fresh(self, now: datetime) -> int:
        """How long a page may be kept: PUBLIC_MAX_AGE, or less if a scheduled story goes live sooner."""
        if self.next_scheduled is None:
            return PUBLIC_MAX_AGE
        return max(0, min(PUBLIC_MAX_AGE, int((self.next_scheduled - now).total_seconds())))

    @property
    def last_modified(self) -> datetime:
        return max(filter(None, [self.site.content_changed_at, self.latest_live]))

    @property
    def key(self) -> str:
        """Changes with every change readers can see: for validators and fragment keys."""
        stamp = int(self.latest_live.timestamp() * 1_000_000) if self.latest_live else 0
        return f"{self.version}.{stamp}"

    def etag(self, request) -> str:
        digest = blake2b(f"{self.key}:{request.get_full_path()}".encode(), digest_size=12).hexdigest()
        return f'"{digest}"'


class _ProcessCopy:
    """This process's copy of the page state (shared by its threads), checked against the shared
    version on every request."""

    state: PageState | None = None


def page_state() -> PageState:
    """The page state: this process's copy or the shared cache's while current, else the database's."""
    cache, now = pagecache.page_cache(), timezone.now()
    version = pagecache.current_version(cache)
    if _ProcessCopy.state is not None and _ProcessCopy.state.is_current(version, now):
        return _ProcessCopy.state
    state = cache.get(STATE_KEY)
    if state is not None and state.is_current(version, now):
        _ProcessCopy.state = state
        return state
    newest = Article.objects.published().order_by("-published_at").values("published_at")[:1]
    upcoming = Article.objects.scheduled().order_by("published_at").values("published_at")[:1]
    site = (
        SiteSettings.objects.annotate(latest_live=Subquery(newest), next_scheduled=Subquery(upcoming))
        .filter(pk=1)
        .first()
    ) or SiteSettings.load()
    state = PageState(
        version=version,
        site=site,
        latest_live=getattr(site, "latest_live", None),
        next_scheduled=getattr(site, "next_scheduled", None),
        # A safety net for changes made behind the application's back (a direct SQL update).
        valid_until=now + timedelta(seconds=PUBLIC_MAX_AGE),
    )
    cache.set(STATE_KEY, state, PUBLIC_MAX_AGE)
    _ProcessCopy.state = state
    return state


def public_page(view):
    """For readers' pages: validators and a 304 for anonymous readers, short public caching,
    and `private` for anyone logged in (they may see things a shared cache must not keep)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        state = page_state()
        request.site_settings = state.site
        request.page_state = state
        if request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        etag, last_modified = state.etag(request), int(state.last_modified.timestamp())
        fresh = state.seconds_fresh(timezone.now())
        # The page cache keeps the page no longer than browsers and CDNs may.
        request.page_cacheable = True
        request.page_fresh_seconds = fresh
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
        else:
            response = not_modified
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=fresh)
        return response

    return wrapper


def settings_for(request) -> SiteSettings:
    """The site settings this request already loaded, or a fresh load."""
    return getattr(request, "site_settings", None) or SiteSettings.load()
