"""The Jinja2 environment for readers' pages: Django's static and url, plus our filters."""

from functools import lru_cache

from django.conf import settings
from django.http import QueryDict
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import get_language
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from newsroom.lib.dates import isoformat
from newsroom.lib.embeds import embed_for, link_for
from newsroom.lib.html import clean
from newsroom.lib.json import html_safe_dumps
from newsroom.lib.urls import absolute, encoded_path, kept_query


def url(viewname: str, *args, **kwargs) -> str:
    if not args and not kwargs:
        # The masthead, search form and footer name the same few addresses on every page:
        # reverse() cost a sixth of a cached article's time.
        return _fixed_url(viewname, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


@lru_cache(maxsize=256)
def _fixed_url(viewname: str, prefix: str, urlconf: str) -> str:
    return reverse(viewname, urlconf=urlconf)


def long_date(value) -> str:
    """“16 May 2024, 18:30 UTC”: in the site's time zone, which it names."""
    local = timezone.localtime(value)
    return f"{local.day} {local:%B %Y, %H:%M %Z}"


def rich_text(value: str) -> Markup:
    """Stored rich text, cleaned again on the way out so nothing unsafe reaches a page."""
    return Markup(clean(value))  # noqa: S704 - clean() reduces the HTML to our allow-list


def _read(request):
    """The query parameters the page reads (public.caching.public_page's `reads`), and no other."""
    return kept_query(request.GET, getattr(request, "reads", ()))


def page_query(request, **position) -> str:
    """The page's query with another position (page=, before= or after=), encoded; parameters the
    page does not read are left out, and so is the position it was at."""
    query = _read(request).copy()
    for name in ("page", "before", "after"):
        query.pop(name, None)
    for name, value in position.items():
        query[name] = str(value)
    return f"?{query.urlencode()}"


def canonical_path(request) -> str:
    """The page's path, encoded, with the query parameters that choose the page (those it reads)."""
    query = QueryDict(mutable=True)
    for name, value in _read(request).items():
        if value:  # ?q= is the page without it
            query[name] = value
    return encoded_path(request.path) + (f"?{query.urlencode()}" if query else "")


def json_ld(data: dict) -> Markup:
    """A JSON-LD script element, escaped like Django's json_script so no text can end the element."""
    return Markup(f'<script type="application/ld+json">{html_safe_dumps(data)}</script>')  # noqa: S704 - escaped


def environment(**options) -> Environment:
    options.setdefault("undefined", StrictUndefined)
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    # Autoescaping is always on, whatever the TEMPLATES options say.
    options.pop("autoescape", None)
    env = Environment(autoescape=True, **options)
    env.globals.update(
        {
            "static": static,
            "url": url,
            "page_query": page_query,
            "canonical_path": canonical_path,
            "absolute": absolute,
            # The site's language (settings.LANGUAGE_CODE), as its feeds give it (Django's Feed.language).
            "language": get_language,
            # Embeds by URL (includes/embed.html): the player of a live iframe provider, the link of any.
            "embed_for": embed_for,
            "embed_link": link_for,
        }
    )
    env.filters.update(
        {
            "isoformat": isoformat,
            "long_date": long_date,
            "rich_text": rich_text,
            "json_ld": json_ld,
        }
    )
    return env
