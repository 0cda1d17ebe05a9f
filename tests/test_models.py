"""The database keeps the content model's invariants, whatever code writes to it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Byline, SiteSettings
from authors.models import Author
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def test_article_slugs_are_unique():
    make_article("First", slug="same-slug")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article("Second", slug="same-slug")


def test_author_slugs_are_unique():
    make_author("Asha Verma", slug="asha")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_author("Asha Verma Jr", slug="asha")


def test_published_article_needs_a_publication_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(headline="No time", slug="no-time", status=Article.Status.PUBLISHED)


def test_unknown_status_is_refused_by_the_database():
    article = make_article(status=Article.Status.DRAFT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status="live")


def test_update_time_cannot_precede_publication():
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(updated_at=article.published_at - timedelta(days=1))


def test_one_author_per_byline_position():
    first, second = make_author("A One"), make_author("B Two")
    article = make_article(authors=[first])
    with pytest.raises(IntegrityError), transaction.atomic():
        Byline.objects.create(article=article, author=second, position=0)


def test_an_author_is_bylined_once_per_article():
    writer = make_author()
    article = make_article(authors=[writer])
    with pytest.raises(IntegrityError), transaction.atomic():
        Byline.objects.create(article=article, author=writer, position=1)


def test_author_with_stories_cannot_be_deleted_silently():
    writer = make_author()
    make_article(authors=[writer])
    with pytest.raises(IntegrityError), transaction.atomic():
        Author.objects.filter(pk=writer.pk).delete()


def test_site_settings_is_a_single_row():
    SiteSettings.load()
    with pytest.raises(IntegrityError), transaction.atomic():
        SiteSettings.objects.bulk_create([SiteSettings(pk=2, site_name="Other")])


def test_body_and_bio_are_sanitised_on_save():
    article = make_article(body='<p onclick="x()">Text<script>alert(1)</script><a href="javascript:alert(1)">l</a></p>')
    article.refresh_from_db()
    assert article.body == '<p>Text<a rel="noopener noreferrer">l</a></p>'
    writer = make_author(bio="<p>Bio<img src=x onerror=alert(1)></p>")
    writer.refresh_from_db()
    assert writer.bio == "<p>Bio</p>"


def test_slug_defaults_from_the_headline():
    article = make_article("Rates held at 4.5%: what it means")
    assert article.slug == "rates-held-at-45-what-it-means"


def test_article_url_uses_the_publication_date_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "Asia/Kolkata"
    published = datetime(2024, 5, 16, 20, 0, tzinfo=UTC)
    with timezone.override("Asia/Kolkata"):
        article = make_article("Late story", published_at=published, slug="late-story")
        assert article.get_absolute_url() == "/2024/05/17/late-story/"
        assert article.dateline == "May 17"
