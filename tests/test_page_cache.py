"""The full-page cache for anonymous readers: fast, never stale after a staff action, never for staff.

It runs on the shared "pages" cache: Redis in the PostgreSQL run of CI, the database cache otherwise.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from taggit.models import Tag

from articles import workflow
from articles.models import Article, SiteSettings
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["page cache", "fragments only"])
def page_cache(request, settings, fragment_cache):
    """Every test twice: with the full-page cache, and with only the fragment cache (the "uncached" mode)."""
    settings.PAGE_CACHE = request.param == "page cache"
    return request.param


@pytest.fixture
def story(editor):
    author = make_author("Asha Verma", bio="<p>Reporter.</p>")
    return make_article("Bridge reopens", authors=[author], tags=["Transport"], standfirst="After repairs.")


def fresh_reader() -> Client:
    return Client()


def shows(url: str, text: str) -> bool:
    """What an anonymous reader sees now, through the cache."""
    return text in fresh_reader().get(url).content.decode()


def warm(*urls: str) -> None:
    """Fill the caches with the pages as they are now."""
    for url in urls:
        fresh_reader().get(url)
        fresh_reader().get(url)


PAGE_CACHE_ONLY = pytest.mark.parametrize("page_cache", ["page cache"], indirect=True)


@PAGE_CACHE_ONLY
def test_the_second_anonymous_request_is_served_from_the_cache_without_queries(story, django_assert_num_queries):
    from django.conf import settings

    redis = "redis" in settings.CACHES["pages"]["BACKEND"].lower()
    # Redis: nothing at all. The database cache: one read of the cache table for the page and the
    # versions, and for a page of particular stories (a story, a tag) a second for their revisions.
    for url, cache_reads in [("/", 1), (story.get_absolute_url(), 2), ("/tags/transport/", 2)]:
        first = fresh_reader().get(url)
        assert first["X-Page-Cache"] == "miss"
        with django_assert_num_queries(0 if redis else cache_reads):
            again = fresh_reader().get(url)
        assert again["X-Page-Cache"] == "hit", url
        assert again.content == first.content
        assert again["ETag"] == first["ETag"] and again["Cache-Control"] == "public, max-age=60"


@PAGE_CACHE_ONLY
def test_a_cached_page_answers_304_to_its_etag(story):
    etag = fresh_reader().get("/")["ETag"]
    response = fresh_reader().get("/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response["X-Page-Cache"] == "hit"


def test_cached_anonymous_responses_set_no_cookies(story):
    for _ in range(2):
        response = fresh_reader().get(story.get_absolute_url())
        assert not response.cookies and "Set-Cookie" not in response


@PAGE_CACHE_ONLY
def test_logged_in_users_never_get_or_fill_a_cached_page(client, editor, story):
    client.force_login(editor)
    response = client.get(story.get_absolute_url())
    assert "X-Page-Cache" not in response and "private" in response["Cache-Control"]
    warm(story.get_absolute_url())
    assert fresh_reader().get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in client.get(story.get_absolute_url())


def test_previews_and_share_links_are_never_cached(client, editor, writer):
    draft = make_article("Draft story", status=Article.Status.IN_REVIEW, created_by=writer, authors=[make_author()])
    client.force_login(editor)
    client.post(f"/admin/articles/article/{draft.pk}/share/")
    url = draft.share_links.get().get_absolute_url()
    for _ in range(2):
        response = fresh_reader().get(url)
        assert "X-Page-Cache" not in response and response["Cache-Control"] == "private, no-store"


def test_publishing_shows_on_every_affected_page_at_once(editor, story, changed):
    draft = make_article(
        "Budget passes", status=Article.Status.IN_REVIEW, authors=[story.byline_authors[0]], tags=["Transport"]
    )
    urls = ["/", "/tags/transport/", "/authors/asha-verma/", "/feed/", "/sitemap.xml"]
    warm(*urls)
    changed(lambda: workflow.publish(draft, user=editor))
    for url in urls:
        # The sitemap lists addresses, where the story shows as its slug.
        assert shows(url, "budget-passes" if url == "/sitemap.xml" else "Budget passes"), url


def test_an_update_shows_at_once(editor, client, story, changed):
    warm(story.get_absolute_url(), "/")
    client.force_login(editor)
    from tests.factories import form_data

    def edit():
        response = client.post(
            f"/admin/articles/article/{story.pk}/change/",
            form_data(story, headline="Bridge reopens after two years", substantive="on"),
        )
        assert response.status_code == 302

    changed(edit)
    assert shows(story.get_absolute_url(), "Bridge reopens after two years")
    assert shows("/", "Bridge reopens after two years")


def test_unpublishing_removes_the_story_everywhere_at_once(editor, story, changed):
    urls = ["/", "/tags/transport/", "/feed/"]
    warm(story.get_absolute_url(), *urls)
    changed(lambda: workflow.unpublish(story, user=editor, comment="Legal review."))
    assert fresh_reader().get(story.get_absolute_url()).status_code == 404
    for url in urls:
        response = fresh_reader().get(url)
        assert "Bridge reopens" not in response.content.decode(), url


def test_a_correction_shows_at_once(editor, story, changed):
    warm(story.get_absolute_url())
    changed(lambda: workflow.add_correction(story, user=editor, kind="correction", text="It reopened on Tuesday."))
    assert shows(story.get_absolute_url(), "It reopened on Tuesday.")


def test_a_bio_edit_shows_at_once(story, changed):
    author = story.byline_authors[0]
    warm(story.get_absolute_url(), author.get_absolute_url())

    def edit():
        author.bio = "<p>Covers transport and the river crossings.</p>"
        author.save()

    changed(edit)
    assert shows(story.get_absolute_url(), "river crossings")
    assert shows(author.get_absolute_url(), "river crossings")


def test_a_tag_rename_shows_at_once(story, changed):
    warm(story.get_absolute_url(), "/tags/")

    def rename():
        tag = Tag.objects.get(name="Transport")
        tag.name = "Transport and roads"
        tag.save()

    changed(rename)
    assert shows(story.get_absolute_url(), "#Transport and roads")
    assert shows("/tags/", "#Transport and roads")


def test_a_promo_line_edit_shows_at_once(story, changed):
    warm(story.get_absolute_url())

    def edit():
        site = SiteSettings.load()
        site.promo_text = "Get our morning briefing."
        site.save()

    changed(edit)
    assert shows(story.get_absolute_url(), "Get our morning briefing.")


def test_a_scheduled_story_appears_on_cached_pages_on_time_with_nobody_acting(story, editor):
    ten = datetime(2030, 3, 2, 10, 0, tzinfo=UTC)
    with time_machine.travel(ten - timedelta(minutes=30), tick=False):
        scheduled = make_article(
            "Budget day", status=Article.Status.IN_REVIEW, authors=[make_author("Ben Okoro")], tags=["Transport"]
        )
        workflow.publish(scheduled, user=editor, at=ten)
    with time_machine.travel(ten - timedelta(seconds=20), tick=False):
        first = fresh_reader().get("/")
        assert "Budget day" not in first.content.decode()
        assert first["Cache-Control"] == "public, max-age=20", "no one may keep it past the story's time"
        other_story = fresh_reader().get(story.get_absolute_url())
        assert other_story["Cache-Control"] == "public, max-age=60", "another story's page does not change then"
        warm("/")
    with time_machine.travel(ten, tick=False):
        response = fresh_reader().get("/")
        assert "Budget day" in response.content.decode()


@PAGE_CACHE_ONLY
def test_pages_without_scheduled_stories_are_kept_sixty_seconds(story):
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False):
        fresh_reader().get("/")
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        assert fresh_reader().get("/")["X-Page-Cache"] == "hit"
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert fresh_reader().get("/")["X-Page-Cache"] == "miss"


@PAGE_CACHE_ONLY
def test_a_lost_content_version_never_serves_old_pages(story, changed):
    from public import pagecache as page_cache

    warm("/")
    assert fresh_reader().get("/")["X-Page-Cache"] == "hit"
    page_cache.page_cache().delete(page_cache.version_key(page_cache.STORIES))
    assert fresh_reader().get("/")["X-Page-Cache"] == "miss"


READERS_PAGES = [
    "/",
    "/latest/",
    "/news/",
    "/tags/transport/",
    "/authors/asha-verma/",
    "/search/?q=bridge",
    "/feed/",
    "/sitemap.xml",
]


def tagged(url: str, query: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query}"


@PAGE_CACHE_ONLY
@pytest.mark.parametrize("url", READERS_PAGES)
def test_one_readers_campaign_tag_neither_splits_the_cache_nor_reaches_the_next_reader(story, url):
    first = fresh_reader().get(tagged(url, "utm_source=newsletter-a&fbclid=first"))
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    second = fresh_reader().get(tagged(url, "utm_source=newsletter-b"))
    assert second["X-Page-Cache"] == "hit", "the same page, whatever the campaign tag"
    assert second.content == first.content
    assert b"newsletter" not in second.content and b"fbclid" not in second.content
    assert fresh_reader().get(url)["X-Page-Cache"] == "hit"


@PAGE_CACHE_ONLY
def test_what_a_page_reads_still_chooses_the_cached_page(story):
    make_article("Ferry returns", standfirst="After repairs.")
    assert shows("/search/?q=bridge", "reopens")
    assert not shows("/search/?q=ferry", "reopens")
    assert fresh_reader().get("/search/?q=ferry&utm_source=x")["X-Page-Cache"] == "hit"
    assert fresh_reader().get("/search/?q=ferry&page=2").get("X-Page-Cache") != "hit"  # a 404, never stored


@PAGE_CACHE_ONLY
def test_a_bad_position_is_never_served_from_the_cache(story):
    warm("/latest/")
    for query in ("before=abc", "before=", "after=1.2.3"):
        response = fresh_reader().get(f"/latest/?{query}")
        assert response.status_code == 404, query
        assert response.get("X-Page-Cache") != "hit"
