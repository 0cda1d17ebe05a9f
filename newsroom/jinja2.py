"""The Jinja2 environment for readers' pages: Django's static and url, plus our filters."""

from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from newsroom.lib.html import clean


def url(viewname: str, *args, **kwargs) -> str:
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def localtime(value):
    return timezone.localtime(value)


def isoformat(value) -> str:
    """A datetime in the site's time zone, with its offset, as <time datetime> and JSON-LD want."""
    return timezone.localtime(value).isoformat(timespec="seconds")


def long_date(value) -> str:
    """“16 May 2024, 18:30” in the site's time zone."""
    local = timezone.localtime(value)
    return f"{local.day} {local:%B %Y, %H:%M}"


def rich_text(value: str) -> Markup:
    """Stored rich text, cleaned again on the way out so nothing unsafe reaches a page."""
    return Markup(clean(value))  # noqa: S704 - clean() reduces the HTML to our allow-list


def environment(**options) -> Environment:
    options.setdefault("undefined", StrictUndefined)
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    env = Environment(**options)
    env.globals.update({"static": static, "url": url})
    env.filters.update({"localtime": localtime, "isoformat": isoformat, "long_date": long_date, "rich_text": rich_text})
    return env
