"""Precise invalidation: a change re-renders what shows it and leaves everything else warm.

Readers' caches key each story by its public revision and each kind of page by what it shows
(public.caching). These tests run a staff action with its on-commit effects, as in production,
then look at what an anonymous reader gets and at what stayed in the caches.
"""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from articles import workflow
from articles.models import Article, Section
from newsroom.lib import images
from pictures.models import Picture
from public.pagination import Cursor
from tests.factories import make_article, make_author
from tests.test_pictures import picture_bytes

pytestmark = pytest.mark.django_db

STORIES = 45  # more than two pages of a listing (20 each)


@pytest.fixture(autouse=True)
def caches_on(settings, fragment_cache):
    settings.PAGE_CACHE = True


@pytest.fixture
def archive(editor):
    """STORIES live stories an hour apart, by one author and two, tagged "Transport"."""
    asha, ben = make_author("Asha Verma"), make_author("Ben Okoro")
    now = timezone.now()
    return [
        make_article(
            f"Story number {n}",
            published_at=now - timedelta(hours=n + 1),
            authors=[asha] if n % 2 else [asha, ben],
            tags=["Transport"],
        )
        for n in range(STORIES)
    ]


def get(url: str, **headers):
    return Client().get(url, **headers)


def stored_picture() -> Picture:
    return Picture.create(images.clean_upload(ContentFile(picture_bytes(), name="x.jpg")), alt_text="A bridge")


def warm(*urls: str) -> None:
    for url in urls:
        get(url)
    for url in urls:
        assert get(url)["X-Page-Cache"] == "hit", url


def deep_page(article: Article) -> str:
    """The home page's "Older stories" page that starts after this story."""
    return f"/?before={Cursor.of(article)}"


def card_cached(article: Article) -> bool:
    article.refresh_from_db()
    # A card is kept per level of its headline (h2 on a listing, h3 under a heading of its own).
    keys = [f"newsroom:card:card{level}:{article.pk}.{article.public_revision}" for level in (2, 3)]
    return bool(caches["fragments"].get_many(keys))


def test_a_publish_leaves_other_stories_and_the_archive_warm(editor, archive, changed):
    older = deep_page(archive[24])  # shows stories 25 to 44
    # A story of another section and topic: the new story is in neither of its "More in" lists.
    other = make_article("Harbour dredging", section=Section.objects.create(name="City", slug="city"), tags=["Ports"])
    other = other.get_absolute_url()
    same_section = archive[30].get_absolute_url()
    warm("/", older, other, same_section, "/tags/transport/")
    assert card_cached(archive[30]) and card_cached(archive[3])
    draft = make_article("Budget passes", status=Article.Status.IN_REVIEW, authors=archive[0].byline_authors)
    draft.tags.set(["Transport"])

    changed(lambda: workflow.publish(draft, user=editor))

    for url in ["/", "/tags/transport/", "/authors/asha-verma/", "/feed/", "/sitemap.xml", "/search/?q=budget"]:
        response = get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert (
            "budget-passes" if "sitemap" in url or "search" in url else "Budget passes"
        ) in response.content.decode(), url
    assert get(draft.get_absolute_url()).status_code == 200
    assert "Budget passes" in get(same_section).content.decode(), "its “More in News” list"
    # Every other story's page, card and the deeper pages of the listings stay as they were.
    assert get(other)["X-Page-Cache"] == "hit"
    assert get(older)["X-Page-Cache"] == "hit"
    assert card_cached(archive[30]) and card_cached(archive[3])


def test_an_update_re_renders_that_story_alone(editor, archive, changed):
    story, neighbour = archive[30], archive[31]
    older = deep_page(archive[24])
    warm(story.get_absolute_url(), neighbour.get_absolute_url(), older, "/")
    story.standfirst = "Crews worked through the night."
    story.save()

    changed(lambda: workflow.record_update(story, user=editor, substantive=True))

    assert "Crews worked through the night." in get(story.get_absolute_url()).content.decode()
    assert "Crews worked through the night." in get(older).content.decode(), "the deeper page that shows it"
    assert get(neighbour.get_absolute_url())["X-Page-Cache"] == "hit"
    assert card_cached(neighbour)
    assert get(deep_page(archive[4]))["X-Page-Cache"] == "miss"  # never asked for before
    assert get(deep_page(archive[4]))["X-Page-Cache"] == "hit"


