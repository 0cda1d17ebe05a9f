"""`Article.objects.published()` is the one definition of what readers may see."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles import workflow
from articles.models import Article
from tests.factories import make_article, make_staff

pytestmark = pytest.mark.django_db


def test_published_includes_only_live_articles():
    live = make_article("Live")
    make_article("Draft", status=Article.Status.DRAFT)
    make_article("In review", status=Article.Status.IN_REVIEW)
    make_article("Scheduled", published_at=timezone.now() + timedelta(hours=2))
    make_article("Unpublished", status=Article.Status.DRAFT, published_at=timezone.now() - timedelta(days=1))
    workflow.trash(make_article("Trashed"), user=make_staff("editor", "Editors"), comment="A duplicate.")

    assert list(Article.objects.published()) == [live]


def test_the_database_refuses_a_published_story_in_the_trash():
    """published() reads the status alone: a story in the trash can never be published."""
    live = make_article("Live")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=live.pk).update(trashed_at=timezone.now())


def test_published_is_chainable_and_newest_first():
    older = make_article("Older", published_at=timezone.now() - timedelta(days=2))
    newer = make_article("Newer", published_at=timezone.now() - timedelta(hours=1), tags=["China"])
    assert list(Article.objects.published()) == [newer, older]
    assert list(Article.objects.published().filter(tags__name="China")) == [newer]
