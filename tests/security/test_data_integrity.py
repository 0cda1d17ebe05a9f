"""Concurrent saves and publishes lose nothing and do nothing twice; a failed transition leaves no trace."""

import threading

import pytest
from django.db import connection
from reversion.models import Version

from articles import workflow
from articles.changes import content_changed
from articles.models import Article, ArticleTransition
from tests.factories import make_article, make_author, make_staff


def run_at_once(*targets) -> None:
    barrier = threading.Barrier(len(targets))

    def run(target):
        try:
            barrier.wait()
            target()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_publishes_make_one_publication_one_log_row_one_revision():
    first, second = make_staff("first", "Editors"), make_staff("second", "Editors")
    article = make_article("Breaking", status=Article.Status.IN_REVIEW, authors=[make_author()])
    outcomes = []

    def publish(user):
        try:
            workflow.publish(article, user=user)
            outcomes.append("published")
        except workflow.WorkflowError as error:
            outcomes.append(str(error))

    run_at_once(lambda: publish(first), lambda: publish(second))
    refused = [outcome for outcome in outcomes if outcome != "published"]
    assert outcomes.count("published") == 1
    assert len(refused) == 1 and "is not possible: the article is published" in refused[0]
    assert ArticleTransition.objects.filter(article=article, action="publish").count() == 1
    assert Version.objects.get_for_object(article).count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_error_after_the_status_change_rolls_back_the_whole_transition_and_its_side_effects(monkeypatch, request):
    editor = make_staff("editor", "Editors")
    article = make_article("Breaking", status=Article.Status.IN_REVIEW, authors=[make_author()])
    purged = []
    content_changed.connect(lambda **kwargs: purged.append(True), weak=False, dispatch_uid="test_listener")
    request.addfinalizer(lambda: content_changed.disconnect(dispatch_uid="test_listener"))

    def fail(*args, **kwargs):
        raise RuntimeError("the log could not be written")

    monkeypatch.setattr(ArticleTransition.objects, "create", fail)
    with pytest.raises(RuntimeError):
        workflow.publish(article, user=editor)
    article.refresh_from_db()
    assert (article.status, article.published_at) == ("in_review", None)
    assert not Version.objects.get_for_object(article).exists()
    assert purged == [], "the cache purge runs on commit, and there was none"
