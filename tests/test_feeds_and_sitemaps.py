"""Feeds parse and list every author; sitemaps validate against the sitemaps.org and Google News schemas."""

from datetime import timedelta
from pathlib import Path

import feedparser
import pytest
import xmlschema
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import workflow
from articles.models import Article
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


def test_sitemap_becomes_an_index_of_sections_past_the_limit(client, stories, monkeypatch):
    from public import views as sitemap_views

    monkeypatch.setattr(sitemap_views, "URLS_PER_SITEMAP", 2)
    index = client.get("/sitemap.xml").content.decode()
    schema("siteindex.xsd").validate(index)
    assert "<loc>http://127.0.0.1:8000/sitemap-articles.xml</loc>" in index
    assert "<loc>http://127.0.0.1:8000/sitemap-tags.xml</loc>" in index
    section = client.get("/sitemap-authors.xml?p=2")
    assert section.status_code == 200
    schema("sitemap.xsd").validate(section.content.decode())


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


def test_the_sitemap_counts_live_stories_once_per_change_readers_see(
    client, stories, editor, fragment_cache, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = False
    client.get("/sitemap.xml")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap.xml", HTTP_CACHE_CONTROL="no-cache").status_code == 200
    assert not any("COUNT(" in query["sql"] for query in queries), "counted again with nothing changed"
    with django_capture_on_commit_callbacks(execute=True):
        fresh = make_article("Fresh story", status=Article.Status.DRAFT, authors=[make_author("Noor")])
        workflow.publish(fresh, user=editor)
    assert fresh.get_absolute_url() in client.get("/sitemap.xml").content.decode()
