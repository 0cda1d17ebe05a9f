"""Sitemaps of everything readers can reach, and a Google News sitemap of the last 48 hours."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, public_authors, public_tags
from authors.models import Author

# URLs per file; above it /sitemap.xml becomes an index of sections. The protocol allows
# 50,000, but a file of 50,000 stories was 8 MB and took 1.7 s to build: 10,000 take 0.3 s.
URLS_PER_SITEMAP = 10_000
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1_000


class SiteUrlSitemap(Sitemap):
    """A section of the sitemap, in django.contrib.sitemaps' terms (items, location, lastmod).

    Our views (public.views) write the files, not contrib's: contrib counts the rows and pages
    with OFFSET on every request, and builds each URL from the Sites framework. Ours make URLs
    absolute on NEWSROOM_SITE_URL, whatever host the request came to, and split the sections
    into files of URLS_PER_SITEMAP."""

    def lastmod(self, item):
        return None

    def upper_bound(self) -> int:
        """At least as many as items() holds, cheaply: for choosing between one file and an index."""
        return self.items().count()


class ArticleSitemap(SiteUrlSitemap):
    def items(self):
        return Article.objects.published().only("slug", "published_at", "updated_at").order_by("-published_at", "-id")

    def lastmod(self, article: Article):
        return article.updated_at or article.published_at


class TagSitemap(SiteUrlSitemap):
    def items(self):
        return public_tags().order_by("name")

    def location(self, tag) -> str:
        return reverse("articles:tag", kwargs={"slug": tag.slug})

    def upper_bound(self) -> int:
        return Tag.objects.count()


class AuthorSitemap(SiteUrlSitemap):
    def items(self):
        return public_authors().only("slug").order_by("slug")

    def upper_bound(self) -> int:
        return Author.objects.count()


SITEMAPS = {"articles": ArticleSitemap, "tags": TagSitemap, "authors": AuthorSitemap}


def news_articles():
    """Articles published in the last 48 hours, newest first, at most 1,000 (Google News)."""
    since = timezone.now() - NEWS_WINDOW
    return (
        Article.objects.published()
        .filter(published_at__gte=since)
        .only("headline", "slug", "language", "published_at")[:NEWS_LIMIT]
    )