def test_unpublishing_an_old_story_reaches_the_deeper_pages_at_once(editor, archive, changed):
    story = archive[30]
    older = deep_page(archive[24])
    warm(story.get_absolute_url(), older)
    changed(lambda: workflow.unpublish(story, user=editor, comment="Legal review."))
    assert get(story.get_absolute_url()).status_code == 404
    assert "Story number 30<" not in get(older).content.decode()


def test_trashing_a_live_story_takes_it_off_the_cached_pages_at_once(editor, archive, changed):
    story = archive[1]
    tag_page, older = "/tags/transport/", deep_page(archive[0])
    warm("/", tag_page, older, story.get_absolute_url())
    assert get("/")["X-Page-Cache"] == "hit"
    changed(lambda: workflow.trash(story, user=editor, comment="A duplicate."))
    assert get(story.get_absolute_url()).status_code == 404
    for url in ["/", tag_page, older]:
        assert "Story number 1<" not in get(url).content.decode(), url


def test_republishing_an_old_story_reaches_the_deeper_pages_at_once(editor, archive, changed):
    """A story that comes back keeps its first publication time: it lands deep in the listings."""
    story = archive[30]
    changed(lambda: workflow.unpublish(story, user=editor, comment="Legal review."))
    older = deep_page(archive[24])
    warm(older)
    assert "Story number 30<" not in get(older).content.decode()
    story.refresh_from_db()
    changed(lambda: workflow.publish(story, user=editor))
    assert "Story number 30<" in get(older).content.decode()


def test_submit_and_return_change_nothing_readers_get(editor, writer, archive, changed):
    draft = make_article("Not yet", status=Article.Status.DRAFT, authors=archive[0].byline_authors)
    draft.tags.set(["Transport"])
    urls = ["/", archive[3].get_absolute_url(), deep_page(archive[24]), "/tags/transport/", "/feed/", "/sitemap.xml"]
    before = {url: get(url)["ETag"] for url in urls}
    warm(*urls)
    changed(lambda: workflow.submit(draft, user=editor))
    changed(lambda: workflow.return_to_draft(draft, user=editor, comment="Needs a source."))
    for url in urls:
        response = get(url)
        assert response["X-Page-Cache"] == "hit", url
        assert response["ETag"] == before[url], url
        assert get(url, HTTP_IF_NONE_MATCH=before[url]).status_code == 304, url


def test_validators_follow_the_same_rule(editor, archive, changed):
    article, older = archive[30].get_absolute_url(), deep_page(archive[24])
    etags = {url: get(url)["ETag"] for url in ["/", article, older]}
    politics = Section.objects.create(name="Politics", slug="politics")  # not the article's section
    draft = make_article(
        "Budget passes", status=Article.Status.IN_REVIEW, authors=archive[0].byline_authors, section=politics
    )
    changed(lambda: workflow.publish(draft, user=editor))
    assert get("/")["ETag"] != etags["/"]
    assert get(article)["ETag"] == etags[article]
    assert Client().get(article, HTTP_IF_NONE_MATCH=etags[article]).status_code == 304
    assert get(older)["ETag"] == etags[older]


def test_an_author_edit_re_renders_their_stories_only(archive, changed):
    ben = make_author("Ben Okoro-Lee")
    alone = make_article("Ben's own story", authors=[ben])
    warm(alone.get_absolute_url(), archive[3].get_absolute_url())

    def rename():
        ben.name = "Benjamin Okoro-Lee"
        ben.save()

    changed(rename)
    assert "Benjamin Okoro-Lee" in get(alone.get_absolute_url()).content.decode()
    # Stories that do not show Ben keep their revisions (and so their rendered fragments).
    revision = archive[3].public_revision
    archive[3].refresh_from_db()
    assert archive[3].public_revision == revision


