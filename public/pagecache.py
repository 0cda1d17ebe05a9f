"""The shared versions readers' pages depend on, and the full-page cache for anonymous readers.

Both live in the cache every worker and server shares (Redis, or the database cache).

A page depends on *named versions* and on *stories*. Named versions say "something of this kind
changed": SITE (anything every page may show: the site settings, an author, a tag, a picture),
SETTINGS (the site settings alone), STORIES (a story came, went or changed: the first pages of
listings, feeds, search and sitemaps), ARCHIVE (a story came or went somewhere below the top of
the listings: the deeper pages), FRONTS (some curated front changed or was scheduled: the page state's times;
each front's page also depends on its own named version, public.caching.front_version()). A story's own version is its public revision, read from the
database with the story and mirrored here under its key when it changes.

A page is stored with the versions it was rendered at, read before its data was, and the
revisions of the stories it shows, read with them; it is served only while every one of them is
still current. A named version lost from the cache comes back as a new value, and a story's
revision is written here only as the database has it, so a lost or late entry never serves an
old page. Entries also expire after PAGE_CACHE_SECONDS (or sooner, when a scheduled story is due).
Requests with a session cookie (staff) always go to the view.
"""

import secrets
import time
from functools import lru_cache
from hashlib import blake2b

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from newsroom.lib.urls import kept_query

SITE, SETTINGS, STORIES, ARCHIVE, FRONTS = "site", "settings", "stories", "archive", "fronts"
HOME_FRONT = "front:home"  # the home page's front: read with the others, so a cached home costs one read
NAMES = (SITE, SETTINGS, STORIES, ARCHIVE, FRONTS, HOME_FRONT)
# A story's mirrored revision may go: it is written again by the next page that shows the story.
STORY_KEY_SECONDS = 10 * 60
SKIPPED_HEADERS = {"set-cookie", "content-length"}


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def version_key(name: str) -> str:
    return f"newsroom:version:{name}"


def story_key(pk: int) -> str:
    return f"newsroom:story-revision:{pk}"


def new_version() -> int:
    """From the clock (nanoseconds), so a version never comes back to an old value and tells when
    it changed (Last-Modified); a random tail keeps two changes in the same microsecond apart."""
    return time.time_ns() // 1000 * 1000 + secrets.randbelow(1000)


def version_time(version: int) -> float:
    """When a named version was set, in seconds since the epoch."""
    return version / 1_000_000_000


def versions(names=NAMES, cache=None) -> dict[str, int]:
    """The current named versions; any missing (never set, or evicted) is set anew."""
    cache = cache or page_cache()
    keys = {name: version_key(name) for name in names}
    found = cache.get_many(list(keys.values()))
    missing = [name for name, key in keys.items() if key not in found]
    for name in missing:
        cache.add(keys[name], new_version(), timeout=None)
    if missing:
        found |= cache.get_many([keys[name] for name in missing])
    return {name: found[key] for name, key in keys.items()}


def bump(names) -> None:
    """Mark everything that depends on these named versions stale, for every worker and server."""
    page_cache().set_many({version_key(name): new_version() for name in names}, timeout=None)


def mirror_revisions(revisions: dict[int, int]) -> None:
    """Stories changed: their revisions, as the database now has them, replace the mirrored ones."""
    if revisions:
        page_cache().set_many({story_key(pk): rev for pk, rev in revisions.items()}, timeout=STORY_KEY_SECONDS)


def forget_revisions(pks) -> None:
    """Many stories changed at once (an author's, a tag's): their mirrors go, pages write them again."""
    page_cache().delete_many([story_key(pk) for pk in pks])


def revisions_agree(revisions: dict[int, int], cache) -> bool:
    """Whether the mirrored revisions are these (read from the database for a page just rendered),
    mirroring any that are missing. A disagreement means a story changed while the page rendered."""
    if not revisions:
        return True
    keys = {pk: story_key(pk) for pk in revisions}
    found = cache.get_many(list(keys.values()))
    for pk, key in keys.items():
        if key not in found:
            # Only if still missing: a change that landed meanwhile has written the newer revision.
            if not cache.add(key, revisions[pk], timeout=STORY_KEY_SECONDS):
                found[key] = cache.get(key)
            else:
                found[key] = revisions[pk]
    return all(found[keys[pk]] == rev for pk, rev in revisions.items())


