"""Sections for readers: their pages and feeds, the navigation, breadcrumbs, labels on cards and
the "More in" lists after a story, with what a change refreshes and what each page costs."""

from datetime import timedelta

import extruct
import feedparser
import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from articles import workflow
from articles.models import Article, Section
from public.pagination import Cursor
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def section(slug: str, name: str, parent: Section | None = None, **fields) -> Section:
    return Section.objects.create(slug=slug, name=name, parent=parent, **fields)


@pytest.fixture
def paper():
    """World (with Asia and Europe), Politics and an empty Science; stories an hour apart."""
    world = section("world", "World", description="News from every continent.", position=1)
    asia = section("asia", "Asia", world, position=1)
    europe = section("europe", "Europe", world, position=2)
    politics = section("politics", "Politics", position=2)
    science = section("science", "Science", position=3)
    now = timezone.now()

    def story(headline, where, hours, **fields):
        return make_article(headline, section=where, published_at=now - timedelta(hours=hours), **fields)

    story("Summit ends without a deal", world, 1, kicker="Analysis", tags=["Diplomacy"])
    story("Typhoon reaches the coast", asia, 2, tags=["Weather"])
    story("Rail strike spreads", europe, 3)
    story("Budget vote set for Monday", politics, 4, tags=["Budget"])
    story("Minister visits Tokyo", politics, 5).also_in.set([asia])
    make_article("Draft about the election", section=science, status=Article.Status.DRAFT)
    return {"world": world, "asia": asia, "europe": europe, "politics": politics, "science": science}


def text(response) -> str:
    return response.content.decode()


def headlines(response) -> list[str]:
    return [h.get_text(strip=True) for h in BeautifulSoup(response.content, "html.parser").select(".card__headline")]


def test_a_section_page_shows_its_stories_its_subsections_and_those_also_in_it(client, paper):
    response = client.get("/world/")
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text() == "World"
    assert "News from every continent." in text(response)
    assert [a.get_text() for a in page.select(".subsections a")] == ["Asia", "Europe"]
    assert headlines(response) == ["Summit ends without a deal", "Typhoon reaches the coast", "Rail strike spreads"]
    feed = page.find("link", href="http://127.0.0.1:8000/world/feed/")
    assert feed["type"] == "application/rss+xml"


def test_a_subsection_page_shows_its_stories_and_those_also_in_it(client, paper):
    response = client.get("/world/asia/")
    assert response.status_code == 200
    assert headlines(response) == ["Typhoon reaches the coast", "Minister visits Tokyo"]
    crumbs = BeautifulSoup(response.content, "html.parser").select(".breadcrumbs a")
    assert [(a.get_text(), a["href"]) for a in crumbs] == [("Home", "/"), ("World", "/world/")]


@pytest.mark.parametrize(
    "real, unknown",
    [("/science/", "/nowhere/"), ("/asia/", "/nowhere/"), ("/politics/asia/", "/politics/nowhere/")],
    ids=["empty", "subsection at the top", "under another parent"],
)
def test_empty_and_misplaced_sections_answer_404_as_unknown_ones_do(client, paper, real, unknown):
    found, missing = client.get(real), client.get(unknown)
    assert found.status_code == missing.status_code == 404
    assert found.content == missing.content, "no way to tell a section that exists from one that does not"


def test_an_inactive_section_leaves_the_navigation_but_its_page_answers(
    client, paper, django_capture_on_commit_callbacks
):
    nav = BeautifulSoup(client.get("/").content, "html.parser").select(".site-nav a")
    assert [a.get_text() for a in nav] == ["Home", "World", "Politics", "Latest", "Topics", "Authors"], (
        "no empty Science"
    )
    paper["politics"].is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        paper["politics"].save()
    nav = BeautifulSoup(client.get("/").content, "html.parser").select(".site-nav a")
    assert [a.get_text() for a in nav] == ["Home", "World", "Latest", "Topics", "Authors"]
    assert client.get("/politics/").status_code == 200


