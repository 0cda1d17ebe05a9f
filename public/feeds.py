"""RSS and Atom feeds of the latest published articles: site-wide, per section, tag and author.

Each entry carries the whole story (content:encoded in RSS, <content type="html"> in Atom: the
lead picture, the body and the corrections and clarifications as the story's page shows them,
every link and image address absolute), the lead picture's largest
rendition as the enclosure and as Media RSS media:content, every bylined author and the credit
source in byline order (one dc:creator each in RSS, one <author> each in Atom), the summary, the
tags as categories and full canonical URLs. The feeds' language is the site's, as on its pages
(Django's active language: settings.LANGUAGE_CODE).

The database chooses a feed's stories on every request, as for the page it belongs to (the same
listing); what the feed says of each story is kept in the `fragments` cache under the story's
public revision, and only new or changed stories are read, as values (no model instances). The
written feed is kept too, under its stories and their revisions: writing 30 items with Django's
feed generator took longer than everything else the feed does.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cache
from hashlib import blake2b
from html import escape
from io import StringIO

from django.contrib.syndication.views import Feed
from django.core.cache import caches
from django.http import Http404, HttpResponse
from django.template import engines
from django.template.loader import get_template
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import format_html
from taggit.models import Tag

from articles import body as story_body
from articles.models import Article, Byline, Correction, SiteSettings, TaggedArticle
from authors.models import Author
from newsroom.lib.text import without_unusable_characters
from newsroom.lib.urls import absolute
from pictures.models import LEAD_CROP, Picture
from public import fragments, listings
from public.caching import settings_for
from public.pagination import Row

FEED_SIZE = 30
MEDIA_RSS = "http://search.yahoo.com/mrss/"
# Entries and feeds are keyed by what they show, so they never go stale; the time only bounds memory.
ENTRY_SECONDS = 60 * 60


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


def add_media_content(handler, image: dict | None) -> None:
    """The lead picture as Media RSS media:content, with its caption (or alt text) and credit."""
    if image is None:
        return
    attributes = {"url": image["url"], "medium": "image", "type": image["type"]}
    attributes |= {"width": str(image["width"]), "height": str(image["height"]), "fileSize": str(image["bytes"])}
    handler.startElement("media:content", attributes)
    if image["description"]:
        handler.addQuickElement("media:description", image["description"], {"type": "plain"})
    if image["credit"]:
        handler.addQuickElement("media:credit", image["credit"])
    handler.endElement("media:content")


class NewsRssFeed(WellFormed, Rss201rev2Feed):
    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:media": MEDIA_RSS,
        }

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed["logo"]:
            handler.startElement("image", {})
            handler.addQuickElement("url", self.feed["logo"])
            handler.addQuickElement("title", self.feed["title"])
            handler.addQuickElement("link", self.feed["link"])
            handler.endElement("image")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        # One dc:creator per author, in byline order: feedparser gives them all as entry.authors and
        # the first as author_detail, but its `author` string is the last one read (as in Atom);
        # one combined dc:creator would make it the whole byline and drop the separate names.
        for author in item["authors"]:
            handler.addQuickElement("dc:creator", author["name"])
        handler.addQuickElement("content:encoded", item["content"])
        add_media_content(handler, item["image"])


class NewsAtomFeed(WellFormed, Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed["logo"]:
            handler.addQuickElement("logo", self.feed["logo"])

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", author["name"])
            handler.addQuickElement("uri", author["uri"])
            handler.endElement("author")
        handler.addQuickElement("content", item["content"], {"type": "html"})
        add_media_content(handler, item["image"])


def feed_entries(rows: list[Row]) -> list[dict]:
    """What a feed says of each story (title, link, summary, dates, authors, categories), in the
    rows' order: from the cache, and the stories missing there read in one pass of four queries."""
    cache = caches["fragments"]
    # v3: entries carry the full content with the corrections, and the lead picture.
    # v4: the content shows the body's blocks (articles.body: pictures, galleries, embeds).
    keys = {row.pk: f"newsroom:feed-item:v4:{row.pk}:{row.public_revision}" for row in rows}
    found = cache.get_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in found]
    if missing:
        read = {keys[pk]: entry for pk, entry in _read_entries(missing).items()}
        cache.set_many(read, ENTRY_SECONDS)
        found |= read
    # A story deleted since the listing was read has no entry: it is left out.
    return [found[key] for key in keys.values() if key in found]


def lead_image(picture: Picture) -> dict | None:
    """The lead picture's largest rendition in the story's crop, as the enclosure and media:content give it."""
    largest = picture.largest(LEAD_CROP)
    if largest is None:
        return None
    return {
        "url": absolute(picture.url_of(largest)),
        "type": "image/jpeg",
        "width": largest["width"],
        "height": largest["height"],
        "bytes": picture.size_of(largest),
        "description": picture.caption or picture.alt_text,
        "credit": picture.credit,
    }