def page_address(path: str, query, reads: tuple[str, ...]) -> str:
    """What tells one page from another: its path and the parameters its view reads
    (public_page's `reads`), in their order; a campaign tag or any other parameter is no part of it."""
    return f"{path}?{kept_query(query, reads).urlencode()}"


@lru_cache(maxsize=4096)
def _reads(path_info: str, urlconf: str) -> tuple[str, ...] | None:
    """The parameters the page at this path reads, or None where no public_page answers (the
    admin, an unknown address): resolved once per path, as URL resolution costs what a cached
    page's other work does. The cache is bounded, so unknown paths cannot fill it."""
    try:
        return getattr(resolve(path_info, urlconf).func, "reads", None)
    except Resolver404:
        return None


def page_key(request) -> str | None:
    """The page cache's key for this request, or None for a page no public_page answers."""
    reads = _reads(request.path_info, settings.ROOT_URLCONF)
    if reads is None:
        return None
    digest = blake2b(page_address(request.path, request.GET, reads).encode(), digest_size=16).hexdigest()
    return f"newsroom:page:{digest}"


class AnonymousPageCacheMiddleware:
    """Serve and store whole pages for anonymous readers. Views opt in by setting
    `request.page_cacheable`, with the versions they read in `request.page_versions` and the
    stories they show in `request.page_stories` (public.caching.public_page does)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = settings.PAGE_CACHE

    def __call__(self, request):
        if not self.enabled or request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return self.get_response(request)
        cache, key = page_cache(), page_key(request)
        if key is None:
            return self.get_response(request)
        if (entry := self._current_entry(cache, key)) is not None:
            return self._replay(request, entry)
        response = self.get_response(request)
        if getattr(request, "page_cacheable", False) and self._storable(response):
            # No longer than the view says is fresh: a scheduled story due sooner shortens it.
            seconds = min(
                settings.PAGE_CACHE_SECONDS, getattr(request, "page_fresh_seconds", settings.PAGE_CACHE_SECONDS)
            )
            stories = getattr(request, "page_stories", {})
            if seconds > 0 and revisions_agree(stories, cache):
                headers = [(k, v) for k, v in response.items() if k.lower() not in SKIPPED_HEADERS]
                versions_read = getattr(request, "page_versions", {})
                entry = (versions_read, stories, time.time() + seconds, response.status_code, headers, response.content)
                cache.set(key, entry, seconds)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _current_entry(cache, key):
        """The stored page, if every version and revision it was rendered at is still current.

        One read for the page and the common named versions; a second only for a page that shows
        particular stories (an article, a tag's or author's listing, a deeper page of a listing)."""
        names = {version_key(name): name for name in NAMES}
        found = cache.get_many([key, *names])
        entry = found.get(key)
        if entry is None:
            return None
        versions_read, stories, expires = entry[0], entry[1], entry[2]
        if time.time() >= expires:
            return None
        others = [version_key(name) for name in versions_read if name not in NAMES]
        if others or stories:
            found |= cache.get_many([*others, *(story_key(pk) for pk in stories)])
        if any(found.get(version_key(name)) != version for name, version in versions_read.items()):
            return None
        if any(found.get(story_key(pk)) != rev for pk, rev in stories.items()):
            return None
        return entry

    @staticmethod
    def _storable(response) -> bool:
        return response.status_code == 200 and not response.streaming and not response.cookies

    @staticmethod
    def _replay(request, entry) -> HttpResponse:
        status, headers, content = entry[3:]
        header_map = {name.lower(): value for name, value in headers}
        last_modified = parse_http_date_safe(header_map.get("last-modified", ""))
        not_modified = get_conditional_response(request, etag=header_map.get("etag"), last_modified=last_modified)
        response = not_modified or HttpResponse(content, status=status)
        for name, value in headers:
            if not_modified is None or name.lower() in ("etag", "last-modified", "cache-control", "vary", "expires"):
                response[name] = value
        response["X-Page-Cache"] = "hit"
        return response
