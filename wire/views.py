"""Wire copy out: published articles as IPTC ninjs 2.2, for syndication partners."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_safe

from articles.models import Article
from newsroom.lib.json import HtmlSafeJSONEncoder
from newsroom.lib.urls import is_canonical
from public import listings
from public.caching import public_page
from public.feeds import FEED_SIZE
from wire.exporter import to_ninjs


def _json(data: dict) -> JsonResponse:
    return JsonResponse(data, encoder=HtmlSafeJSONEncoder, json_dumps_params={"ensure_ascii": False})


@require_safe
@public_page
def article_ninjs(request, year: int, month: int, day: int, slug: str):
    """A published article as a ninjs 2.2 document."""
    article = get_object_or_404(Article.objects.published().for_listing().with_tags(), slug=slug)
    canonical = f"{article.get_absolute_url()}ninjs.json"
    if not is_canonical(request, canonical):
        return redirect(canonical, permanent=True)
    return _json(to_ninjs(article))


@require_safe
@public_page
def ninjs_feed(request):
    """The latest published articles as ninjs 2.2 documents: {"items": [...]}, newest first (the
    stories of the RSS feed)."""
    newest = [row.pk for row in listings.LATEST.rows(limit=FEED_SIZE)]
    articles = Article.objects.filter(pk__in=newest).for_listing().with_tags().in_bulk()
    return _json({"items": [to_ninjs(articles[pk]) for pk in newest]})