@cache
def _feed_body():
    return engines["jinja2"].from_string('{% from "includes/body.html" import body %}{{ body(blocks, "feed") }}')


def full_content(blocks: list[story_body.Block], picture: Picture | None, corrections: list[Correction]) -> str:
    """The story as a feed reader shows it: the lead picture with its caption, then the body's
    blocks (articles.body, read with the story's address as their base: every address absolute),
    then its corrections and clarifications, in the markup of the story's page."""
    figure = ""
    shown = picture and picture.best(LEAD_CROP, "jpeg", at_least=960)
    if shown:
        caption = " ".join(part for part in (picture.caption, picture.credit) if part)
        figure = format_html(
            '<figure><img src="{}" width="{}" height="{}" alt="{}">{}</figure>',
            absolute(picture.url_of(shown)),
            shown["width"],
            shown["height"],
            picture.alt_text,
            format_html("<figcaption>{}</figcaption>", caption) if caption else "",
        )
    notes = ""
    if corrections:
        notes = get_template("includes/corrections.html", using="jinja2").render({"corrections": corrections}).strip()
    return figure + _feed_body().render({"blocks": blocks}).strip() + notes


def _read_entries(pks: list[int]) -> dict[int, dict]:
    """Feed entries of these stories, from values: the story with its credit and lead picture,
    its bylines, its tags, its corrections (one query for all: few stories have any).

    Unsaved Article, Author and Picture instances built from the values give the models' own
    rules (the summary, the addresses, the renditions) without the ORM's cost of loading them."""
    people = defaultdict(list)
    bylines = Byline.objects.filter(article_id__in=pks).order_by("article_id", "position", "id")
    for article_id, name, slug in bylines.values_list("article_id", "author__name", "author__slug"):
        people[article_id].append(Author(name=name, slug=slug))
    tags = defaultdict(list)
    tagged = TaggedArticle.objects.filter(content_object_id__in=pks)
    for article_id, name in tagged.values_list("content_object_id", "tag__name"):
        tags[article_id].append(name)
    notes = defaultdict(list)
    corrected = Correction.objects.filter(article_id__in=pks).order_by("article_id", "created_at", "id")
    for article_id, kind, text, created_at in corrected.values_list("article_id", "kind", "text", "created_at"):
        notes[article_id].append(Correction(kind=kind, text=text, created_at=created_at))
    fields = ["pk", "headline", "slug", "published_at", "updated_at", "standfirst", "body"]
    fields += ["credit__name", "credit__slug"]
    fields += [f"lead_image__{name}" for name in ("pk", "renditions", "alt_text", "caption", "credit")]
    entries = {}
    stories = list(Article.objects.filter(pk__in=pks).values_list(*fields))
    articles = {
        pk: Article(pk=pk, slug=slug, published_at=published_at, standfirst=standfirst, body=body)
        for pk, _, slug, published_at, _, standfirst, body, *_ in stories
    }
    links = {pk: absolute(article.get_absolute_url()) for pk, article in articles.items()}
    blocks = {pk: story_body.parse(article.body, base=links[pk]) for pk, article in articles.items()}
    story_body.with_pictures(*blocks.values())  # every entry's pictures in one query, none without any
    for values in stories:
        pk, headline, slug, published_at, updated_at, standfirst, body, credit_name, credit_slug = values[:9]
        picture_pk, renditions, alt_text, caption, picture_credit = values[9:]
        article = articles[pk]
        credit = [Author(name=credit_name, slug=credit_slug)] if credit_slug is not None else []
        picture = (
            Picture(renditions=renditions, alt_text=alt_text, caption=caption, credit=picture_credit)
            if picture_pk is not None
            else None
        )
        link = links[pk]
        entries[pk] = {
            "title": headline,
            # RSS descriptions and Atom summaries (type="html") are HTML to feed readers: the summary
            # is plain text, so it is escaped as text, as on our pages ("<b>" shows as "<b>").
            "description": escape(article.summary),
            "content": full_content(blocks[pk], picture, notes[pk]),
            "image": picture and lead_image(picture),
            "link": link,
            "pubdate": published_at,
            "updateddate": updated_at or published_at,
            "categories": sorted(tags[pk], key=str.casefold),
            "authors": [
                {"name": author.name, "uri": absolute(author.get_absolute_url())} for author in [*people[pk], *credit]
            ],
        }
    return entries


@dataclass(frozen=True)
class Subject:
    """What a feed is about; feed instances are shared between requests, so nothing is kept on them."""

    site: SiteSettings
    listing: listings.Listing  # the same listing as the page the feed belongs to
    keys: dict  # the listing's keys (tag=, author=)
    name: str = ""
    page: str = ""
    feed: str = ""
    rows: tuple = ()  # the stories the listing holds now (public.pagination.Row)


