"""Feeds parse with the whole story, its picture and every author; sitemaps list every page and
story with its picture, and validate against the sitemaps.org and Google News schemas."""

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
import xmlschema
from bs4 import BeautifulSoup
from defusedxml import ElementTree
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from articles import workflow
from articles.models import Article, Correction, Section
from authors.models import Author
from newsroom.lib import images
from pictures.models import Picture
from public.models import SitePage
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

# Read from ../shared as in CI; never copied into the project (the Google schema carries no licence).
SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sitemaps"


SITE = "http://127.0.0.1:8000"
IMAGE = "{http://www.google.com/schemas/sitemap-image/1.1}"


def schema(*names: str) -> xmlschema.XMLSchema:
    if not SCHEMAS.is_dir():
        pytest.skip(f"sitemap schemas not found at {SCHEMAS} (they live in ../shared beside the project)")
    return xmlschema.XMLSchema([str(SCHEMAS / name) for name in names])


def without_images(document: str) -> str:
    """The sitemap without Google's image entries, whose schema we do not hold (see ../shared's
    README): the rest must still be valid sitemaps.org XML."""
    root = ElementTree.fromstring(document.encode())
    for url in root:
        for image in url.findall(f"{IMAGE}image"):
            url.remove(image)
    return ElementTree.tostring(root, encoding="unicode")


def sitemap_images(document: str) -> dict[str, list[str]]:
    """Each URL's image:loc values, read as a crawler reads them: one image:loc in each image:image."""
    root = ElementTree.fromstring(document.encode())
    found = {}
    for url in root:
        entries = url.findall(f"{IMAGE}image")
        assert all(len(entry) == 1 and entry[0].tag == f"{IMAGE}loc" for entry in entries)
        found[url.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")] = [e[0].text for e in entries]
    return found


def stored_picture(size=(2400, 1350), **fields) -> Picture:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buffer, format="JPEG")
    return Picture.create(images.clean_upload(ContentFile(buffer.getvalue(), name="x.jpg")), **fields)


