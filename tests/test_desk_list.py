"""The desk's article list: search finds a story by the names on its byline and its credit (once
each, whatever matched), and the list puts the latest activity first."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import workflow
from articles.models import Article
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

LIST = "/admin/articles/article/"


def rows(client, **query) -> list[str]:
    """The headlines of the list's rows, in order."""
    response = client.get(LIST, query)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    return [cell.get_text(strip=True) for cell in page.select("#result_list tbody th.field-headline")]


def test_search_finds_a_story_by_its_authors_name(client, editor):
    make_article("Flood defences hold", authors=[make_author("Maya Fernandes"), make_author("Ben Okoro")])
    make_article("Ferry returns", authors=[make_author("Carla Ruiz")])
    client.force_login(editor)
    assert rows(client, q="Fernandes") == ["Flood defences hold"]
    assert rows(client, q="Maya Fernandes") == ["Flood defences hold"]
    assert rows(client, q="okoro") == ["Flood defences hold"]


def test_search_finds_a_story_by_its_credit(client, editor):
    make_article("Storm warning", credit=make_author("Northern Wire Agency", kind="organisation"))
    make_article("Calm seas")
    client.force_login(editor)
    assert rows(client, q="Northern Wire") == ["Storm warning"]


def test_a_story_that_matches_in_several_ways_is_listed_once(client, editor):
    verma = make_author("Ravi Verma")
    make_article(
        "Verma wins the Verma prize",
        body="<p>Verma, said Verma.</p>",
        authors=[make_author("Asha Verma"), verma],
        credit=make_author("Verma News", kind="organisation"),
    )
    client.force_login(editor)
    assert rows(client, q="verma") == ["Verma wins the Verma prize"]


def test_a_writer_finds_only_stories_they_may_see_by_an_authors_name(client, writer, other_writer):
    maya = make_author("Maya Fernandes")
    make_article("Their draft", status=Article.Status.DRAFT, created_by=other_writer, authors=[maya])
    make_article("Live story", authors=[maya])
    make_article("My draft", status=Article.Status.DRAFT, created_by=writer, authors=[maya])
    client.force_login(writer)
    assert sorted(rows(client, q="Fernandes")) == ["Live story", "My draft"]


@pytest.mark.parametrize("size", [1, 12])
def test_searching_by_a_name_runs_the_same_queries_at_any_size(client, editor, django_assert_max_num_queries, size):
    agency = make_author("Wire Agency", kind="organisation")
    for n in range(size):
        make_article(
            f"Story {n}", authors=[make_author(f"Asha Verma {n}"), make_author(f"Ben Verma {n}")], credit=agency
        )
    client.force_login(editor)
    client.get(LIST, {"q": "verma"})
    with django_assert_max_num_queries(13):
        found = rows(client, q="verma")
    assert len(found) == size


def test_the_list_puts_the_latest_activity_first(client, editor):
    now = timezone.now()
    old = make_article("Published long ago", published_at=now - timedelta(days=30))
    make_article("Published yesterday", published_at=now - timedelta(days=1))
    draft = make_article("A draft", status=Article.Status.DRAFT, published_at=None)
    Article.objects.filter(pk=old.pk).update(edited_at=now - timedelta(days=30))
    client.force_login(editor)
    assert rows(client)[0] == "A draft", "the newest edit"
    old.standfirst = "Updated today."
    old.save()
    assert rows(client)[0] == "Published long ago", "an edit brings a story to the top"
    workflow.submit(draft, user=editor)
    assert rows(client) == ["A draft", "Published long ago", "Published yesterday"], "so does a workflow step"


def test_the_list_of_the_latest_activity_is_read_newest_first_from_the_database(client, editor):
    make_article("A story")
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        client.get(LIST)
    listing = next(q["sql"] for q in queries if q["sql"].startswith('SELECT "articles_article"."id"'))
    assert 'ORDER BY "articles_article"."edited_at" DESC' in listing
