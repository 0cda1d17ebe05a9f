"""Wire copy out: published articles as IPTC ninjs 2.2, for syndication partners."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_safe

from articles.models import Article
from newsroom.lib.json import HtmlSafeJSONEncoder
from public.caching import public_page
from wire.exporter import to_ninjs

FEED_SIZE = 30


def _json(data: dict) -> JsonResponse:
    return JsonResponse(data, encoder=HtmlSafeJSONEncoder, json_dumps_params={"ensure_ascii": False})


@require_safe
@public_page
def article_ninjs(request, year: int, month: int, day: int, slug: str):
    """A published article as a ninjs 2.2 document."""
    article = get_object_or_404(Article.objects.published().for_listing().with_tags(), slug=slug)
    canonical = f"{article.get_absolute_url()}ninjs.json"
    if escape_uri_path(request.path) != canonical:
        return redirect(canonical, permanent=True)
    return _json(to_ninjs(article))


@require_safe
@public_page
def ninjs_feed(request):
    """The latest published articles as ninjs 2.2 documents: {"items": [...]}, newest first."""
    articles = Article.objects.published().for_listing().with_tags()[:FEED_SIZE]
    return _json({"items": [to_ninjs(article) for article in articles]})
