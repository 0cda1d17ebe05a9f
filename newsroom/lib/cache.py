"""Invalidation of what readers' pages cache: one place that knows a change happened.

Every public change (publish, update, unpublish, correction, an edit to anything a page
shows) bumps the content version. Page validators and cache keys include it, so the next
request after a change gets fresh pages on every worker that shares the cache.
"""

import time

from django.core.cache import cache

CONTENT_VERSION_KEY = "newsroom:content-version"


def content_version() -> int:
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        # Start from the clock, so a counter lost from the cache never comes back to an old
        # value; add() so that two workers starting at once agree on it.
        cache.add(CONTENT_VERSION_KEY, time.time_ns() // 1_000_000, timeout=None)
        version = cache.get(CONTENT_VERSION_KEY)
    return version


def purge() -> int:
    """Mark every cached page stale; returns the new content version."""
    try:
        return cache.incr(CONTENT_VERSION_KEY)
    except ValueError:
        # Not in the cache yet (or evicted): any new value invalidates what was cached.
        content_version()
        return cache.incr(CONTENT_VERSION_KEY)
