"""generate_newsroom: realistic data for benchmarks, deterministic for a seed, on SQLite and PostgreSQL."""

import io
from collections import Counter
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from taggit.models import Tag

from articles.models import Article, Byline, TaggedArticle
from authors.models import Author
from demo import generate as generator
from demo.generate import VERSION

pytestmark = pytest.mark.django_db

UNTIL = "2026-01-01T00:00:00+00:00"


def generate(**options) -> str:
    out = io.StringIO()
    call_command(
        "generate_newsroom", articles=300, authors=40, tags=120, until=datetime.fromisoformat(UNTIL), stdout=out,
        stderr=io.StringIO(), **options,
    )  # fmt: skip
    return out.getvalue()


def test_it_writes_stories_with_realistic_shapes():
    assert "Generated 300 articles, 40 authors, 120 tags" in generate()
    articles = Article.objects.filter(source_uri__startswith="urn:newsroom:generated:1:")
    assert articles.count() == 300
    assert articles.published().count() >= 280
    words = [len(article.body.split()) for article in articles[:50]]
    assert min(words) >= 600 and max(words) <= 1400
    bylines = Counter(Byline.objects.values_list("article", flat=True))
    assert set(bylines.values()) <= {1, 2, 3}
    tags = Counter(TaggedArticle.objects.values_list("content_object", flat=True))
    assert min(tags.values()) >= 3 and max(tags.values()) <= 8
    # A long tail: the busiest tag carries far more stories than the median one.
    per_tag = sorted(TaggedArticle.objects.values("tag").annotate(n=Count("id")).values_list("n", flat=True))
    assert per_tag[-1] >= 10 * per_tag[len(per_tag) // 2]
    assert Author.objects.filter(kind="organisation").exists()
    assert max(articles.published().values_list("published_at", flat=True)) <= datetime(2026, 1, 1, tzinfo=UTC)


def test_the_same_seed_gives_the_same_data():
    generate()
    first = list(Article.objects.order_by("source_uri").values_list("headline", "slug", "published_at")[:40])
    Article.objects.all().delete()
    Author.objects.all().delete()
    Tag.objects.all().delete()
    generate(seed=1, if_missing=True)
    assert list(Article.objects.order_by("source_uri").values_list("headline", "slug", "published_at")[:40]) == first


def test_generating_twice_is_refused_or_skipped():
    generate()
    with pytest.raises(CommandError, match="generated in this database already"):
        generate()
    assert "nothing to do" in generate(if_missing=True)


def test_generated_pages_answer_with_their_usual_query_counts(client, django_assert_max_num_queries):
    generate()
    tag = TaggedArticle.objects.values("tag__slug").annotate(n=Count("id")).order_by("-n")[0]["tag__slug"]
    # The home is the generated front of eight blocks: its arrangement (3, cached in production),
    # its pins, the latest, four sections' parts (World has subsections) and a tag, and its cards.
    # The feed: the listing and its entries (stories, bylines, tags, corrections).
    for url, queries in [("/", 18), ("/latest/", 4), (f"/tags/{tag}/", 5), ("/feed/", 6)]:
        client.get(url)  # warm the shared state
        with django_assert_max_num_queries(queries):
            assert client.get(url).status_code == 200


def test_the_generated_home_front_has_eight_blocks_over_the_generated_stories(client):
    generate()
    page = client.get("/").content.decode()
    assert page.count('class="front-block ') == 8
    generator.remove(1)
    assert client.get("/").status_code == 200


def test_data_an_older_generator_wrote_is_replaced_by_if_missing():
    generate()
    Article.objects.update(source_version="generator-1")
    out = generate(if_missing=True)
    assert "Removed 300 stories an older version of the generator wrote" in out
    assert Article.objects.count() == Article.objects.filter(source_version=VERSION).count() == 300
    assert Author.objects.count() == 40


def test_multi_word_topics_are_single_tags():
    generate()
    assert Tag.objects.filter(name="Interest rates").exists()
    assert not Tag.objects.filter(name__in=["Interest", "rates", "intelligence"]).exists()


def test_the_version_changes_whenever_the_generator_or_its_words_change(tmp_path):
    code, words = tmp_path / "generate.py", tmp_path / "words.json"
    code.write_text("VERSION = 1\n")
    words.write_text('{"words": ["the"]}')
    first = generator.source_version(code, words)
    words.write_text('{"words": ["the", "council"]}')
    assert generator.source_version(code, words) != first
    assert generator.source_version(*generator.VERSION_FILES) == VERSION


@pytest.mark.postgres
def test_the_search_indexes_take_each_story_at_once_also_after_a_bulk_load():
    """fastupdate off (migration 0017): no pending list for every search to read through; the
    generator loads with it on and merges the pending entries at the end."""
    from django.db import connection

    from articles.models import SEARCH_INDEXES

    generate()
    with connection.cursor() as cursor:
        for index in SEARCH_INDEXES:
            cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [index])
            assert cursor.fetchone()[0] == ["fastupdate=off"], index
    assert Article.objects.matching("council").exists()


def test_stories_the_desk_has_touched_are_removed_with_everything_that_refers_to_them():
    """The bench's editor opens generated stories at the desk: presence, autosaves, the log and old
    addresses refer to them, and a later bench-data must still replace them (it stopped on the
    desk's presence rows)."""
    from django.utils import timezone

    from articles.models import ArticleTransition, SlugRedirect
    from desk.models import Autosave, Presence
    from tests.factories import make_staff

    generate()
    editor = make_staff("bench-editor")
    story = Article.objects.filter(source_version=VERSION).first()
    now = timezone.now()
    Presence.objects.create(user=editor, article=story, since=now, seen_at=now)
    Autosave.objects.create(user=editor, article=story, data={"headline": ["Typed"]})
    ArticleTransition.objects.create(article=story, action="update", from_status="published", to_status="published")
    SlugRedirect.objects.create(old_slug="an-old-address", article=story)
    Article.objects.update(source_version="generator-1")
    assert "Removed 300 stories" in generate(if_missing=True)
    assert not Presence.objects.exists() and not Autosave.objects.exists()
    assert not ArticleTransition.objects.exists() and not SlugRedirect.objects.exists()
