"""The article list stays quick however large the archive: search through the full-text index,
no sidebar of every author and tag, no bodies read for the list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Section
from tests.factories import make_article, make_author, populate

pytestmark = pytest.mark.django_db


def test_desk_search_finds_stories_by_their_words(client, editor):
    make_article("Council approves the harbour bridge", body="<p>The vote was close.</p>", authors=[make_author()])
    make_article("Rail strike called off", body="<p>Unions and the harbour operator agreed.</p>")
    make_article("Library hours extended")
    client.force_login(editor)
    page = client.get("/admin/articles/article/", {"q": "harbour"}).content.decode()
    assert "Council approves the harbour bridge" in page and "Rail strike called off" in page
    assert "Library hours extended" not in page


@pytest.mark.postgres
def test_desk_search_uses_the_full_text_index_never_a_like_over_bodies(client, editor):
    make_article("Council approves the harbour bridge", authors=[make_author()])
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/admin/articles/article/", {"q": "harbour bridges"}).content.decode()
    assert "Council approves the harbour bridge" in page, "stemmed: bridges finds bridge"
    sql = " ".join(query["sql"] for query in queries)
    assert "@@" in sql and "LIKE" not in sql.upper()


def test_the_list_reads_no_bodies_and_lists_no_sidebar_of_every_author_and_tag(client, editor):
    populate(stories=40, authors_per_story=2, tags_per_story=3)
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/admin/articles/article/").content.decode()
    listing = next(q["sql"] for q in queries if q["sql"].startswith('SELECT "articles_article"."id"'))
    assert '"articles_article"."body"' not in listing
    assert "?author=" in page and "?tag=" in page, "each byline and tag in the list filters by it"
    # The page shows 40 stories with 4 tags each; no list of all 121 tags and 4 authors beside them.
    assert page.count(">Topic 39-2<") == 1, "once, in its story's row"


def test_a_byline_or_tag_link_filters_the_list_and_the_sidebar_names_it(client, editor):
    asha = make_author("Asha Verma")
    make_article("Bridge reopens", authors=[asha], tags=["Bridges"])
    make_article("Rail strike", authors=[make_author("Noor Haddad")], tags=["Rail"])
    client.force_login(editor)
    by_asha = client.get("/admin/articles/article/", {"author": asha.pk}).content.decode()
    assert "Bridge reopens" in by_asha and "Rail strike" not in by_asha
    tag = Article.objects.get(headline="Rail strike").tags.get()
    tagged = client.get("/admin/articles/article/", {"tag": tag.pk}).content.decode()
    assert "Rail strike" in tagged and "Bridge reopens" not in tagged
    assert client.get("/admin/articles/article/", {"tag": "²"}).status_code == 200


def test_the_list_by_section_reads_no_bodies_and_the_same_queries_at_any_size(client, editor):
    world = Section.objects.create(name="World", slug="world")
    asia = Section.objects.create(name="Asia", slug="asia", parent=world)
    client.force_login(editor)

    def listing(stories: int) -> tuple[int, str, str]:
        for n in range(Article.objects.count(), stories):
            make_article(f"Story {n}", section=asia if n % 2 else world, authors=[make_author(f"Writer {n}")])
        client.get("/admin/articles/article/", {"section": world.pk})
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/admin/articles/article/", {"section": world.pk}).content.decode()
        rows = next(q["sql"] for q in queries if q["sql"].startswith('SELECT "articles_article"."id"'))
        return len(queries), rows, page

    few, _, _ = listing(4)
    many, rows, page = listing(60)
    assert few == many, "the section of each row comes joined with it"
    assert '"articles_article"."body"' not in rows
    assert page.count("World › Asia") >= 25, "subsections' stories are in their parent's list, named by section"


def test_past_what_the_list_counts_it_says_more_than(client, editor, settings):
    from desk.admin import DESK_COUNTED_PAGES

    per_page = 50
    Article.objects.bulk_create(
        (Article(headline=f"Story {n}", slug=f"story-{n}") for n in range(DESK_COUNTED_PAGES * per_page + 1)),
        batch_size=500,
    )
    client.force_login(editor)
    page = client.get("/admin/articles/article/").content.decode()
    assert f"More than {DESK_COUNTED_PAGES * per_page} articles" in page
    Article.objects.filter(slug="story-0").delete()
    page = client.get("/admin/articles/article/").content.decode()
    assert f"{DESK_COUNTED_PAGES * per_page} articles" in page and "More than" not in page
