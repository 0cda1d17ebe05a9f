"""The public site as readers and search engines see it."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import extruct
import pytest
import time_machine
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from articles import workflow
from articles.models import Article, Section
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_home_shows_a_lead_story_then_the_list(client):
    make_article("Older story", published_at=timezone.now() - timedelta(days=1))
    make_article("Newest story")
    page = soup(client.get("/"))
    assert page.select_one(".card--lead h2").get_text(strip=True) == "Newest story"
    assert [h.get_text(strip=True) for h in page.select(".card__headline")] == ["Newest story", "Older story"]


def headlines(page) -> list[str]:
    return [" ".join(h.get_text().split()) for h in page.select(".card__headline")]


def test_listings_page_by_position_with_rel_links_that_leave_unknown_parameters_out(client):
    for n in range(45):
        make_article(f"Story {n}", published_at=timezone.now() - timedelta(hours=n + 1))
    first = soup(client.get("/?utm_source=x&fbclid=y"))
    assert headlines(first) == [f"Story {n}" for n in range(20)]
    assert first.select_one("a[rel=prev]") is None
    # A parameter no listing reads (a campaign tag) is ignored: not in its links, not in its canonical address.
    assert first.select_one("link[rel=canonical]")["href"] == "http://127.0.0.1:8000/"
    assert first.select_one("a[rel=next]")["href"].startswith("?before=")
    second = soup(client.get("/" + first.select_one("a[rel=next]")["href"] + "&utm_source=x"))
    assert headlines(second) == [f"Story {n}" for n in range(20, 40)]
    assert "utm_source" not in second.select_one("a[rel=next]")["href"]
    assert "utm_source" not in second.select_one("a[rel=prev]")["href"]
    assert second.select_one("link[rel=canonical]")["href"].startswith("http://127.0.0.1:8000/?before=")
    assert "utm_source" not in second.select_one("link[rel=canonical]")["href"]
    third = soup(client.get("/" + second.select_one("a[rel=next]")["href"]))
    assert headlines(third) == [f"Story {n}" for n in range(40, 45)]
    assert third.select_one("a[rel=next]") is None
    back = soup(client.get("/" + third.select_one("a[rel=prev]")["href"]))
    assert headlines(back) == headlines(second)
    assert headlines(soup(client.get("/" + back.select_one("a[rel=prev]")["href"]))) == headlines(first)


def test_a_new_story_does_not_shift_the_older_pages(client):
    for n in range(25):
        make_article(f"Story {n}", published_at=timezone.now() - timedelta(hours=n + 1))
    older = soup(client.get("/")).select_one("a[rel=next]")["href"]
    make_article("Breaking news")
    assert headlines(soup(client.get("/" + older))) == [f"Story {n}" for n in range(20, 25)]


LISTINGS = ["/", "/latest/", "/news/", "/tags/china/", "/authors/asha-verma/"]
SEARCH = "/search/?q=story"
BAD_POSITIONS = [
    "before=abc",
    "before=-1",
    "after=1.2.3",
    "before=" + "9" * 30,
    "before=1&after=2",
    "before=1.²",
    "before=",
    "after=",
    "before=1.%00",
    "after=" + "1" * 5000,
]


@pytest.mark.parametrize("query", BAD_POSITIONS)
def test_bad_listing_positions_answer_404_not_500(client, query):
    make_article("Only story", authors=[make_author("Asha Verma")], tags=["China"])
    for url in LISTINGS:
        assert client.get(f"{url}?{query}").status_code == 404, url
    page = soup(client.get(f"{SEARCH}&{query}"))  # search pages are numbered: a position is not its parameter
    assert page.select_one("link[rel=canonical]")["href"] == "http://127.0.0.1:8000/search/?q=story"


@pytest.mark.parametrize("query", ["page=abc", "page=0", "page=999999", "page=" + "1" + "0" * 20, "page=1.5", "page="])
def test_bad_search_page_numbers_answer_404_not_500(client, query):
    make_article("Only story", authors=[make_author("Asha Verma")], tags=["China"])
    assert client.get(f"{SEARCH}&{query}").status_code == 404
    for url in LISTINGS:
        # Listings page by position (before=, after=): page= is not their parameter, and is ignored.
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, url
        assert soup(response).select_one("link[rel=canonical]")["href"] == f"http://127.0.0.1:8000{url}"


# Every listing and index: the listings page by position (before=, after=), the indexes not at
# all, so page= is no parameter of theirs. The search numbers its pages: page= is its own.
EVERY_LISTING = [
    "/",
    "/latest/",
    "/news/",
    "/world/asia/",
    "/tags/china/",
    "/authors/asha-verma/",
    "/tags/",
    "/authors/",
]
BAD_PAGE_NUMBERS = ["page=abc", "page=0", "page=-1", "page=99999999999999999999", "page=%01"]


@pytest.fixture
def every_listing():
    asha = make_author("Asha Verma")
    asia = Section.objects.create(name="Asia", slug="asia", parent=Section.objects.create(name="World", slug="world"))
    make_article("Only story", authors=[asha], tags=["China"])
    make_article("Monsoon arrives", authors=[asha], tags=["China"], section=asia)


def main_text(response) -> str:
    return " ".join(soup(response).select_one("main").get_text().split())


@pytest.mark.parametrize("query", BAD_PAGE_NUMBERS)
@pytest.mark.parametrize("url", EVERY_LISTING)
def test_page_is_no_parameter_of_any_listing_or_index_and_changes_nothing(client, every_listing, url, query):
    plain, numbered = client.get(url), client.get(f"{url}?{query}")
    assert numbered.status_code == 200
    assert soup(numbered).select_one("link[rel=canonical]")["href"] == f"http://127.0.0.1:8000{url}"
    assert main_text(numbered) == main_text(plain)
    assert b"page=" not in numbered.content, "in no link"
    assert numbered["ETag"] == plain["ETag"]


@pytest.mark.parametrize("url", EVERY_LISTING)
def test_page_is_no_part_of_a_listings_page_cache_key(client, every_listing, fragment_cache, settings, url):
    settings.PAGE_CACHE = True
    Client().get(url)
    assert Client().get(url)["X-Page-Cache"] == "hit"
    for query in BAD_PAGE_NUMBERS:
        assert Client().get(f"{url}?{query}")["X-Page-Cache"] == "hit", query


@pytest.mark.parametrize("query", BAD_PAGE_NUMBERS)
@pytest.mark.parametrize("words", ["story", "", "-story"], ids=["words", "no words", "words left out"])
def test_the_search_reads_page_and_a_bad_number_is_a_404(client, every_listing, query, words):
    assert client.get(f"/search/?q={words}&{query}").status_code == 404
    assert client.get(f"/search/?q={words}").status_code == 200


def test_a_parameter_no_page_reads_is_ignored_on_every_listing(client):
    make_article("Only story", authors=[make_author("Asha Verma")], tags=["China"])
    for url in LISTINGS:
        plain = client.get(url)
        tagged = client.get(f"{url}?utm_source=news%22%3E&fbclid=abc&q=x&p=2&version=3.1")
        assert tagged.status_code == 200, url
        assert headlines(soup(tagged)) == headlines(soup(plain)) == ["Only story"]
        assert soup(tagged).select_one("link[rel=canonical]")["href"] == f"http://127.0.0.1:8000{url}"
        assert b"utm_source" not in tagged.content and b"fbclid" not in tagged.content


def test_search_links_carry_its_words_encoded_and_nothing_else(client):
    for n in range(25):
        make_article(f"Öl story {n}", published_at=timezone.now() - timedelta(hours=n + 1))
    page = soup(client.get("/search/", {"q": 'Öl "story" <&>', "utm_source": "x"}))
    encoded = "q=%C3%96l+%22story%22+%3C%26%3E"
    assert page.select_one("link[rel=canonical]")["href"] == f"http://127.0.0.1:8000/search/?{encoded}"
    assert page.select_one("a[rel=next]")["href"] == f"?{encoded}&page=2"
    second = soup(client.get("/search/" + page.select_one("a[rel=next]")["href"]))
    assert second.select_one("link[rel=canonical]")["href"] == f"http://127.0.0.1:8000/search/?{encoded}&page=2"
    assert second.select_one("a[rel=prev]")["href"] == f"?{encoded}&page=1"


def test_a_position_before_every_story_is_a_page_of_the_oldest(client):
    make_article("Only story", authors=[make_author("Asha Verma")], tags=["China"])
    for url in LISTINGS:
        assert headlines(soup(client.get(f"{url}?after=0.0"))) == ["Only story"], url


def test_article_page_meta_open_graph_and_twitter(client):
    article = make_article("Bridge reopens", standfirst="After two years of repairs.", tags=["Transport"])
    page = soup(client.get(article.get_absolute_url()))
    assert page.title.get_text() == "Bridge reopens · The Newsroom"
    assert page.select_one("meta[name=description]")["content"] == "After two years of repairs."
    assert page.select_one("link[rel=canonical]")["href"] == f"http://127.0.0.1:8000{article.get_absolute_url()}"
    assert page.select_one("meta[property='og:type']")["content"] == "article"
    # Share cards and news extractors take og:title as the headline: the bare headline.
    assert page.select_one("meta[property='og:title']")["content"] == "Bridge reopens"
    assert page.select_one("meta[name='twitter:title']")["content"] == "Bridge reopens"
    assert page.select_one("meta[name='twitter:card']")["content"] == "summary"
    assert page.select_one("link[type='application/rss+xml']")["href"].endswith("/feed/")


def test_article_json_ld_is_a_news_article_with_every_field(client, editor):
    reporter = make_author("Asha Verma", job_title="Reporter")
    agency = make_author("Wire Agency", kind="organisation")
    article = make_article(
        "Bridge reopens",
        standfirst="After two years.",
        dateline_place="Riverton",
        authors=[reporter, make_author("Ben Okoro")],
        credit=agency,
        tags=["Transport", "Riverton"],
    )
    workflow.record_update(article, user=editor, substantive=True, comment="New figures.")
    workflow.add_correction(article, user=editor, kind="correction", text="The bridge is 300 m long.")
    response = client.get(article.get_absolute_url())
    data = extruct.extract(response.content.decode(), syntaxes=["json-ld"])["json-ld"]
    assert [item["@type"] for item in data] == ["NewsArticle", "BreadcrumbList"]
    news = data[0]
    assert news["articleSection"] == "News"
    assert news["headline"] == "Bridge reopens"
    assert news["description"] == "After two years."
    assert [(a["@type"], a["name"]) for a in news["author"]] == [
        ("Person", "Asha Verma"),
        ("Person", "Ben Okoro"),
        ("Organization", "Wire Agency"),
    ]
    assert all(a["url"].startswith("http://127.0.0.1:8000/authors/") for a in news["author"])
    assert news["datePublished"].endswith("+00:00")
    assert news["dateModified"] > news["datePublished"]
    assert news["keywords"] == ["Riverton", "Transport"]
    assert news["publisher"]["name"] == "The Newsroom"
    assert news["dateline"].startswith("Riverton, ")
    assert news["locationCreated"] == {"@type": "Place", "name": "Riverton"}
    assert news["correction"][0]["text"] == "The bridge is 300 m long."


def test_json_ld_cannot_be_broken_out_of(client):
    article = make_article("</script><script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html


def test_updated_time_shows_only_after_a_substantive_update(client, editor):
    article = make_article("Bridge reopens")
    assert "Updated" not in soup(client.get(article.get_absolute_url())).select_one(".story__header").get_text()
    workflow.record_update(article, user=editor, substantive=True)
    header = soup(client.get(article.get_absolute_url())).select_one(".story__header")
    assert header.select_one(".story__updated time")["datetime"]


def test_tag_index_counts_only_published_articles(client):
    make_article("Live one", tags=["Climate"])
    make_article("Live two", tags=["Climate", "Oceans"])
    make_article("Draft", status=Article.Status.DRAFT, tags=["Climate", "Embargoed topic"])
    page = soup(client.get("/tags/"))
    entries = {li.a.get_text(): li.select_one(".tag-index__count").get_text() for li in page.select(".tag-index li")}
    assert entries == {"#Climate": "2 stories", "#Oceans": "1 story"}


def test_tag_page_lists_published_articles_newest_first(client):
    make_article("Older", tags=["Climate"], published_at=timezone.now() - timedelta(days=2))
    make_article("Newer", tags=["Climate"])
    make_article("Other", tags=["Sport"])
    response = client.get("/tags/climate/")
    assert [h.get_text(strip=True) for h in soup(response).select(".card__headline")] == ["Newer", "Older"]
    assert soup(response).select_one("link[type='application/rss+xml'][href$='/tags/climate/feed/']")


def test_a_tag_used_only_by_unpublished_articles_answers_404(client):
    make_article("Embargoed", status=Article.Status.DRAFT, tags=["Secret merger"])
    assert client.get("/tags/secret-merger/").status_code == 404
    assert client.get("/tags/secret-merger/feed/").status_code == 404


@pytest.mark.parametrize("path", ["/tags/%F0%9F%98%80/", "/tags/%00/", "/tags/..%2F..%2Fetc/", "/tags/a%20b/"])
def test_odd_tag_urls_answer_404(client, path):
    assert client.get(path).status_code == 404


def test_unicode_tags_have_working_pages(client):
    make_article("Story", tags=["Ünïcødé 中文"])
    link = soup(client.get("/tags/")).select_one(".tag-index a")["href"]
    assert client.get(link).status_code == 200


def test_a_story_with_a_non_ascii_headline_has_a_working_page_and_ninjs(client):
    # Found on review: the page compared the decoded request path with its percent-encoded URL and
    # redirected to itself for ever.
    article = make_article("Google har kjøpt giganttomt i Skien", authors=[make_author()])
    link = soup(client.get("/")).select_one(".card__headline a, .lead__headline a")["href"]
    assert "kj%C3%B8pt" in link
    page = client.get(link)
    assert page.status_code == 200
    assert soup(page).select_one("link[rel=canonical]")["href"].endswith(article.get_absolute_url())
    assert client.get(f"{link}ninjs.json").status_code == 200
    assert client.get(link.replace("kj%C3%B8pt", "kj%c3%b8pt")).status_code == 200


def test_author_index_lists_exactly_the_authors_whose_page_answers(client):
    from authors.models import Author

    live = make_author("Live Writer")
    make_author("Draft Writer")
    former = make_author("Former Writer", is_active=False)
    agency = make_author("Wire Agency", kind="organisation")
    make_article("Live", authors=[live], credit=agency)
    make_article("By former", authors=[former])
    make_article("Draft", status=Article.Status.DRAFT, authors=[Author.objects.get(name="Draft Writer")])
    listed = {a.get_text() for a in soup(client.get("/authors/")).select(".author-index a")}
    answering = {a.name for a in Author.objects.all() if client.get(a.get_absolute_url()).status_code == 200}
    assert listed == answering == {"Live Writer", "Former Writer", "Wire Agency"}


def test_author_page_shows_profile_and_stories(client):
    author = make_author(
        "Asha Verma", job_title="Reporter", bio="<p>Covers the city.</p>", website="https://example.org/asha"
    )
    make_article("Her story", authors=[author])
    page = soup(client.get(author.get_absolute_url()))
    assert page.h1.get_text() == "Asha Verma"
    assert page.select_one(".author-header__job").get_text() == "Reporter"
    assert "Covers the city." in page.select_one(".author-header__bio").get_text()
    assert page.select_one(".author-header__links a[href='https://example.org/asha']")
    assert [h.get_text(strip=True) for h in page.select(".card__headline")] == ["Her story"]


def test_author_without_published_articles_answers_404(client):
    author = make_author("Asha Verma")
    make_article("Draft", status=Article.Status.DRAFT, authors=[author])
    assert client.get(author.get_absolute_url()).status_code == 404
    assert client.get(f"{author.get_absolute_url()}feed/").status_code == 404


def test_author_email_is_never_public(client):
    author = make_author("Asha Verma", email="asha.private@newsroom.example")
    article = make_article("Story", authors=[author])
    for url in [article.get_absolute_url(), author.get_absolute_url(), "/authors/", "/feed/", "/feed/atom/"]:
        assert "asha.private" not in client.get(url).content.decode(), url


def test_search_finds_highlights_and_handles_empty_and_huge_queries(client):
    make_article("Council approves bus plan", body="<p>The council voted for night buses.</p>")
    make_article("Weather", body="<p>Rain all week.</p>")
    page = soup(client.get("/search/?q=council"))
    assert [" ".join(h.get_text().split()) for h in page.select(".card__headline")] == ["Council approves bus plan"]
    assert page.select_one(".card__headline mark").get_text().lower() == "council"
    assert client.get("/search/").status_code == 200
    assert client.get("/search/?q=").status_code == 200
    huge = client.get("/search/", {"q": "council " * 1500})
    assert huge.status_code == 200
    assert "only its first words were used" in huge.content.decode()


def test_search_escapes_what_it_shows(client):
    make_article("Plain story", body="<p>x</p>")
    html = client.get("/search/", {"q": '"><img src=x onerror=alert(1)>'}).content.decode()
    assert "<img src=x" not in html


@pytest.mark.postgres
def test_postgresql_search_ranks_headline_matches_first_and_understands_websearch(client):
    make_article("Budget passes", body="<p>The vote on the budget was close.</p>", slug="budget")
    make_article("Transport news", body="<p>The budget for buses rose.</p>", slug="transport")
    make_article("Budget row", body="<p>Schools lose out.</p>", slug="schools")
    titles = [" ".join(h.get_text().split()) for h in soup(client.get("/search/?q=budget")).select(".card__headline")]
    assert titles[-1] == "Transport news", "a body match ranks below headline matches"
    titles = [
        " ".join(h.get_text().split()) for h in soup(client.get("/search/?q=budget -schools")).select(".card__headline")
    ]
    assert "Budget row" not in titles
    titles = [
        " ".join(h.get_text().split())
        for h in soup(client.get('/search/?q="budget was close"')).select(".card__headline")
    ]
    assert titles == ["Budget passes"]
    snippet = soup(client.get("/search/?q=buses")).select_one(".card__snippet")
    assert snippet.mark.get_text() == "buses"


def test_changed_slug_redirects_the_old_url_permanently(client, editor):
    article = make_article("Bridge reopens", slug="brige-reopens")
    old = article.get_absolute_url()
    article.slug = "bridge-reopens"
    article.save()
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_wrong_date_in_url_redirects_to_the_canonical_one(client):
    article = make_article("Bridge reopens")
    response = client.get(f"/2001/01/01/{article.slug}/")
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()


def test_404_page_is_in_the_site_design(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = soup(response)
    assert page.select_one(".masthead") and "can’t find that page" in page.h1.get_text()


def test_500_page_renders_without_the_database():
    from django.test import RequestFactory

    from public.views import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_robots_txt_names_both_sitemaps(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in text
    assert "Sitemap: http://127.0.0.1:8000/news-sitemap.xml" in text
    assert "Disallow: /admin/" in text


def test_pages_are_semantic_and_accessible(client):
    article = make_article("Bridge reopens", tags=["Transport"])
    page = soup(client.get(article.get_absolute_url()))
    assert page.select_one("a.skip-link[href='#main']") and page.select_one("main#main")
    assert page.select_one("article.story") and page.select_one("nav[aria-label]")
    assert page.select_one("time[datetime]")
    levels = [int(h.name[1]) for h in page.find_all(["h1", "h2", "h3"])]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert page.html["lang"] == "en"


def test_a_correction_is_an_update_on_every_surface_that_dates_the_story(client, editor):
    import feedparser
    from defusedxml import ElementTree

    article = make_article("Bridge reopens", published_at=timezone.now() - timedelta(days=2))
    workflow.add_correction(article, user=editor, kind="correction", text="The bridge is 300 m long.")
    corrected = Article.objects.get(pk=article.pk).corrections.get().created_at
    stamp = corrected.replace(microsecond=0).isoformat()
    page = soup(client.get(article.get_absolute_url()))
    assert page.select_one(".story__updated time")["datetime"] == stamp
    assert page.select_one("meta[property='article:modified_time']")["content"] == stamp
    news = extruct.extract(str(page), syntaxes=["json-ld"])["json-ld"][0]
    assert news["dateModified"] == stamp
    entry = feedparser.parse(client.get("/feed/atom/").content).entries[0]
    assert entry.updated_parsed[:6] == corrected.utctimetuple()[:6]
    # A small site's sitemap is one file: the story's entry in it.
    sitemap = ElementTree.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = next(
        url for url in sitemap.findall("s:url", ns) if url.find("s:loc", ns).text.endswith(article.slug + "/")
    )
    lastmods = [listed.find("s:lastmod", ns).text]
    assert stamp[:19] in " ".join(lastmods)


def test_a_tag_or_author_address_in_another_case_answers_301_to_the_canonical_one(client):
    make_article("Bridge reopens", authors=[make_author("Asha Verma")], tags=["China"])
    make_article("Draft only", status=Article.Status.DRAFT, tags=["Secret plans"])
    for typed, canonical in [("/tags/China/", "/tags/china/"), ("/authors/Asha-VERMA/", "/authors/asha-verma/")]:
        response = client.get(typed)
        assert response.status_code == 301 and response["Location"] == canonical, typed
        assert client.get(canonical).status_code == 200
    # A tag only drafts carry answers as an unknown one does, in any case: its name leaks nothing.
    assert client.get("/tags/Secret-Plans/").status_code == 404
    assert client.get("/tags/Nothing/").status_code == 404


def text_of(page, selector: str) -> str:
    return " ".join(page.select_one(selector).get_text().split())


@pytest.mark.parametrize(
    ("zone", "in_may", "in_december"),
    [("UTC", "UTC", "UTC"), ("Asia/Kolkata", "IST", "IST"), ("Europe/London", "BST", "GMT")],
    ids=["UTC", "IST", "BST"],
)
def test_every_date_a_reader_sees_names_the_sites_time_zone(client, editor, settings, zone, in_may, in_december):
    """NEWSROOM_TIME_ZONE (settings.TIME_ZONE): the article's header, its "Updated" line, its
    corrections and the cards give the date and time there, with the zone's name at that date."""
    settings.TIME_ZONE = zone
    published = datetime(2024, 5, 16, 13, 0, tzinfo=ZoneInfo(zone))
    story = make_article("Monsoon arrives", dateline_place="New Delhi", published_at=published.astimezone(UTC))
    with time_machine.travel(datetime(2026, 12, 2, 9, 12, tzinfo=ZoneInfo(zone)), tick=False):
        workflow.add_correction(story, user=editor, kind="correction", text="The rain came on Thursday.")
    page = soup(client.get(story.get_absolute_url()))
    assert text_of(page, ".story__dateline") == "New Delhi, May 16"
    assert text_of(page, ".story__published") == f"Published 16 May 2024, 13:00 {in_may}"
    assert text_of(page, ".story__updated") == f"Updated 2 December 2026, 09:12 {in_december}"
    assert text_of(page, ".corrections__item time") == f"2 December 2026, 09:12 {in_december}"
    for url in ("/", "/latest/", "/search/?q=monsoon"):
        assert text_of(soup(client.get(url)), ".card__meta time") == f"16 May 2024, 13:00 {in_may}", url
