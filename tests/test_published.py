"""`Article.objects.published()` is the one definition of what readers may see."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_published_includes_only_live_articles():
    live = make_article("Live")
    make_article("Draft", status=Article.Status.DRAFT)
    make_article("In review", status=Article.Status.IN_REVIEW)
    make_article("Scheduled", published_at=timezone.now() + timedelta(hours=2))
    make_article("Unpublished", status=Article.Status.DRAFT, published_at=timezone.now() - timedelta(days=1))

    assert list(Article.objects.published()) == [live]


def test_published_is_chainable_and_newest_first():
    older = make_article("Older", published_at=timezone.now() - timedelta(days=2))
    newer = make_article("Newer", published_at=timezone.now() - timedelta(hours=1), tags=["China"])
    assert list(Article.objects.published()) == [newer, older]
    assert list(Article.objects.published().filter(tags__name="China")) == [newer]
