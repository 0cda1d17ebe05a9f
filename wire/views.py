"""Wire copy out: published articles as IPTC ninjs 2.2 (the default) or 3.1 (`?version=3.1`),
for syndication partners."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_safe

from articles.models import Article
from newsroom.lib.json import HtmlSafeJSONEncoder
from newsroom.lib.urls import is_canonical
from public import listings
from public.caching import public_page
from public.feeds import FEED_SIZE
from wire.exporter import DEFAULT_VERSION, VERSIONS, to_ninjs


def _json(data: dict) -> JsonResponse:
    return JsonResponse(data, encoder=HtmlSafeJSONEncoder, json_dumps_params={"ensure_ascii": False})


def _version(request) -> str | None:
    """The ninjs version asked for (?version=), or None if it is not one we offer."""
    version = request.GET.get("version", DEFAULT_VERSION)
    return version if version in VERSIONS else None


def _unknown_version(request) -> JsonResponse:
    offered = " or ".join(VERSIONS)
    asked = request.GET.get("version", "")[:20]
    response = _json({"error": f"ninjs version {asked!r} is not offered here: ask for {offered} (?version=3.1)"})
    response.status_code = 400
    return response


@require_safe
@public_page(reads=("version",))
def article_ninjs(request, year: int, month: int, day: int, slug: str):
    """A published article as a ninjs document (2.2 unless ?version= asks for 3.1)."""
    if (version := _version(request)) is None:
        return _unknown_version(request)
    article = get_object_or_404(Article.objects.published().for_listing().with_tags().with_body_pictures(), slug=slug)
    canonical = f"{article.get_absolute_url()}ninjs.json"
    if not is_canonical(request, canonical):
        asked = f"?version={version}" if "version" in request.GET else ""
        return redirect(f"{canonical}{asked}", permanent=True)
    return _json(to_ninjs(article, version))


@require_safe
@public_page(reads=("version",))
def ninjs_feed(request):
    """The latest published articles as ninjs documents (2.2, or ?version=3.1): {"items": [...]},
    newest first (the stories of the RSS feed)."""
    if (version := _version(request)) is None:
        return _unknown_version(request)
    newest = [row.pk for row in listings.LATEST.rows(limit=FEED_SIZE)]
    articles = Article.objects.filter(pk__in=newest).for_listing().with_tags().with_body_pictures().in_bulk()
    return _json({"items": [to_ninjs(articles[pk], version) for pk in newest]})
