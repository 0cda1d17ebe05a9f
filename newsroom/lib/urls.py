"""URLs for what is read outside the site, and a fast reverse() for listings."""

from functools import cache
from urllib.parse import quote

from django.conf import settings
from django.http import QueryDict
from django.urls import get_script_prefix, reverse

# What reverse() leaves unescaped in a path (django.urls.resolvers).
SAFE = "!$&'()*+,;=/~:@"


def encoded_path(path: str) -> str:
    """A decoded path (request.path) percent-encoded exactly as reverse() encodes one."""
    return quote(path, safe=SAFE)


def kept_query(query: QueryDict, names: tuple[str, ...]) -> QueryDict:
    """The parameters `names` of a query, in that order, with the last value of each (the one a
    view reads); every other parameter (?utm_source=, ?fbclid=) is left out."""
    kept = QueryDict(mutable=True)
    for name in names:
        if name in query:
            kept[name] = query[name]
    kept._mutable = False
    return kept


def is_canonical(request, url: str) -> bool:
    """Whether the request came to `url`, a path from reverse() or get_absolute_url(). Compared
    in reverse()'s encoding: request.path is decoded, so a slug such as "kjøpt" differs from
    its URL until both are encoded the same way (a 301 to itself, for ever, otherwise)."""
    return encoded_path(request.path) == url


def absolute(url: str) -> str:
    """A full URL on NEWSROOM_SITE_URL, for what is read outside the site (feeds, sitemaps,
    structured data, Open Graph). URLs that already are absolute (media on S3) stay as they are."""
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


@cache
def _template(viewname: str, prefix: str, samples: tuple[tuple[str, object], ...]) -> str:
    url = reverse(viewname, kwargs=dict(samples))
    for name, sample in samples:
        url = url.replace(f"/{sample}/", f"/{{{name}}}/", 1)
    return url


def fast_reverse(viewname: str, samples: dict, **parts: str) -> str:
    """reverse() once per process and URL pattern, then fill in: reverse() costs about 30 µs and a
    listing builds a hundred URLs. `samples` are values the pattern accepts and that appear once,
    between slashes, in its URL; `parts` are the real values, already in URL form."""
    template = _template(viewname, get_script_prefix(), tuple(samples.items()))
    return template.format(**{name: quote(value, safe=SAFE) for name, value in parts.items()})
