"""Feeds parse and list every author; sitemaps validate against the sitemaps.org and Google News schemas."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
import xmlschema
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import workflow
from articles.models import Article
from authors.models import Author
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

# Read from ../shared as in CI; never copied into the project (the Google schema carries no licence).
SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sitemaps"


def schema(*names: str) -> xmlschema.XMLSchema:
    if not SCHEMAS.is_dir():
        pytest.skip(f"sitemap schemas not found at {SCHEMAS} (they live in ../shared beside the project)")
    return xmlschema.XMLSchema([str(SCHEMAS / name) for name in names])


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
    sections = [f"http://127.0.0.1:8000/sitemap-articles-{month}.xml" for month in months]
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


def newsroom(size: int) -> Author:
    """`size` live stories, one every three days back from an hour ago (so the archive spans
    months), each with two bylines, a credit and two tags; returns the busiest author."""
    asha, ben = make_author("Asha Verma"), make_author("Ben Okoro")
    agency = make_author("Wire Agency", kind="organisation")
    for n in range(size):
        make_article(
            f"Story {n}",
            authors=[asha, ben],
            credit=agency,
            tags=["Climate", f"Topic {n % 7}"],
            published_at=timezone.now() - timedelta(days=3 * n, hours=1),
            standfirst="" if n % 2 else f"Standfirst {n}.",
        )
    return asha


# Queries each feed and sitemap runs for an anonymous reader, the same at every size, with what
# it keeps in the fragment cache there and not. The shared page state is read from the cache.
QUERIES = {
    "/feed/": (1, 4),  # the listing; the entries: stories, bylines, tags
    "/feed/atom/": (1, 4),
    "/tags/climate/feed/": (2, 5),  # and the tag
    "/authors/asha-verma/feed/": (3, 6),  # and the author, their credited and bylined stories
    # The four lists; the index's choice: sections, tags and authors counted as rows, the stories
    # up to the limit.
    "/sitemap.xml": (4, 8),
    "INDEX": (0, 6),  # the same choice, the oldest story, one probe of every month
    "/sitemap-articles-MONTH.xml": (1, 2),  # the month's version; its stories
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