def test_the_navigation_marks_the_section_being_read(client, paper):
    page = BeautifulSoup(client.get("/world/asia/").content, "html.parser")
    assert [a.get_text() for a in page.select(".site-nav a[aria-current]")] == ["World"]


def test_section_pages_turn_with_keyset_pagination(client):
    world = section("world", "World")
    now = timezone.now().replace(microsecond=0)
    stories = [
        make_article(f"Story {n:02d}", section=world, published_at=now - timedelta(minutes=n)) for n in range(25)
    ]
    first = client.get("/world/")
    assert len(headlines(first)) == 20
    older = BeautifulSoup(first.content, "html.parser").select_one("a[rel=next]")["href"]
    assert older == f"?before={Cursor.of(stories[19])}"
    second = client.get(f"/world/{older}")
    assert headlines(second) == [f"Story {n:02d}" for n in range(20, 25)]
    newer = BeautifulSoup(second.content, "html.parser").select_one("a[rel=prev]")["href"]
    assert headlines(client.get(f"/world/{newer}")) == [f"Story {n:02d}" for n in range(20)]
    assert client.get(f"/world/?before={Cursor.of(stories[24])}").status_code == 404  # past the end
    assert client.get("/world/?before=nonsense").status_code == 404


def test_a_section_feed_is_its_listing(client, paper):
    feed = feedparser.parse(text(client.get("/world/feed/")))
    assert feed.feed.title == "World · The Newsroom"
    assert [entry.title for entry in feed.entries] == [
        "Summit ends without a deal",
        "Typhoon reaches the coast",
        "Rail strike spreads",
    ]
    asia = feedparser.parse(text(client.get("/world/asia/feed/")))
    assert [entry.title for entry in asia.entries] == ["Typhoon reaches the coast", "Minister visits Tokyo"]
    assert asia.feed.link == "http://127.0.0.1:8000/world/asia/"
    for url in ["/science/feed/", "/nowhere/feed/", "/politics/asia/feed/"]:
        assert client.get(url).status_code == 404, url


def test_the_sitemap_lists_the_sections_with_live_stories(client, paper):
    body = text(client.get("/sitemap-sections.xml"))
    locations = [loc.get_text() for loc in BeautifulSoup(body, "xml").find_all("loc")]
    base = "http://127.0.0.1:8000"
    assert sorted(locations) == [f"{base}/politics/", f"{base}/world/", f"{base}/world/asia/", f"{base}/world/europe/"]
    assert f"{base}/politics/" in text(client.get("/sitemap.xml"))


def json_ld(response) -> dict:
    return {item["@type"]: item for item in extruct.extract(text(response), syntaxes=["json-ld"])["json-ld"]}


def test_an_article_shows_its_breadcrumbs_section_and_kicker(client, paper):
    story = make_article("Floods close schools", section=paper["asia"], kicker="Live")
    response = client.get(story.get_absolute_url())
    page = BeautifulSoup(response.content, "html.parser")
    crumbs = [(a.get_text(), a["href"]) for a in page.select(".story .breadcrumbs a")]
    assert crumbs == [("World", "/world/"), ("Asia", "/world/asia/")]
    assert page.select_one(".story__kicker").get_text() == "Live"
    assert page.select_one(".story__kicker").find_next("h1").get_text() == "Floods close schools"
    data = json_ld(response)
    assert data["NewsArticle"]["articleSection"] == "Asia"
    trail = [(item["position"], item["name"], item["item"]) for item in data["BreadcrumbList"]["itemListElement"]]
    base = "http://127.0.0.1:8000"
    assert trail == [
        (1, "Home", f"{base}/"),
        (2, "World", f"{base}/world/"),
        (3, "Asia", f"{base}/world/asia/"),
        (4, "Floods close schools", f"{base}{story.get_absolute_url()}"),
    ]


