"""Dates as machines read them."""

from django.utils import timezone


def isoformat(value) -> str:
    """A datetime in the site's time zone, with its offset, to the second: for <time datetime>,
    JSON-LD, ninjs and sitemaps."""
    return timezone.localtime(value).isoformat(timespec="seconds")
