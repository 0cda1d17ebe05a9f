"""RSS and Atom feeds of the latest published articles: site-wide, per tag and per author.

Every bylined author and the credit source are listed (dc:creator in RSS, one <author> each in
Atom), with the summary, the tags as categories and full canonical URLs.
"""

from dataclasses import dataclass
from html import escape

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from taggit.models import Tag

from articles.models import Article, SiteSettings
from authors.models import Author
from newsroom.lib.text import without_unusable_characters
from newsroom.lib.urls import absolute
from public import listings
from public.caching import settings_for

FEED_SIZE = 30


def _xml_text(value):
    if isinstance(value, str):
        return without_unusable_characters(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_xml_text(item) for item in value)
    if isinstance(value, dict):
        return {key: _xml_text(item) for key, item in value.items()}
    return value


class WellFormed:
    """XML 1.0 cannot carry most control characters (Django's feed writer raises on them):
    whatever reached the database, the feed is written. The forms and the importer keep them
    out; this is the last line."""

    def __init__(self, *args, **kwargs):
        super().__init__(*_xml_text(args), **_xml_text(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*_xml_text(args), **_xml_text(kwargs))


class NewsRssFeed(WellFormed, Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": "http://purl.org/dc/elements/1.1/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item["authors"]:
            handler.addQuickElement("dc:creator", author["name"])


class NewsAtomFeed(WellFormed, Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", author["name"])
            handler.addQuickElement("uri", author["uri"])
            handler.endElement("author")


@dataclass(frozen=True)
class Subject:
    """What a feed is about; feed instances are shared between requests, so nothing is kept on them."""

    site: SiteSettings
    listing: listings.Listing  # the same listing as the page the feed belongs to
    keys: dict  # the listing's keys (tag=, author=)
    name: str = ""
    page: str = ""
    feed: str = ""


class LatestArticlesFeed(Feed):
    feed_type = NewsRssFeed
    feed_view = "articles:feed"

    def get_object(self, request, **kwargs) -> Subject:
        return Subject(
            settings_for(request),
            listings.LATEST,
            {},
            page=reverse("articles:home"),
            feed=reverse(self.feed_view),
        )

    def title(self, subject: Subject) -> str:
        return f"{subject.name} · {subject.site.site_name}" if subject.name else subject.site.site_name

    def description(self, subject: Subject) -> str:
        return f"The latest stories from {subject.site.site_name}" + (f": {subject.name}." if subject.name else ".")

    subtitle = description

    def link(self, subject: Subject) -> str:
        return absolute(subject.page)

    def feed_url(self, subject: Subject) -> str:
        return absolute(subject.feed)

    def items(self, subject: Subject):
        newest = subject.listing.rows(limit=FEED_SIZE, **subject.keys)
        articles = sorted(
            Article.objects.filter(pk__in=[row.pk for row in newest]).for_listing().with_tags(),
            key=lambda article: (article.published_at, article.pk),
            reverse=True,
        )
        if not articles and subject.name:
            raise Http404("Nothing published here.")  # a tag or author with no live story stays unknown
        return articles

    def item_title(self, article: Article) -> str:
        return article.headline

    def item_description(self, article: Article) -> str:
        # RSS descriptions and Atom summaries (type="html") are HTML to feed readers: the summary
        # is plain text, so it is escaped as text, as on our pages ("<b>" shows as "<b>").
        return escape(article.summary)

    def item_link(self, article: Article) -> str:
        return absolute(article.get_absolute_url())

    def item_pubdate(self, article: Article):
        return article.published_at

    def item_updateddate(self, article: Article):
        return article.updated_at or article.published_at

    def item_categories(self, article: Article) -> list[str]:
        return [tag.name for tag in article.sorted_tags]

    def item_extra_kwargs(self, article: Article) -> dict:
        people = [*article.byline_authors, *([article.credit] if article.credit else [])]
        return {"authors": [{"name": a.name, "uri": absolute(a.get_absolute_url())} for a in people]}


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = NewsAtomFeed
    feed_view = "articles:feed-atom"


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug: str) -> Subject:
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            raise Http404("No such tag.")
        return Subject(
            settings_for(request),
            listings.TAGGED,
            {"tag": tag.pk},
            name=f"#{tag.name}",
            page=reverse("articles:tag", kwargs={"slug": tag.slug}),
            feed=reverse("articles:tag-feed", kwargs={"slug": tag.slug}),
        )


class AuthorFeed(LatestArticlesFeed):
    def get_object(self, request, slug: str) -> Subject:
        author = Author.objects.filter(slug=slug).first()
        if author is None:
            raise Http404("No such author.")
        return Subject(
            settings_for(request),
            listings.BY_AUTHOR,
            {"author": author.pk},
            name=author.name,
            page=author.get_absolute_url(),
            feed=reverse("articles:author-feed", kwargs={"slug": author.slug}),
        )
