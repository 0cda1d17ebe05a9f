"""The full-page cache for anonymous readers, in a cache every worker and server shares.

Pages are stored under their path with the content version they were rendered at. One round
trip reads both the current version and the page: a page from before the last change is never
served. Every change readers can see bumps the version (public.caching.invalidate), so the next request anywhere
renders afresh; entries also expire after PAGE_CACHE_SECONDS, so a scheduled story shows within
that time with nobody acting. Requests with a session cookie (staff) always go to the view.
"""

import secrets
import time
from hashlib import blake2b

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

VERSION_KEY = "newsroom:content-version"
SKIPPED_HEADERS = {"set-cookie", "content-length"}


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _initial_version() -> int:
    # From the clock, so a version lost from the cache never comes back to an old value (and a
    # random tail, so two starts in the same millisecond still differ).
    return time.time_ns() // 1_000_000 * 1000 + secrets.randbelow(1000)


def current_version(cache=None) -> int:
    cache = cache or page_cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _initial_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_version() -> None:
    """Mark every cached page stale, for every worker and server that shares the cache."""
    cache = page_cache()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there yet, or evicted: any new value will do
        cache.add(VERSION_KEY, _initial_version(), timeout=None)


def page_key(request) -> str:
    digest = blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    return f"newsroom:page:{digest}"


class AnonymousPageCacheMiddleware:
    """Serve and store whole pages for anonymous readers. Views opt in by setting
    `request.page_cacheable` (public.caching.public_page does)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = settings.PAGE_CACHE

    def __call__(self, request):
        if not self.enabled or request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return self.get_response(request)
        cache, key = page_cache(), page_key(request)
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            version = current_version(cache)
        entry = found.get(key)
        if entry is not None and entry[0] == version and time.time() < entry[1]:
            return self._replay(request, entry)
        response = self.get_response(request)
        if getattr(request, "page_cacheable", False) and self._storable(response):
            # No longer than the view says is fresh: a scheduled story due sooner shortens it.
            seconds = min(
                settings.PAGE_CACHE_SECONDS, getattr(request, "page_fresh_seconds", settings.PAGE_CACHE_SECONDS)
            )
            if seconds > 0:
                headers = [(k, v) for k, v in response.items() if k.lower() not in SKIPPED_HEADERS]
                entry = (version, time.time() + seconds, response.status_code, headers, response.content)
                cache.set(key, entry, seconds)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _storable(response) -> bool:
        return response.status_code == 200 and not response.streaming and not response.cookies

    @staticmethod
    def _replay(request, entry) -> HttpResponse:
        _, _, status, headers, content = entry
        header_map = {name.lower(): value for name, value in headers}
        last_modified = parse_http_date_safe(header_map.get("last-modified", ""))
        not_modified = get_conditional_response(request, etag=header_map.get("etag"), last_modified=last_modified)
        response = not_modified or HttpResponse(content, status=status)
        for name, value in headers:
            if not_modified is None or name.lower() in ("etag", "last-modified", "cache-control", "vary", "expires"):
                response[name] = value
        response["X-Page-Cache"] = "hit"
        return response
