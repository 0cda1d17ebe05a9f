"""Each listing has one definition (public/listings.py): its builder's prepared queries, every
page direction and its feed show the same stories in the same order, on SQLite and PostgreSQL."""

from datetime import timedelta

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from articles.models import Article, Section
from public import listings
from public.pagination import Cursor
from tests.factories import make_article, make_author, news_section

pytestmark = pytest.mark.django_db

STORIES = 47  # more than two pages of 20, and more than a feed of 30


@pytest.fixture
def newsroom():
    """Live stories (some at the same second), tagged and by an author in several ways, plus a
    draft and a scheduled story that no listing may show."""
    asha, agency, other = (
        make_author("Asha Verma"),
        make_author("Wire Agency", kind="organisation"),
        make_author("Ben Ito"),
    )
    world = Section.objects.create(name="World", slug="world")
    asia = Section.objects.create(name="Asia", slug="asia", parent=world)
    now = timezone.now().replace(microsecond=0)
    for n in range(STORIES):
        story = make_article(
            f"Story {n:02d}",
            published_at=now - timedelta(minutes=n // 3),  # three at each time: ties broken by id
            authors=[asha] if n % 2 == 0 else [other],
            credit=agency if n % 3 == 0 else (asha if n % 5 == 0 else None),
            tags=["Climate"] if n % 2 else ["Climate", "Energy"] if n % 7 == 0 else ["Energy"],
            section=world if n % 4 == 0 else asia if n % 4 in (1, 2) else news_section(),
        )
        # Further sections: some in Asia too, some in World, some in both (their own already).
        story.also_in.set([asia] * (n % 5 == 0) + [world] * (n % 7 == 0))
    for hidden in [
        make_article("Draft", status=Article.Status.DRAFT, authors=[asha], tags=["Climate"], section=asia),
        make_article("Scheduled", published_at=now + timedelta(hours=1), authors=[asha], tags=["Climate"]),
    ]:
        hidden.also_in.set([world, asia])
    return {"asha": asha, "world": world, "asia": asia}


def expected(listing, **keys) -> list[int]:
    """The listing's stories straight from its querysets, newest first: what every reader sees."""
    stories = {article.pk: article for queryset in listing.querysets(**keys) for article in queryset}
    return [
        pk
        for pk, _ in sorted(
            ((a.pk, a) for a in stories.values()), key=lambda x: (x[1].published_at, x[0]), reverse=True
        )
    ]


def cases(newsroom) -> list:
    from taggit.models import Tag

    climate, asha = Tag.objects.get(name="Climate"), newsroom["asha"]
    return [
        (listings.LATEST, {}, "/", "/feed/"),
        (listings.TAGGED, {"tag": climate.pk}, f"/tags/{climate.slug}/", f"/tags/{climate.slug}/feed/"),
        (listings.BY_AUTHOR, {"author": asha.pk}, f"/authors/{asha.slug}/", f"/authors/{asha.slug}/feed/"),
        (listings.IN_SECTION_AND_BELOW, {"section": newsroom["world"].pk}, "/world/", "/world/feed/"),
        (listings.IN_SECTION, {"section": newsroom["asia"].pk}, "/world/asia/", "/world/asia/feed/"),
    ]


def headlines(pks: list[int]) -> list[str]:
    names = dict(Article.objects.filter(pk__in=pks).values_list("pk", "headline"))
    return [names[pk] for pk in pks]


def test_the_prepared_rows_are_the_querysets_stories_in_order(newsroom):
    for listing, keys, _, _ in cases(newsroom):
        everything = expected(listing, **keys)
        assert (
            len(everything) > 20 and "Draft" not in headlines(everything) and "Scheduled" not in headlines(everything)
        )
        assert [row.pk for row in listing.rows(limit=1000, **keys)] == everything
        assert [row.pk for row in listing.rows(limit=5, **keys)] == everything[:5]
        newest = listing.rows(limit=1, **keys)[0]
        assert newest.published_at == Article.objects.get(pk=everything[0]).published_at  # aware, as the ORM reads it
        middle = Article.objects.get(pk=everything[9])
        older = listing.rows(limit=7, before=Cursor.of(middle), **keys)
        assert [row.pk for row in older] == everything[10:17]


def test_the_leaner_bylined_listing_is_the_author_listing_of_an_author_never_credited(newsroom):
    ben = make_author("Clara Moss")
    for n in range(3):
        make_article(f"Clara {n}", authors=[ben], published_at=timezone.now() - timedelta(days=n + 1))
    assert listings.of_author(credited=False) is listings.BYLINED
    assert [row.pk for row in listings.BYLINED.rows(limit=50, author=ben.pk)] == expected(
        listings.BY_AUTHOR, author=ben.pk
    )


def test_walking_a_listings_pages_older_and_newer_shows_the_builders_stories(client, newsroom):
    for listing, keys, page_url, _ in cases(newsroom):
        everything = headlines(expected(listing, **keys))
        seen, pages, url = [], [], page_url
        while url:
            page = BeautifulSoup(client.get(url).content, "html.parser")
            shown = [a.get_text() for a in page.select(".card__headline a")]
            pages.append((url, shown))
            seen += shown
            older = page.select_one("a[rel=next]")
            url = page_url + older["href"] if older else None
        assert seen == everything and len(pages) >= 2, page_url
        # "Newer stories" from the last page leads back through the same pages.
        last = BeautifulSoup(client.get(pages[-1][0]).content, "html.parser")
        newer = page_url + last.select_one("a[rel=prev]")["href"]
        shown = [
            a.get_text() for a in BeautifulSoup(client.get(newer).content, "html.parser").select(".card__headline a")
        ]
        assert shown == pages[-2][1], page_url


def test_each_feed_shows_its_pages_newest_stories(client, newsroom):
    for listing, keys, _, feed_url in cases(newsroom):
        feed = feedparser.parse(client.get(feed_url).content)
        assert [entry.title for entry in feed.entries] == headlines(expected(listing, **keys))[:30], feed_url


def test_a_prepared_query_refuses_a_sample_it_cannot_find_among_the_parameters(newsroom):
    prepared = listings.Prepared(lambda now: Article.objects.published().values_list("pk"), now=listings.SAMPLE_TIME)
    with pytest.raises(ValueError, match="the sample for 'now' is not among the parameters"):
        prepared.rows(now=timezone.now())


def _rows_read(plan: dict, table: str) -> int:
    """How many rows of the table a query plan (EXPLAIN ANALYZE, JSON) read, in all its loops."""
    here = plan.get("Actual Rows", 0) * plan.get("Actual Loops", 1) if plan.get("Relation Name") == table else 0
    return here + sum(_rows_read(child, table) for child in plan.get("Plans", []))


def test_each_part_of_a_section_listing_reads_what_it_shows_not_the_archive(django_db_setup):
    """Further placements are few (one story in 200 here): joined, PostgreSQL walked the date index
    looking each story up among them (120 ms for a home block at 100,000 stories). Each part of a listing
    must read about as many stories as it has, not every newer story."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the plans are PostgreSQL's; SQLite reads the demo's few stories either way")
    world, politics = news_section(), Section.objects.create(name="Politics", slug="politics")
    now = timezone.now()
    Article.objects.bulk_create(
        (
            Article(
                headline=f"Story {n}",
                slug=f"story-{n}",
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(minutes=n),
                section=world,
            )
            for n in range(10_000)
        ),
        batch_size=1000,
    )
    placed = list(Article.objects.order_by("-published_at")[::200])  # one story in 200, as at 100,000
    for story in placed:
        story.also_in.add(politics)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article; ANALYZE articles_article_also_in")
    for part in listings.IN_SECTION.querysets(section=politics.pk):
        sql, params = listings.newest(part, 40).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0][0]["Plan"]
        assert _rows_read(plan, "articles_article") <= 200, sql
    assert [row.pk for row in listings.IN_SECTION.rows(limit=40, section=politics.pk)] == [
        story.pk for story in placed[:40]
    ]