def test_a_picture_edit_shows_at_once(archive, changed):
    """Editing a lead picture's alt text or caption was never announced: pages kept the old text."""
    story = archive[2]
    picture = stored_picture()
    Article.objects.filter(pk=story.pk).touch(lead_image=picture)
    warm(story.get_absolute_url(), "/")

    def describe():
        picture.alt_text = "Divers inspect the bridge piers"
        picture.caption = "Inspection on Tuesday"
        picture.save()

    changed(describe)
    page = get(story.get_absolute_url()).content.decode()
    assert "Divers inspect the bridge piers" in page and "Inspection on Tuesday" in page


def test_a_lost_story_revision_never_serves_an_old_page(editor, archive, changed):
    from public import pagecache

    story = archive[3]
    warm(story.get_absolute_url())
    pagecache.page_cache().delete(pagecache.story_key(story.pk))
    assert get(story.get_absolute_url())["X-Page-Cache"] == "miss"
    assert get(story.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_late_render_is_not_kept(archive):
    """A page rendered from a story as it was before a change that landed meanwhile is served once
    and not kept: the story's mirrored revision is newer than the one the page was rendered at."""
    from public import pagecache

    story = archive[3]
    url = story.get_absolute_url()
    get(url)
    pagecache.page_cache().set(pagecache.story_key(story.pk), story.public_revision + 1)
    assert get(url)["X-Page-Cache"] == "miss"
    assert get(url)["X-Page-Cache"] == "miss"


def test_new_pictures_and_authors_nobody_shows_change_nothing(archive, changed):
    etag = get("/")["ETag"]
    warm("/")
    changed(stored_picture)
    changed(lambda: make_author("Someone New"))
    assert get("/")["X-Page-Cache"] == "hit"
    assert get("/")["ETag"] == etag


def test_a_publish_leaves_other_tags_and_authors_listings_warm(editor, archive, changed):
    other = make_article("Harbour dredging", authors=[make_author("Chen Wei")], tags=["Ports"])
    warm("/tags/ports/", "/authors/chen-wei/", "/tags/transport/", "/authors/asha-verma/")
    draft = make_article("Budget passes", status=Article.Status.IN_REVIEW, authors=archive[0].byline_authors)
    draft.tags.set(["Transport"])
    changed(lambda: workflow.publish(draft, user=editor))
    assert "Budget passes" in get("/tags/transport/").content.decode()
    assert "Budget passes" in get("/authors/asha-verma/").content.decode()
    assert get("/tags/ports/")["X-Page-Cache"] == "hit"
    assert get("/authors/chen-wei/")["X-Page-Cache"] == "hit"
    assert other.get_absolute_url() in get("/tags/ports/").content.decode()


def test_a_tag_or_byline_taken_off_a_live_story_leaves_that_listing_at_once(editor, client, archive, changed):
    """The desk saves the tags and byline before the update is recorded: the listing the story
    left is found through the story shown on it, not through the story's tags now."""
    from tests.factories import form_data

    chen, dana = make_author("Chen Wei"), make_author("Dana Ruiz")
    story = make_article("Ferry strike ends", authors=[chen, dana], tags=["Ports", "Transport"])
    warm("/tags/ports/", "/authors/chen-wei/", "/authors/dana-ruiz/")
    client.force_login(editor)
    from taggit.models import Tag

    data = form_data(story, tags=[Tag.objects.get(name="Transport").pk], substantive="on")
    data["bylines-0-DELETE"] = "on"  # Chen Wei
    response = changed(lambda: client.post(f"/admin/articles/article/{story.pk}/change/", data))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    story.refresh_from_db()
    assert [tag.name for tag in story.tags.all()] == ["Transport"]
    assert [author.name for author in story.byline_authors] == ["Dana Ruiz"]
    assert get("/tags/ports/").status_code == 404  # its only story left it
    assert get("/authors/chen-wei/").status_code == 404
    assert "Ferry strike ends" in get("/authors/dana-ruiz/").content.decode()