@pytest.fixture
def stories():
    asha, ben = make_author("Asha Verma"), make_author("Ben Okoro")
    agency = make_author("Wire Agency", kind="organisation")
    joint = make_article(
        "Joint story", authors=[asha, ben], credit=agency, tags=["Climate", "Oceans"], standfirst="Two reporters."
    )
    solo = make_article("Solo story", authors=[ben], tags=["Climate"], published_at=timezone.now() - timedelta(days=3))
    return joint, solo


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "/tags/climate/feed/", "/authors/ben-okoro/feed/"])
def test_feeds_parse_and_list_every_author_summary_and_tags(client, stories, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    entries = {entry.title: entry for entry in feed.entries}
    joint = entries["Joint story"]
    assert [author["name"] for author in joint.authors] == ["Asha Verma", "Ben Okoro", "Wire Agency"]
    assert joint.summary == "Two reporters."
    assert sorted(tag.term for tag in joint.tags) == ["Climate", "Oceans"]
    assert joint.link == f"http://127.0.0.1:8000{stories[0].get_absolute_url()}"
    assert list(entries) == ["Joint story", "Solo story"], "newest first"


def test_atom_feed_gives_each_author_a_link(client, stories):
    feed = feedparser.parse(client.get("/feed/atom/").content)
    assert feed.entries[0].authors[0]["href"] == "http://127.0.0.1:8000/authors/asha-verma/"


def test_every_page_links_its_feeds(client, stories):
    html = client.get("/tags/climate/").content.decode()
    assert 'href="http://127.0.0.1:8000/tags/climate/feed/"' in html
    assert 'href="http://127.0.0.1:8000/feed/"' in html


def test_sitemap_validates_and_lists_articles_tags_and_authors(client, stories):
    response = client.get("/sitemap.xml")
    schema("sitemap.xsd").validate(response.content.decode())
    body = response.content.decode()
    for path in [
        "/",
        "/latest/",
        "/tags/",
        "/authors/",
        stories[0].get_absolute_url(),
        "/tags/climate/",
        "/tags/oceans/",
        "/authors/asha-verma/",
        "/authors/wire-agency/",
    ]:
        assert f"<loc>http://127.0.0.1:8000{path}</loc>" in body


def test_sitemap_lastmod_is_the_updated_time(client, editor, stories):
    from articles import workflow

    joint = workflow.record_update(stories[0], user=editor, substantive=True)
    body = client.get("/sitemap.xml").content.decode()
    lastmod = timezone.localtime(joint.updated_at).isoformat(timespec="seconds")
    assert f"<loc>http://127.0.0.1:8000{joint.get_absolute_url()}</loc><lastmod>{lastmod}</lastmod>" in body


def locations(body: str) -> list[str]:
    return [part.split("</loc>")[0] for part in body.split("<loc>")[1:]]


def test_sitemap_becomes_an_index_of_months_sections_tags_and_authors_past_the_limit(client, stories, monkeypatch):
    from public import views as sitemap_views

    monkeypatch.setattr(sitemap_views, "URLS_PER_SITEMAP", 2)
    index = client.get("/sitemap.xml").content.decode()
    schema("siteindex.xsd").validate(index)
    months = sorted({f"{timezone.localtime(story.published_at):%Y-%m}" for story in stories}, reverse=True)
    sections = ["http://127.0.0.1:8000/sitemap-pages.xml", "http://127.0.0.1:8000/sitemap-pages.xml?p=2"]
    sections += [f"http://127.0.0.1:8000/sitemap-articles-{month}.xml" for month in months]
    sections += ["http://127.0.0.1:8000/sitemap-sections.xml"]
    sections += ["http://127.0.0.1:8000/sitemap-tags.xml", "http://127.0.0.1:8000/sitemap-authors.xml"]
    sections += ["http://127.0.0.1:8000/sitemap-authors.xml?p=2"]
    assert locations(index) == sections
    listed = []
    for section in sections:
        response = client.get(section.removeprefix("http://127.0.0.1:8000"))
        assert response.status_code == 200, section
        schema("sitemap.xsd").validate(response.content.decode())
        listed += locations(response.content.decode())
    monkeypatch.undo()
    assert sorted(listed) == sorted(locations(client.get("/sitemap.xml").content.decode())), "each URL once"


def test_a_month_section_lists_the_stories_whose_address_is_in_that_month(client, settings):
    settings.TIME_ZONE = "Europe/Oslo"
    # 23:30 UTC on 31 March is 1 April in Oslo: the address, and so the section, say April.
    late = make_article("Late", published_at=datetime(2026, 3, 31, 23, 30, tzinfo=UTC))
    early = make_article("Early", published_at=datetime(2026, 3, 31, 20, 0, tzinfo=UTC))
    assert "/2026/04/01/" in late.get_absolute_url()
    april = client.get("/sitemap-articles-2026-04.xml").content.decode()
    march = client.get("/sitemap-articles-2026-03.xml").content.decode()
    assert locations(april) == [f"http://127.0.0.1:8000{late.get_absolute_url()}"]
    assert locations(march) == [f"http://127.0.0.1:8000{early.get_absolute_url()}"]
    lastmod = timezone.localtime(early.published_at).isoformat(timespec="seconds")
    assert f"<lastmod>{lastmod}</lastmod>" in march


@pytest.mark.parametrize("section", ["articles-2026-05", "articles-2026-13", "articles-0000-01", "articles-2026"])
def test_a_month_without_live_stories_is_no_sitemap(client, stories, section):
    make_article("Draft in May", status=Article.Status.DRAFT, published_at=datetime(2026, 5, 3, tzinfo=UTC))
    assert client.get(f"/sitemap-{section}.xml").status_code == 404


def test_the_sections_the_index_listed_before_months_still_answer(client, stories, monkeypatch):
    from public import views as sitemap_views

    monkeypatch.setattr(sitemap_views, "URLS_PER_SITEMAP", 1)
    first, second = (client.get("/sitemap-articles.xml", {"p": p}) for p in (1, 2))
    assert locations(first.content.decode()) == [f"http://127.0.0.1:8000{stories[0].get_absolute_url()}"]
    assert locations(second.content.decode()) == [f"http://127.0.0.1:8000{stories[1].get_absolute_url()}"]
    assert client.get("/sitemap-articles.xml", {"p": 3}).status_code == 404


def test_news_sitemap_has_the_last_48_hours_and_validates(client, stories):
    make_article("Old story", published_at=timezone.now() - timedelta(days=5))
    make_article("Draft", status=Article.Status.DRAFT)
    response = client.get("/news-sitemap.xml")
    schema("sitemap.xsd", "sitemap-news.xsd").validate(response.content.decode())
    body = response.content.decode()
    assert "<news:title>Joint story</news:title>" in body
    assert "<news:name>The Newsroom</news:name>" in body
    assert "<news:language>en</news:language>" in body
    assert "Old story" not in body and "Solo story" not in body and "Draft" not in body


def test_unknown_sitemap_section_answers_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_the_sitemap_index_never_counts_the_stories(client, stories, monkeypatch):
    from public import views as sitemap_views

    monkeypatch.setattr(sitemap_views, "URLS_PER_SITEMAP", 2)
    client.get("/sitemap.xml")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap.xml").status_code == 200
    story_queries = [query["sql"] for query in queries if '"articles_article"' in query["sql"]]
    assert story_queries and not any("COUNT(" in sql for sql in story_queries)


def test_the_sitemap_shows_a_story_published_since_the_last_request(
    client, stories, editor, fragment_cache, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = False
    client.get("/sitemap.xml")
    with django_capture_on_commit_callbacks(execute=True):
        fresh = make_article("Fresh story", status=Article.Status.DRAFT, authors=[make_author("Noor")])
        workflow.publish(fresh, user=editor)
    assert fresh.get_absolute_url() in client.get("/sitemap.xml").content.decode()


def test_a_kept_month_section_shows_every_change_to_its_stories(client, stories, editor, fragment_cache, settings):
    settings.PAGE_CACHE = False
    joint, _ = stories
    url = f"/sitemap-articles-{timezone.localtime(joint.published_at):%Y-%m}.xml"
    assert joint.get_absolute_url() in client.get(url).content.decode()
    joint.slug = "joint-story-renamed"
    joint.save()
    assert "/joint-story-renamed/" in client.get(url).content.decode()
    workflow.unpublish(joint, user=editor, comment="Legal asked.")
    assert "/joint-story-renamed/" not in client.get(url).content.decode()


@pytest.fixture
def pictured():
    """A story by two reporters and an agency, with a lead picture, a headline beyond ASCII and a
    body whose links are relative to the site and to the story."""
    picture = stored_picture(
        alt_text="A night bus at the depot", caption="The N29 at Wood Green.", credit="Photo: Ana Lima"
    )
    return make_article(
        "Zürich’s night buses at ½ price — 東京 next",
        authors=[make_author("Asha Verma"), make_author("Ben Okoro")],
        credit=make_author("Wire Agency", kind="organisation"),
        tags=["Transport"],
        standfirst="Fares halve after midnight.",
        body='<p>Read <a href="/tags/transport/">more on transport</a> and <a href="../../">that day</a>.</p>'
        "<p>The second paragraph.</p>",
        lead_image=picture,
    )


# Each listing page with its RSS and Atom feeds.
LISTINGS = {
    "/": ("/feed/", "/feed/atom/"),
    "/news/": ("/news/feed/", "/news/feed/atom/"),
    "/tags/transport/": ("/tags/transport/feed/", "/tags/transport/feed/atom/"),
    "/authors/asha-verma/": ("/authors/asha-verma/feed/", "/authors/asha-verma/feed/atom/"),
}
FEEDS = [feed for feeds in LISTINGS.values() for feed in feeds]


def lead_rendition(article: Article) -> dict:
    return article.lead_image.largest("16x9")


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_carry_the_whole_story_with_every_address_absolute(client, pictured, url):
    feed = feedparser.parse(client.get(url).content)
    assert not feed.bozo, feed.get("bozo_exception")
    (entry,) = feed.entries
    assert entry.title == "Zürich’s night buses at ½ price — 東京 next"
    assert entry.summary == "Fares halve after midnight."
    content = BeautifulSoup(entry.content[0].value, "html.parser")
    assert content.get_text(" ", strip=True).endswith("that day . The second paragraph.")
    day = pictured.get_absolute_url().rsplit("/", 3)[0] + "/"
    assert [a["href"] for a in content.find_all("a")] == [f"{SITE}/tags/transport/", f"{SITE}{day}"]
    (image,) = content.find_all("img")
    assert image["src"].startswith(f"{SITE}/media/pictures/")
    assert default_storage.exists(image["src"].removeprefix(f"{SITE}/media/"))
    assert image["alt"] == "A night bus at the depot"
    assert content.figcaption.get_text() == "The N29 at Wood Green. Photo: Ana Lima"


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_the_lead_picture_is_the_enclosure_and_the_media_content(client, pictured, url):
    (entry,) = feedparser.parse(client.get(url).content).entries
    largest = lead_rendition(pictured)
    address = f"{SITE}/media/{largest['name']}"
    assert (largest["width"], largest["height"]) == (1920, 1080), "the largest rendition of the story's crop"
    (enclosure,) = entry.enclosures
    assert (enclosure.href, enclosure.type) == (address, "image/jpeg")
    assert int(enclosure.length) == default_storage.size(largest["name"]) > 0
    (media,) = entry.media_content
    assert media == {
        "url": address,
        "medium": "image",
        "type": "image/jpeg",
        "width": "1920",
        "height": "1080",
        "filesize": str(default_storage.size(largest["name"])),
    }
    assert entry.media_credit[0]["content"] == "Photo: Ana Lima"
    description = ElementTree.fromstring(client.get(url).content).find(".//{http://search.yahoo.com/mrss/}description")
    assert description.text == "The N29 at Wood Green."


def test_a_kept_feed_shows_a_new_caption_of_its_lead_picture(client, pictured, fragment_cache, settings):
    settings.PAGE_CACHE = False
    assert "The N29 at Wood Green." in client.get("/feed/").content.decode()
    picture = pictured.lead_image
    picture.caption = "The N29 leaving Wood Green."
    picture.save()
    body = client.get("/feed/").content.decode()
    assert "The N29 leaving Wood Green." in body and "The N29 at Wood Green." not in body


def test_a_picture_whose_renditions_predate_recorded_sizes_still_gives_its_length(client, pictured):
    picture = pictured.lead_image
    picture.renditions = [{k: v for k, v in r.items() if k != "bytes"} for r in picture.renditions]
    picture.save()
    (entry,) = feedparser.parse(client.get("/feed/").content).entries
    assert int(entry.enclosures[0].length) == default_storage.size(lead_rendition(pictured)["name"])


def test_a_story_without_a_picture_has_no_enclosure(client, stories):
    entries = feedparser.parse(client.get("/feed/").content).entries
    assert entries and not any(entry.get("enclosures") or entry.get("media_content") for entry in entries)
    assert all("<img" not in entry.content[0].value for entry in entries)


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_list_every_author_in_byline_order(client, pictured, url):
    (entry,) = feedparser.parse(client.get(url).content).entries
    assert [author["name"] for author in entry.authors] == ["Asha Verma", "Ben Okoro", "Wire Agency"]


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_the_byline_leads_each_entrys_authors_and_no_one_is_made_a_contributor(client, pictured, url):
    """The first name on the byline leads feedparser's entry.authors in both formats (and its RSS
    author_detail); its entry.author is the LAST author named, in both, and no markup that tells
    the truth about the byline changes that.

    Why, from feedparser 6.0's source (mixin.py, namespaces/_base.py and dc.py): every author
    element (RSS <author> and dc:creator, Atom atom:author) appends an entry to entry.authors, and
    once it ends _sync_author_detail() copies the name of authors[-1] into entry.author: the last
    one read wins, whatever the format or the order. In RSS, author_detail is set once
    (setdefault), from the first; in Atom, _save_author() rewrites it with each author's name.
    The markups that would make entry.author the first name each misstate the byline:
    - co-authors as atom:contributor (RFC 4287, 4.2.3: one who "contributed to the entry") or as
      dc:contributor (DCMI: an entity "responsible for making contributions"): they wrote the
      story, and feedparser then drops them from entry.authors (into entry.contributors);
    - RSS 2.0's <author> for the first: its value is an e-mail address, which we do not publish;
    - the authors reversed, or the first repeated last: the byline's order or its length changes.
    So each author is one dc:creator (DCMI's practice for several creators) or one atom:author
    (RFC 4287 allows any number), in byline order, and readers should take entry.authors[0]."""
    (entry,) = feedparser.parse(client.get(url).content).entries
    assert [author["name"] for author in entry.authors] == ["Asha Verma", "Ben Okoro", "Wire Agency"]
    assert "contributors" not in entry
    assert entry.author == "Wire Agency", "feedparser's rule (above); if this changes, make it the first"
    assert entry.author_detail["name"] == ("Asha Verma" if url == "/feed/" else "Wire Agency")


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_carry_the_corrections_and_clarifications_as_the_story_shows_them(client, pictured, editor, url):
    workflow.add_correction(pictured, user=editor, kind="correction", text="The fare is £1.75, not £1.50.")
    workflow.add_correction(pictured, user=editor, kind="clarification", text="Night buses run from 00:30.")
    (entry,) = feedparser.parse(client.get(url).content).entries
    content = BeautifulSoup(entry.content[0].value, "html.parser")
    shown = BeautifulSoup(client.get(pictured.get_absolute_url()).content, "html.parser").select_one(".corrections")
    notes = content.select_one(".corrections")
    assert notes is not None, "the corrections are in the entry"
    assert notes.get_text(" ", strip=True) == shown.get_text(" ", strip=True)
    assert [note.strong.get_text() for note in notes.select("p")] == ["Correction", "Clarification"]
    assert "The fare is £1.75, not £1.50." in notes.get_text()
    text = content.get_text(" ", strip=True)
    assert text.index("The second paragraph.") < text.index("Corrections and clarifications"), "after the body"


def test_a_feed_entry_without_corrections_has_no_corrections_heading(client, pictured):
    (entry,) = feedparser.parse(client.get("/feed/").content).entries
    assert "Corrections and clarifications" not in entry.content[0].value


@pytest.mark.parametrize("page", LISTINGS)
def test_each_listing_links_its_rss_and_atom_feeds_which_share_its_language(client, pictured, page):
    html = BeautifulSoup(client.get(page).content, "html.parser")
    linked = {(link["type"], link["href"]) for link in html.select("head link[rel=alternate]")}
    rss, atom = LISTINGS[page]
    assert {("application/rss+xml", f"{SITE}{rss}"), ("application/atom+xml", f"{SITE}{atom}")} <= linked
    assert html.html["lang"] == "en-gb"
    for url in (rss, atom):
        response = client.get(url)
        assert response.status_code == 200, url
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (url, feed.get("bozo_exception"))
        assert feed.feed.language == html.html["lang"], url
        assert feed.feed.link == f"{SITE}{page}"


def test_a_subsection_has_rss_and_atom_feeds_linked_from_its_page(client):
    asia = Section.objects.create(name="Asia", slug="asia", parent=Section.objects.create(name="World", slug="world"))
    make_article("Monsoon arrives early", section=asia)
    html = BeautifulSoup(client.get("/world/asia/").content, "html.parser")
    hrefs = {link["href"] for link in html.select("head link[rel=alternate]")}
    for url in ("/world/asia/feed/", "/world/asia/feed/atom/"):
        assert f"{SITE}{url}" in hrefs
        assert [e.title for e in feedparser.parse(client.get(url).content).entries] == ["Monsoon arrives early"]


@pytest.mark.parametrize("url", ["/tags/transport/feed/atom/", "/authors/asha-verma/feed/atom/", "/news/feed/atom/"])
def test_an_atom_feed_of_nothing_live_answers_404(client, url):
    make_article("Draft", status=Article.Status.DRAFT, tags=["Transport"], authors=[make_author("Asha Verma")])
    assert client.get(url).status_code == 404


def test_the_longest_headline_beyond_ascii_reaches_feeds_and_sitemaps_whole(client):
    headline = ("Ærøskøbing’s ferry, 東京の夜行バス and Zürich’s “½-price” fares " * 8)[:300]
    slug = ("ærøskøbing-東京-" * 20)[:200].strip("-")
    story = make_article(headline, slug=slug, body="<p>" + "Nattbuss i Øst. " * 10_000 + "</p>")
    link = f"{SITE}{story.get_absolute_url()}"
    for url in ("/feed/", "/feed/atom/"):
        feed = feedparser.parse(client.get(url).content)
        assert not feed.bozo, feed.get("bozo_exception")
        (entry,) = feed.entries
        assert (entry.title, entry.link) == (headline, link)
        assert entry.content[0].value.count("Nattbuss i Øst.") == 10_000
    assert link in sitemap_images(client.get("/sitemap.xml").content.decode())
    news = client.get("/news-sitemap.xml").content.decode()
    schema("sitemap.xsd", "sitemap-news.xsd").validate(news)
    assert ElementTree.fromstring(news.encode()).findtext(".//{*}title") == headline


def test_a_control_character_that_reached_the_database_leaves_feeds_and_sitemaps_well_formed(client, pictured):
    Article.objects.filter(pk=pictured.pk).update(headline="Night\x0b buses\x1f return", body="<p>Fares\x0c halve.</p>")
    Picture.objects.filter(pk=pictured.lead_image_id).update(caption="The N29\x08 at dawn.")
    for url in ("/feed/", "/feed/atom/"):
        feed = feedparser.parse(client.get(url).content)
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.entries[0].title == "Night buses return"
        assert "Fares halve." in feed.entries[0].content[0].value
    for url in ("/sitemap.xml", "/news-sitemap.xml"):
        ElementTree.fromstring(client.get(url).content)


def test_sitemaps_give_each_story_its_lead_picture_and_stay_valid(client, pictured, monkeypatch):
    from public import views as sitemap_views

    plain = make_article("No picture here", published_at=pictured.published_at - timedelta(minutes=5))
    picture = f"{SITE}/media/{lead_rendition(pictured)['name']}"
    story = f"{SITE}{pictured.get_absolute_url()}"
    whole = client.get("/sitemap.xml").content.decode()
    schema("sitemap.xsd").validate(without_images(whole))
    found = sitemap_images(whole)
    assert found[story] == [picture]
    assert found[f"{SITE}{plain.get_absolute_url()}"] == [], "no picture, no image entry"
    assert found[f"{SITE}/"] == [] and found[f"{SITE}/tags/"] == []
    # Past the limit, the month's file and the legacy pages of all stories carry the same entries.
    monkeypatch.setattr(sitemap_views, "URLS_PER_SITEMAP", 2)
    month = client.get(f"/sitemap-articles-{timezone.localtime(pictured.published_at):%Y-%m}.xml").content.decode()
    schema("sitemap.xsd").validate(without_images(month))
    assert sitemap_images(month)[story] == [picture]
    assert sitemap_images(client.get("/sitemap-articles.xml").content.decode())[story] == [picture]


def test_the_pages_sitemap_lists_the_home_and_the_indexes_and_each_answers(client, stories):
    response = client.get("/sitemap-pages.xml")
    schema("sitemap.xsd").validate(response.content.decode())
    pages = locations(response.content.decode())
    assert pages == [f"{SITE}/", f"{SITE}/latest/", f"{SITE}/tags/", f"{SITE}/authors/"]
    for page in pages:
        assert client.get(page.removeprefix(SITE)).status_code == 200, page


def write_page(slug: str, title: str) -> SitePage:
    return SitePage.objects.create(slug=slug, title=title, body=f"<p>{title}.</p>")


def test_the_pages_about_the_site_that_are_written_are_in_the_sitemap_with_their_time(
    client, stories, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        about = write_page("about", "About us")
        policy = write_page("corrections-policy", "Corrections policy")
    body = client.get("/sitemap.xml").content.decode()
    schema("sitemap.xsd").validate(without_images(body))
    for page in (about, policy):
        lastmod = timezone.localtime(page.updated_at).isoformat(timespec="seconds")
        assert f"<loc>{SITE}{page.get_absolute_url()}</loc><lastmod>{lastmod}</lastmod>" in body
    # Contact is not written: its address answers 404, so the sitemap leaves it out.
    assert client.get("/contact/").status_code == 404
    assert f"{SITE}/contact/" not in body
    pages = locations(client.get("/sitemap-pages.xml").content.decode())
    assert pages == [f"{SITE}/", f"{SITE}/latest/", f"{SITE}/tags/", f"{SITE}/authors/"] + [
        f"{SITE}/about/",
        f"{SITE}/corrections-policy/",
    ]
    for page in pages:
        assert client.get(page.removeprefix(SITE)).status_code == 200, page


def test_an_edit_to_a_page_about_the_site_reaches_the_sitemap_at_once(
    client, stories, fragment_cache, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = False
    with django_capture_on_commit_callbacks(execute=True):
        about = write_page("about", "About us")
    assert f"{SITE}/about/" in client.get("/sitemap.xml").content.decode()
    about.title = "About The Newsroom"
    with django_capture_on_commit_callbacks(execute=True):
        about.save()
    lastmod = timezone.localtime(about.updated_at).isoformat(timespec="seconds")
    assert f"<loc>{SITE}/about/</loc><lastmod>{lastmod}</lastmod>" in client.get("/sitemap.xml").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        about.delete()
    assert f"{SITE}/about/" not in client.get("/sitemap.xml").content.decode()


def test_past_the_limit_the_pages_files_hold_the_pages_about_the_site_each_once(
    client, stories, monkeypatch, django_capture_on_commit_callbacks
):
    from public import views as sitemap_views

    with django_capture_on_commit_callbacks(execute=True):
        for slug, title in [("about", "About us"), ("contact", "Contact"), ("corrections-policy", "Corrections")]:
            write_page(slug, title)
    whole = locations(client.get("/sitemap.xml").content.decode())
    monkeypatch.setattr(sitemap_views, "URLS_PER_SITEMAP", 2)
    index = client.get("/sitemap.xml").content.decode()
    schema("siteindex.xsd").validate(index)
    # Seven pages (the home, three indexes, three pages about the site) in files of two: four files.
    pages = [f"{SITE}/sitemap-pages.xml"] + [f"{SITE}/sitemap-pages.xml?p={n}" for n in (2, 3, 4)]
    assert [loc for loc in locations(index) if "sitemap-pages" in loc] == pages
    listed = []
    for section in locations(index):
        response = client.get(section.removeprefix(SITE))
        assert response.status_code == 200, section
        schema("sitemap.xsd").validate(without_images(response.content.decode()))
        listed += locations(response.content.decode())
    assert sorted(listed) == sorted(whole), "each URL once"
    assert {f"{SITE}/about/", f"{SITE}/contact/", f"{SITE}/corrections-policy/"} <= set(listed)


def newsroom(size: int) -> Author:
    """`size` live stories, one every three days back from an hour ago (so the archive spans
    months), each with two bylines, a credit and two tags, every other one a lead picture;
    returns the busiest author."""
    asha, ben = make_author("Asha Verma"), make_author("Ben Okoro")
    agency = make_author("Wire Agency", kind="organisation")
    # One picture leads every other story: its renditions come with the stories, not per story.
    picture = stored_picture((1280, 720), alt_text="A bus")
    # The pages about the site come with the page state: the sitemaps read nothing more for them.
    write_page("about", "About us")
    write_page("corrections-policy", "Corrections policy")
    for n in range(size):
        story = make_article(
            f"Story {n}",
            lead_image=picture if n % 2 else None,
            authors=[asha, ben],
            credit=agency,
            tags=["Climate", f"Topic {n % 7}"],
            published_at=timezone.now() - timedelta(days=3 * n, hours=1),
            standfirst="" if n % 2 else f"Standfirst {n}.",
        )
        if n % 3 == 0:  # corrections come with the stories' entries: no query per story
            Correction.objects.create(article=story, text=f"Story {n} said Tuesday; it was Monday.")
    return asha


# Queries each feed and sitemap runs for an anonymous reader, the same at every size, with what
# it keeps in the fragment cache there and not. The shared page state is read from the cache.
QUERIES = {
    "/feed/": (1, 5),  # the listing; the entries: stories, bylines, tags, corrections
    "/feed/atom/": (1, 5),
    "/tags/climate/feed/": (2, 6),  # and the tag
    "/authors/asha-verma/feed/": (3, 7),  # and the author, their credited and bylined stories
    # The four lists and the pictures of the stories' bodies; the index's choice: sections, tags
    # and authors counted as rows, the stories up to the limit.
    "/sitemap.xml": (5, 9),
    "INDEX": (0, 6),  # the same choice, the oldest story, one probe of every month
    "/sitemap-articles-MONTH.xml": (1, 3),  # the month's version; its stories, their body pictures
    "/sitemap-tags.xml": (1, 1),
    "/sitemap-authors.xml": (1, 1),
    "/news-sitemap.xml": (1, 1),
}


@pytest.mark.parametrize("size", [30, 300])
@pytest.mark.parametrize("url", QUERIES)
@pytest.mark.parametrize("warm", [True, False], ids=["cached", "not-cached"])
def test_feeds_and_sitemaps_run_the_same_queries_at_every_size(
    client, fragment_cache, monkeypatch, settings, url, size, warm
):
    from public import views as sitemap_views

    settings.PAGE_CACHE = False
    newsroom(size)
    expected = QUERIES[url]
    if url == "INDEX":
        monkeypatch.setattr(sitemap_views, "URLS_PER_SITEMAP", 20)
        url = "/sitemap.xml"
    url = url.replace("MONTH", f"{timezone.localtime():%Y-%m}")
    client.get(url)  # fills the shared page state and the fragment cache
    if not warm:
        caches["fragments"].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # Without Redis the version of the content lives in the database: not this page's work.
    ran = [query for query in queries if "newsroom_page_cache" not in query["sql"]]
    assert len(ran) == expected[0 if warm else 1], [query["sql"] for query in ran]
