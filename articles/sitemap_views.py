from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.caching import public_page, settings_for
from articles.sitemaps import SITEMAPS, URLS_PER_SITEMAP, news_articles
from newsroom.lib.query import whole_number
from newsroom.lib.urls import absolute


def _urlset(request, entries):
    return render(request, "sitemap.xml", {"urlset": entries}, content_type="application/xml; charset=utf-8")


def _entries(sitemap, items) -> list[dict]:
    return [{"location": absolute(sitemap.location(item)), "lastmod": sitemap.lastmod(item)} for item in items]


@require_safe
@public_page
def sitemap(request):
    """One sitemap while everything fits in one file; an index of sections once it does not."""
    sections = {name: section() for name, section in SITEMAPS.items()}
    # Exact for articles; for tags and authors the count of all rows is an upper bound that is
    # cheap (checking that each is public is a join over every live story), and one that only
    # ever makes the index a little longer than it needs to be.
    counts = {name: sitemap.upper_bound() for name, sitemap in sections.items()}
    if sum(counts.values()) <= URLS_PER_SITEMAP:
        return _urlset(request, [entry for s in sections.values() for entry in _entries(s, s.items())])
    locations = [
        absolute(reverse("sitemap-section", kwargs={"section": name})) + (f"?p={number}" if number > 1 else "")
        for name, count in counts.items()
        for number in range(1, max(1, -(-count // URLS_PER_SITEMAP)) + 1)
    ]
    return render(request, "sitemap_index.xml", {"sitemaps": locations}, content_type="application/xml; charset=utf-8")


@require_safe
@public_page
def sitemap_section(request, section: str):
    if section not in SITEMAPS:
        raise Http404("No such sitemap.")
    number = whole_number(request.GET.get("p", "1"), least=1, most=10_000)
    if number is None:
        raise Http404("No such sitemap page.")
    sitemap = SITEMAPS[section]()
    start = (number - 1) * URLS_PER_SITEMAP
    entries = _entries(sitemap, sitemap.items()[start : start + URLS_PER_SITEMAP])
    if not entries and number > 1:
        raise Http404("No such sitemap page.")
    return _urlset(request, entries)


@require_safe
@public_page
def news_sitemap(request):
    site = settings_for(request)
    entries = [(absolute(article.get_absolute_url()), article) for article in news_articles()]
    return render(
        request,
        "sitemaps/news.xml",
        {"entries": entries, "publication": site.site_name},
        content_type="application/xml; charset=utf-8",
    )
