"""Freshness of readers' pages: one place that knows what a change invalidates.

Every change readers can see (publish, update, unpublish, correction, an edit to an author,
a tag or the site settings) bumps the content version kept on the SiteSettings row, which
every worker and server shares through the database. Page validators (ETag, Last-Modified)
are built from that version and from the newest live publication time, so a scheduled story
that goes live by itself changes them too, with nobody acting.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from hashlib import blake2b

from django.db.models import F, Subquery
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from articles.models import Article, SiteSettings

# Short, so that edits and scheduled stories reach readers (and CDNs) promptly.
PUBLIC_MAX_AGE = 60


def purge() -> None:
    """Mark every public page stale. Call it on commit of the change."""
    SiteSettings.load()
    SiteSettings.objects.filter(pk=1).update(
        content_version=F("content_version") + 1, content_changed_at=timezone.now()
    )


@dataclass(frozen=True)
class PageState:
    site: SiteSettings
    latest_live: datetime | None

    @property
    def last_modified(self) -> datetime:
        return max(filter(None, [self.site.content_changed_at, self.latest_live]))

    def etag(self, request) -> str:
        stamp = self.latest_live.timestamp() if self.latest_live else 0
        key = f"{self.site.content_version}:{stamp}:{request.get_full_path()}"
        return f'"{blake2b(key.encode(), digest_size=12).hexdigest()}"'


def page_state() -> PageState:
    """The site settings and the newest live publication time, in one query."""
    newest = Article.objects.published().order_by("-published_at").values("published_at")[:1]
    site = SiteSettings.objects.annotate(latest_live=Subquery(newest)).filter(pk=1).first()
    if site is None:
        site = SiteSettings.load()
        site.latest_live = newest.first()["published_at"] if newest.exists() else None
    return PageState(site=site, latest_live=site.latest_live)


def public_page(view):
    """For readers' pages: validators and a 304 for anonymous readers, short public caching,
    and `private` for anyone logged in (they may see things a shared cache must not keep)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        state = page_state()
        request.site_settings = state.site
        if request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        etag, last_modified = state.etag(request), int(state.last_modified.timestamp())
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
        else:
            response = not_modified
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        return response

    return wrapper


def settings_for(request) -> SiteSettings:
    """The site settings this request already loaded, or a fresh load."""
    return getattr(request, "site_settings", None) or SiteSettings.load()
