"""The Jinja2 environment for readers' pages: Django's static and url, plus our filters."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from newsroom.lib.dates import isoformat
from newsroom.lib.html import clean
from newsroom.lib.urls import absolute

# What Django's json_script escapes: nothing in the data can close the <script> element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def url(viewname: str, *args, **kwargs) -> str:
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def localtime(value):
    return timezone.localtime(value)


def long_date(value) -> str:
    """“16 May 2024, 18:30” in the site's time zone."""
    local = timezone.localtime(value)
    return f"{local.day} {local:%B %Y, %H:%M}"


def rich_text(value: str) -> Markup:
    """Stored rich text, cleaned again on the way out so nothing unsafe reaches a page."""
    return Markup(clean(value))  # noqa: S704 - clean() reduces the HTML to our allow-list


PAGE_PARAMETERS = ("page", "before", "after")


def page_query(request, **position) -> str:
    """The current query string with another page position (page=, before= or after=)."""
    query = request.GET.copy()
    for name in PAGE_PARAMETERS:
        query.pop(name, None)
    for name, value in position.items():
        query[name] = str(value)
    return f"?{query.urlencode()}"


def canonical_path(request) -> str:
    """The page's path with only the query parameters that choose the page."""
    kept = [(name, request.GET[name]) for name in PAGE_PARAMETERS if request.GET.get(name)]
    return escape_uri_path(request.path) + ("?" + "&".join(f"{name}={value}" for name, value in kept) if kept else "")


def json_ld(data: dict) -> Markup:
    """A JSON-LD script element, escaped like Django's json_script so no text can end the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return Markup(f'<script type="application/ld+json">{text}</script>')  # noqa: S704 - escaped above


def environment(**options) -> Environment:
    options.setdefault("undefined", StrictUndefined)
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    # Autoescaping is always on, whatever the TEMPLATES options say.
    options.pop("autoescape", None)
    env = Environment(autoescape=True, **options)
    env.globals.update(
        {"static": static, "url": url, "page_query": page_query, "canonical_path": canonical_path, "absolute": absolute}
    )
    env.filters.update(
        {
            "localtime": localtime,
            "isoformat": isoformat,
            "long_date": long_date,
            "rich_text": rich_text,
            "json_ld": json_ld,
        }
    )
    return env