class LatestArticlesFeed(Feed):
    """The latest stories, in RSS or (atom=True) Atom: each feed's Atom address is its RSS one's
    name with "-atom" (articles:feed-atom, articles:tag-feed-atom)."""

    feed_type = NewsRssFeed

    def __init__(self, *, atom: bool = False):
        self.atom = atom
        self.feed_type = NewsAtomFeed if atom else NewsRssFeed

    def feed_address(self, name: str, **kwargs) -> str:
        """The address of this kind (RSS or Atom) of the named feed."""
        return reverse(f"articles:{name}-atom" if self.atom else f"articles:{name}", kwargs=kwargs or None)

    def __call__(self, request, *args, **kwargs) -> HttpResponse:
        """The feed, kept whole under what it shows: its kind, its subject and the listing's stories
        at their revisions (the database still chooses them on every request)."""
        subject = self.get_object(request, *args, **kwargs)
        subject = replace(subject, rows=tuple(subject.listing.rows(limit=FEED_SIZE, **subject.keys)))
        shown = ("v4", self.feed_type.__name__, subject.site.site_name, subject.name, subject.page, subject.feed)
        shown += (repr(self.feed_extra_kwargs(subject)),)
        shown += tuple(f"{row.pk}:{row.public_revision}" for row in subject.rows)
        key = f"newsroom:feed:{blake2b(repr(shown).encode(), digest_size=16).hexdigest()}"
        cache = caches["fragments"]
        if (document := cache.get(key)) is None:
            buffer = StringIO()
            self.get_feed(subject, request).write(buffer, "utf-8")
            document = buffer.getvalue()
            cache.set(key, document, ENTRY_SECONDS)
        return HttpResponse(document, content_type=self.feed_type.content_type)

    def get_object(self, request, **kwargs) -> Subject:
        return Subject(
            settings_for(request),
            listings.LATEST,
            {},
            page=reverse("articles:home"),
            feed=self.feed_address("feed"),
        )

    def feed_extra_kwargs(self, subject: Subject) -> dict:
        # The feed's logo (RSS <image>, Atom <logo>): the site's publisher logo, or "" for none.
        return {"logo": subject.site.publisher_logo_url}

    def title(self, subject: Subject) -> str:
        return f"{subject.name} · {subject.site.site_name}" if subject.name else subject.site.site_name

    def description(self, subject: Subject) -> str:
        return f"The latest stories from {subject.site.site_name}" + (f": {subject.name}." if subject.name else ".")

    subtitle = description

    def link(self, subject: Subject) -> str:
        return absolute(subject.page)

    def feed_url(self, subject: Subject) -> str:
        return absolute(subject.feed)

    def items(self, subject: Subject) -> list[dict]:
        entries = feed_entries(list(subject.rows))
        if not entries and subject.name:
            raise Http404("Nothing published here.")  # a tag or author with no live story stays unknown
        return entries

    def item_title(self, entry: dict) -> str:
        return entry["title"]

    def item_description(self, entry: dict) -> str:
        return entry["description"]

    def item_link(self, entry: dict) -> str:
        return entry["link"]

    def item_pubdate(self, entry: dict):
        return entry["pubdate"]

    def item_updateddate(self, entry: dict):
        return entry["updateddate"]

    def item_categories(self, entry: dict) -> list[str]:
        return entry["categories"]

    def item_enclosures(self, entry: dict) -> list[Enclosure]:
        image = entry["image"]
        return [Enclosure(image["url"], str(image["bytes"]), image["type"])] if image else []

    def item_extra_kwargs(self, entry: dict) -> dict:
        return {"authors": entry["authors"], "content": entry["content"], "image": entry["image"]}


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
            feed=self.feed_address("tag-feed", slug=tag.slug),
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
            feed=self.feed_address("author-feed", slug=author.slug),
        )


class SectionFeed(LatestArticlesFeed):
    """A section's feed: the same listing as its page (its stories, its subsections', and those also in it)."""

    def get_object(self, request, slug: str, parent: str | None = None) -> Subject:
        key = f"{parent}/{slug}" if parent else slug
        found = fragments.lookup(
            "section-feed", key, state=request.page_state, fetch=lambda: listings.section_at(slug, parent)
        )
        if found is None:
            raise Http404("No such section.")
        section = found["section"]
        feed = (
            self.feed_address("subsection-feed", parent=section.parent.slug, slug=section.slug)
            if section.parent_id
            else self.feed_address("section-feed", slug=section.slug)
        )
        return Subject(
            settings_for(request),
            listings.of_section(has_subsections=found["has_subsections"]),
            {"section": section.pk},
            name=section.name,
            page=section.get_absolute_url(),
            feed=feed,
        )
