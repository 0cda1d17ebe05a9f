"""Each page runs a fixed number of queries whatever the data size, and caches well over HTTP."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from articles import workflow
from articles.models import Article, ShareLink
from public.models import SitePage
from tests.factories import make_article, make_author, populate

pytestmark = pytest.mark.django_db

# The most queries each page may run, for anonymous readers.
PAGES = {
    "/": 5,
    # The story (6, as before sections), then its "More in" lists: their listings' versions (a
    # query here without Redis), the section's three parts and the tag's, the cards' stories and bylines.
    "ARTICLE": 14,
    "/tags/": 2,
    "/tags/climate/": 6,
    "/authors/": 2,
    "/authors/asha-verma/": 6,
    "/about/": 2,  # the named versions (a query without Redis) and the page itself
    # Three tiers of matches, each with its planner settings and the first two with the planner's
    # estimate of their matches, the page, its bylines; the tiers run in a transaction, a
    # savepoint here (SAVEPOINT and RELEASE).
    "/search/?q=story": 12,
    # The named versions, the listing, the entries' stories, bylines, tags and corrections.
    "/feed/": 6,
    "/feed/atom/": 6,
    "/tags/climate/feed/": 7,
    "/authors/asha-verma/feed/": 8,
    # And the sections: counted for the index, listed in the file; the stories' body pictures,
    # their image entries after the lead picture's (one query for the file, issue 19).
    "/sitemap.xml": 10,
    "/sitemap-articles.xml": 3,
    "/sitemap-tags.xml": 2,
    "/sitemap-authors.xml": 2,
    "/news-sitemap.xml": 2,
    "/ninjs/": 6,  # the stories' body pictures, their associations (one query for all, issue 19)
    "ARTICLE_NINJS": 5,
    "SHARE_LINK": 7,
}


@pytest.mark.parametrize("size", [(1, 0, 0), (25, 4, 8)], ids=["small", "large"])
@pytest.mark.parametrize("url", PAGES)
def test_query_count_is_fixed_whatever_the_data_size(client, django_assert_max_num_queries, url, size, editor):
    article = populate(*size)
    draft = make_article("Embargoed", status=Article.Status.DRAFT, authors=article.byline_authors)
    draft.tags.set(article.tags.all())
    share = ShareLink.objects.create(article=draft, created_by=editor, expires_at=timezone.now() + timedelta(hours=1))
    SitePage.objects.create(slug="about", title="About us", body="<p>Who we are.</p>")
    path = {
        "ARTICLE": article.get_absolute_url(),
        "ARTICLE_NINJS": f"{article.get_absolute_url()}ninjs.json",
        "SHARE_LINK": share.get_absolute_url(),
    }.get(url, url)
    client.get(path)  # the first request after a change fills the shared page state
    with django_assert_max_num_queries(PAGES[url]):
        response = client.get(path)
    assert response.status_code == 200


def test_anonymous_pages_are_publicly_cacheable_without_cookies(client):
    article = make_article("Story", authors=[make_author("Asha Verma")])
    for url in ["/", article.get_absolute_url(), "/feed/", "/sitemap.xml", "/authors/asha-verma/"]:
        response = client.get(url)
        assert response["Cache-Control"] == "public, max-age=60", url
        assert response["ETag"] and response["Last-Modified"], url
        assert "Set-Cookie" not in response and not response.cookies, url


def test_logged_in_responses_are_private(client, editor):
    article = make_article("Story")
    client.force_login(editor)
    response = client.get(article.get_absolute_url())
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "ETag" not in response


def test_conditional_requests_get_304(client):
    article = make_article("Story")
    first = client.get(article.get_absolute_url())
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["Cache-Control"] == "public, max-age=60"
    since = client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_304_costs_one_query(client, django_assert_max_num_queries):
    make_article("Story")
    etag = client.get("/")["ETag"]
    with django_assert_max_num_queries(1):
        assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_validators_change_when_readers_would_see_a_change(client, editor, django_capture_on_commit_callbacks):
    article = make_article("Story", authors=[make_author("Asha Verma")])
    etag = client.get("/")["ETag"]
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        workflow.add_correction(article, user=editor, kind="correction", text="A fix.")
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 200, "a correction changes the page"

    etag = client.get("/")["ETag"]
    author = article.bylines.get().author
    author.name = "Asha Verma-Rao"
    with django_capture_on_commit_callbacks(execute=True):
        author.save()
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 200, "an author edit changes the page"


def test_a_scheduled_story_changes_validators_when_it_goes_live_with_nobody_acting(client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        make_article("Live story")
        make_article("Scheduled story", published_at=start + timedelta(minutes=10))
        etag = client.get("/")["ETag"]
        assert "Scheduled story" not in client.get("/").content.decode()
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        response = client.get("/", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200
        assert "Scheduled story" in response.content.decode()


def test_errors_are_not_cached_publicly(client):
    response = client.get("/tags/nothing-here/")
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


def test_pages_answer_head_and_refuse_post(client):
    article = make_article("Story")
    assert client.head(article.get_absolute_url()).status_code == 200
    assert Client(enforce_csrf_checks=True).post(article.get_absolute_url()).status_code == 403  # no CSRF token
    assert Client().post(article.get_absolute_url()).status_code == 405