def test_a_section_page_has_breadcrumbs_in_json_ld(client, paper):
    trail = json_ld(client.get("/world/europe/"))["BreadcrumbList"]["itemListElement"]
    assert [item["name"] for item in trail] == ["Home", "World", "Europe"]


def test_every_card_names_its_section_and_kicker(client, paper):
    card = BeautifulSoup(client.get("/").content, "html.parser").select(".card")[0]
    assert card.select_one(".card__section").get_text() == "World"
    assert card.select_one(".card__section")["href"] == "/world/"
    assert card.select_one(".card__kicker").get_text() == "Analysis"
    asia_card = BeautifulSoup(client.get("/tags/weather/").content, "html.parser").select_one(".card")
    assert asia_card.select_one(".card__section")["href"] == "/world/asia/"


def test_a_renamed_section_shows_on_the_next_request(
    settings, fragment_cache, paper, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = True
    story_url = Article.objects.get(headline="Typhoon reaches the coast").get_absolute_url()
    for url in ["/", "/world/", "/world/asia/", story_url]:
        Client().get(url)
    assert Client().get(story_url)["X-Page-Cache"] == "hit"
    asia = paper["asia"]
    asia.name = "Asia–Pacific"
    with django_capture_on_commit_callbacks(execute=True):
        asia.save()
    for url in ["/", "/world/", story_url]:
        body = text(Client().get(url))
        assert "Asia–Pacific" in body, url
    assert "Asia–Pacific" in text(Client().get("/world/asia/"))


def test_a_publish_in_a_section_refreshes_that_section_and_leaves_others_warm(
    settings, fragment_cache, paper, editor, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = True
    urls = ["/world/", "/world/asia/", "/politics/", "/world/europe/"]
    for url in urls * 2:
        Client().get(url)
    assert all(Client().get(url)["X-Page-Cache"] == "hit" for url in urls)
    draft = make_article(
        "Quake hits the north", section=paper["asia"], status=Article.Status.IN_REVIEW, authors=[make_author()]
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(draft, user=editor)
    for url in ["/world/", "/world/asia/"]:  # the section and its parent's listing
        response = Client().get(url)
        assert response["X-Page-Cache"] == "miss" and "Quake hits the north" in text(response), url
    for url in ["/politics/", "/world/europe/"]:
        assert Client().get(url)["X-Page-Cache"] == "hit", url


@pytest.fixture
def desk():
    """World stories an hour apart, tagged China (many) or Pandas (few, the most specific)."""
    world, business = section("world", "World"), section("business", "Business")
    now = timezone.now()
    stories = []
    for n in range(10):
        tags = ["China", "Pandas"] if n in (0, 6, 8, 9) else ["China"]
        stories.append(make_article(f"World {n}", section=world, tags=tags, published_at=now - timedelta(hours=n + 1)))
    make_article("Panda bonds rally", section=business, tags=["Pandas"], published_at=now - timedelta(hours=20))
    make_article("Panda draft", section=business, tags=["Pandas"], status=Article.Status.DRAFT)
    return stories


def more(response, heading: str) -> list[str]:
    page = BeautifulSoup(response.content, "html.parser")
    for block in page.select("section.more"):
        if block.h2.get_text(" ", strip=True) == heading:
            return [h.get_text(strip=True) for h in block.select(".card__headline")]
    return []


def test_after_the_story_more_in_its_section_and_on_its_most_specific_tag(client, desk):
    response = client.get(desk[0].get_absolute_url())
    assert more(response, "More in World") == ["World 1", "World 2", "World 3", "World 4"]
    # Pandas (5 live stories) is more specific than China (10); the story and those above are left out.
    assert more(response, "More on #Pandas") == ["World 6", "World 8", "World 9", "Panda bonds rally"]
    assert more(client.get(desk[0].get_absolute_url()), "More on #Pandas") == more(response, "More on #Pandas")


def test_a_story_alone_in_its_section_and_tags_has_no_more_lists(client):
    story = make_article("Only story", section=section("city", "City"), tags=["Unique"])
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200 and not BeautifulSoup(response.content, "html.parser").select("section.more")


def test_a_publish_in_the_section_reaches_the_more_lists_of_its_cached_pages(
    settings, fragment_cache, desk, editor, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = True
    url = desk[5].get_absolute_url()
    Client().get(url)
    etag = Client().get(url)["ETag"]
    assert Client().get(url)["X-Page-Cache"] == "hit"
    other = make_article("Elsewhere", section=section("city", "City"))
    Client().get(other.get_absolute_url())
    draft = make_article(
        "Border reopens", section=desk[0].section, status=Article.Status.IN_REVIEW, authors=[make_author()]
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(draft, user=editor)
    response = Client().get(url)
    assert response["X-Page-Cache"] == "miss" and more(response, "More in World")[0] == "Border reopens"
    assert response["ETag"] != etag
    assert Client().get(other.get_absolute_url())["X-Page-Cache"] == "hit", "another section's story stays warm"
    # An edit to one story of the section leaves the pages of the others warm.
    with django_capture_on_commit_callbacks(execute=True):
        workflow.record_update(desk[9], user=editor, substantive=False)
    assert Client().get(url)["X-Page-Cache"] == "hit"


def test_the_more_lists_show_an_edit_or_an_unpublish_of_a_story_they_list_at_once(
    fragment_cache, desk, editor, django_capture_on_commit_callbacks
):
    # The lists' rows are kept under the page state: any change readers see renews it.
    url = desk[0].get_absolute_url()
    assert more(Client().get(url), "More in World")[0] == "World 1"
    desk[1].headline = "World 1, rewritten"
    with django_capture_on_commit_callbacks(execute=True):
        desk[1].save()
        workflow.record_update(desk[1], user=editor, substantive=False)
    assert more(Client().get(url), "More in World")[0] == "World 1, rewritten"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(desk[1], user=editor, comment="Legal")
    assert more(Client().get(url), "More in World") == ["World 2", "World 3", "World 4", "World 5"]
    # Pandas now has 4 live stories; the lists still leave out the story and each other's.
    assert more(Client().get(url), "More on #Pandas") == ["World 6", "World 8", "World 9", "Panda bonds rally"]


def test_the_more_lists_keep_the_article_validators(client, desk):
    first = client.get(desk[3].get_absolute_url())
    assert client.get(desk[3].get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@given(slug=st.text(min_size=1, max_size=300))
@settings(max_examples=60, deadline=None)
def test_any_section_address_answers_404_or_a_page_never_an_error(slug):
    from urllib.parse import quote

    for path in [f"/{quote(slug, safe='')}/", f"/world/{quote(slug, safe='')}/", f"/{quote(slug, safe='')}/feed/"]:
        # Never an error; a slug may happen to be a real page ("authors" gives /authors/, the index).
        assert Client().get(path).status_code in (200, 301, 302, 404), path


@pytest.mark.parametrize(
    "slug", ["北京", "caf\u00e9", "a" * 5000, "x\x01y", "world%00", "..", "-"], ids=lambda s: repr(s)[:12]
)
def test_odd_section_addresses_answer_404(client, paper, slug):
    from urllib.parse import quote

    assert client.get(f"/{quote(slug, safe='')}/").status_code == 404
    assert client.get(f"/world/{quote(slug, safe='')}/").status_code == 404


def test_a_section_named_in_any_script_answers(client):
    story = make_article("Shanghai story", section=section("中国", "中国"))
    assert client.get("/中国/").status_code == 200
    assert "中国" in text(client.get(story.get_absolute_url()))


@pytest.mark.parametrize("slug", ["tags", "authors", "search", "feed", "ninjs", "preview", "sitemap", "admin"])
def test_a_section_cannot_take_an_address_the_site_uses(slug):
    with pytest.raises(ValidationError):
        Section(name="X", slug=slug).full_clean()
    Section(name="World", slug="world").full_clean()
    Section(name="Asia", slug="asia", parent=Section.objects.create(name="W", slug="w")).full_clean()


# Queries of each section page for an anonymous reader, at every size: with the fragment cache
# warm, and cold (every card, the section and the feed's entries read again; and the section's
# front, here none, on a first page).
SECTION_QUERIES = {
    "/world/": (3, 7),  # the three parts of its listing; and the section, its front, the cards' stories and bylines
    "DEEP": (3, 6),  # the same parts from the cursor
    "/world/asia/": (2, 6),  # a subsection's two parts
    "/world/feed/": (3, 8),  # the three parts; and the section, the entries' stories, bylines, tags and corrections
    # The story; its "More in" and "More on" rows are kept under the page state. Cold: the story's
    # page (the story, bylines, tags, corrections), its tags' live counts, its section's two parts
    # (Asia) and its tag's, the cards' stories and bylines.
    "ARTICLE": (1, 11),
}


def big_paper(stories: int):
    world = section("world", "World")
    asia = section("asia", "Asia", world)
    people = [make_author(f"Writer {n}") for n in range(3)]
    now = timezone.now()
    made = []
    for n in range(stories):
        made.append(
            make_article(
                f"Story {n}",
                section=asia if n % 3 else world,
                authors=people[: n % 3 + 1],
                tags=["China", f"Topic {n % 5}"],
                published_at=now - timedelta(hours=n + 1),
            )
        )
        if n % 4 == 0:
            made[-1].also_in.set([world])
    return made


@pytest.mark.parametrize("size", [25, 120])
@pytest.mark.parametrize("warm", [True, False], ids=["cached", "not-cached"])
@pytest.mark.parametrize("url", SECTION_QUERIES)
def test_section_pages_and_the_more_lists_run_the_same_queries_at_every_size(settings, size, warm, url):
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sections"},
    }
    made = big_paper(size)
    path = {"DEEP": f"/world/?before={Cursor.of(made[10])}", "ARTICLE": made[7].get_absolute_url()}.get(url, url)
    client = Client()
    client.get(path)  # fills the shared page state and the fragment cache
    if not warm:
        caches["fragments"].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    # Without Redis the named versions live in the database: not this page's work.
    ran = [query["sql"] for query in queries if "newsroom_page_cache" not in query["sql"]]
    assert len(ran) == SECTION_QUERIES[url][0 if warm else 1], ran


def test_search_results_name_their_section_and_kicker(client, paper):
    results = BeautifulSoup(client.get("/search/", {"q": "summit"}).content, "html.parser").select(".card")
    assert [
        (card.select_one(".card__section").get_text(), card.select_one(".card__kicker").get_text()) for card in results
    ] == [("World", "Analysis")]


def test_more_in_a_section_without_subsections_skips_their_part_and_picks_it_up_when_one_is_added(
    django_capture_on_commit_callbacks,
):
    """The subsections' part of a section without any walked every live story finding none (100+ ms
    an article page at 100,000 stories); the page state knows which sections have none."""
    politics = Section.objects.create(name="Politics", slug="politics")
    stories = [make_article(f"Vote {n}", section=politics) for n in range(3)]

    def reads_subsections(client) -> bool:
        client.get("/")  # the page state, with the navigation
        with CaptureQueriesContext(connection) as queries:
            assert client.get(stories[0].get_absolute_url()).status_code == 200
        part = 'FROM "articles_article" INNER JOIN "articles_section"'
        return any(part in query["sql"] for query in queries.captured_queries)

    assert not reads_subsections(Client())
    with django_capture_on_commit_callbacks(execute=True):  # saving a section is announced on commit
        local = Section.objects.create(name="Local politics", slug="local-politics", parent=politics)
        make_article("Ward boundaries redrawn", section=local)
    page = BeautifulSoup(Client().get(stories[0].get_absolute_url()).content, "html.parser")
    assert "Ward boundaries redrawn" in page.get_text(), "a subsection's story shows in More in Politics"
    assert reads_subsections(Client())
