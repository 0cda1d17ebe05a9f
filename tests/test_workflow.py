"""The editorial workflow: who may move an article where, and what each move leaves behind."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from reversion.models import Version

from articles import workflow
from articles.models import Article, ArticleTransition, Correction
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

STATES = ["draft", "in_review", "scheduled", "live", "unpublished"]
ACTIONS = ["submit", "withdraw", "return", "publish", "schedule", "reschedule", "unpublish", "correct"]
ROLES = ["owner", "other_writer", "editor"]

# Everything else must be refused.
ALLOWED = {
    ("owner", "draft", "submit"),
    ("owner", "unpublished", "submit"),
    ("editor", "draft", "submit"),
    ("editor", "unpublished", "submit"),
    ("owner", "in_review", "withdraw"),
    ("editor", "in_review", "return"),
    ("editor", "draft", "publish"),
    ("editor", "in_review", "publish"),
    ("editor", "unpublished", "publish"),
    ("editor", "draft", "schedule"),
    ("editor", "in_review", "schedule"),
    ("editor", "scheduled", "reschedule"),
    ("editor", "scheduled", "unpublish"),
    ("editor", "live", "unpublish"),
    ("editor", "live", "correct"),
}


def article_in(state: str, owner) -> Article:
    now = timezone.now()
    status, published_at = {
        "draft": (Article.Status.DRAFT, None),
        "in_review": (Article.Status.IN_REVIEW, None),
        "scheduled": (Article.Status.PUBLISHED, now + timedelta(days=1)),
        "live": (Article.Status.PUBLISHED, now - timedelta(days=1)),
        "unpublished": (Article.Status.DRAFT, now - timedelta(days=2)),
    }[state]
    return make_article(
        f"A story that is {state}",
        status=status,
        published_at=published_at,
        created_by=owner,
        authors=[make_author(f"Reporter {state}")],
    )


def transition_data(action: str) -> dict:
    later = timezone.localtime(timezone.now() + timedelta(hours=3))
    return {
        "comment": "Checked the figures.",
        "publish_at": later.strftime("%Y-%m-%dT%H:%M"),
        "_confirmed": "1",  # what the confirmation page posts (publish and schedule ask first)
        "kind": "correction",
        "text": "The figure was 5,600, not 6,500.",
    }


def footprint(article: Article) -> tuple:
    article.refresh_from_db()
    return (
        article.status,
        article.published_at,
        article.transitions.count(),
        Version.objects.get_for_object(article).count(),
        article.corrections.count(),
    )


def refusal(role: str, state: str) -> int:
    """How a refused transition answers: whoever may see the story gets its page again, with the
    reason and what they typed in the panel (200, never a bare 403, nor a redirect that drops the
    comment); someone else's story that is not live is not there for a writer (404, as for an id
    that does not exist)."""
    if role == "other_writer" and state != "live":
        return 404
    return 200


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_role_state_transition_matrix_over_http(client, writer, other_writer, editor, role, state, action):
    article = article_in(state, owner=writer)
    user = {"owner": writer, "other_writer": other_writer, "editor": editor}[role]
    client.force_login(user)
    before = footprint(article)

    response = client.post(f"/admin/articles/article/{article.pk}/transition/{action}/", transition_data(action))
    after = footprint(article)

    if (role, state, action) not in ALLOWED:
        assert response.status_code == refusal(role, state)
        assert after == before, "a refused transition changed something"
        return

    assert response.status_code == 302
    status, published_at, transitions, versions, corrections = after
    assert transitions == before[2] + 1, "one log row per transition"
    assert versions == before[3] + 1, "one revision per transition"
    expected_status = {
        "submit": "in_review",
        "withdraw": "draft",
        "return": "draft",
        "publish": "published",
        "schedule": "published",
        "reschedule": "published",
        "unpublish": "draft",
        "correct": "published",
    }[action]
    assert status == expected_status
    log = article.transitions.first()
    assert (log.user, log.from_status) == (user, before[0])
    if action in ("schedule", "reschedule"):
        assert published_at > timezone.now()
    if action == "correct":
        assert corrections == before[4] + 1


def test_writer_cannot_publish_by_calling_the_workflow(writer):
    article = article_in("draft", owner=writer)
    with pytest.raises(PermissionDenied):
        workflow.publish(article, user=writer)
    assert footprint(article)[0] == "draft"


def test_return_needs_a_comment_and_shows_it_to_the_writer(client, writer, editor):
    article = article_in("in_review", owner=writer)
    with pytest.raises(workflow.WorkflowError, match="comment for the writer is required"):
        workflow.return_to_draft(article, user=editor, comment="   ")
    assert footprint(article)[0] == "in_review"

    workflow.return_to_draft(article, user=editor, comment="Please source the second paragraph.")
    client.force_login(writer)
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "Returned by editor" in page
    assert "Please source the second paragraph." in page


def test_unpublish_needs_a_reason_and_the_url_then_answers_404(client, writer, editor):
    article = article_in("live", owner=writer)
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    with pytest.raises(workflow.WorkflowError, match="reason"):
        workflow.unpublish(article, user=editor, comment="")
    workflow.unpublish(article, user=editor, comment="Legal review.")
    assert client.get(url).status_code == 404


def test_publishing_again_keeps_the_first_publication_time_and_url(editor, writer):
    article = article_in("live", owner=writer)
    first_published, url = article.published_at, article.get_absolute_url()
    workflow.unpublish(article, user=editor, comment="Checking a fact.")
    article = workflow.publish(article, user=editor)
    assert article.published_at == first_published
    assert article.get_absolute_url() == url
    workflow.unpublish(article, user=editor, comment="Again.")
    with pytest.raises(workflow.WorkflowError, match="published before"):
        workflow.publish(article, user=editor, at=timezone.now() + timedelta(days=1))


def test_a_schedule_time_in_the_past_is_refused(client, writer, editor):
    article = article_in("in_review", owner=writer)
    with pytest.raises(workflow.WorkflowError, match="in the future"):
        workflow.publish(article, user=editor, at=timezone.now() - timedelta(minutes=5))
    client.force_login(editor)
    past = timezone.localtime(timezone.now() - timedelta(hours=1))
    response = client.post(
        f"/admin/articles/article/{article.pk}/transition/schedule/",
        {"publish_at": past.strftime("%Y-%m-%dT%H:%M"), "_confirmed": "1"},
        follow=True,
    )
    assert "Choose a time in the future." in response.content.decode()
    assert footprint(article)[:3] == ("in_review", None, 0)


def test_cancelling_a_schedule_gives_the_time_back(writer, editor):
    article = article_in("scheduled", owner=writer)
    article = workflow.unpublish(article, user=editor, comment="Not ready after all.")
    assert (article.status, article.published_at) == ("draft", None)
    later = timezone.now() + timedelta(days=3)
    assert workflow.publish(article, user=editor, at=later).published_at == later


def test_publishing_needs_a_body_and_a_byline_or_credit(editor):
    article = make_article("Empty", status=Article.Status.DRAFT, body="")
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.publish(article, user=editor)
    assert "The body is empty." in str(refused.value)
    assert "Add a byline or a credit." in str(refused.value)
    assert footprint(article)[:3] == ("draft", None, 0)


def test_a_substantive_update_moves_the_updated_time_and_a_typo_fix_does_not(editor, writer):
    article = article_in("live", owner=writer)
    workflow.record_update(article, user=editor, substantive=False, comment="Typo.")
    article.refresh_from_db()
    assert article.updated_at is None
    workflow.record_update(article, user=editor, substantive=True, comment="New figures.")
    article.refresh_from_db()
    assert article.updated_at is not None and article.shows_updated
    assert list(article.transitions.values_list("action", flat=True)) == ["update", "update"]


def test_writer_cannot_record_an_update_to_a_live_article(writer):
    article = article_in("live", owner=writer)
    with pytest.raises(PermissionDenied):
        workflow.record_update(article, user=writer, substantive=True)


def test_a_correction_appears_on_the_public_page_with_its_date(client, editor, writer):
    article = article_in("live", owner=writer)
    workflow.add_correction(article, user=editor, kind="clarification", text="The bridge is in the old town.")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Clarification" in page
    assert "The bridge is in the old town." in page
    assert Correction.objects.get().created_by == editor


def test_transition_side_effects_run_only_on_commit(editor, writer, django_capture_on_commit_callbacks):
    article = article_in("in_review", owner=writer)
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.publish(article, user=editor)
    assert len(callbacks) == 1


def test_every_transition_is_logged_with_who_when_from_to_and_comment(editor, writer):
    article = article_in("draft", owner=writer)
    workflow.submit(article, user=writer, comment="Ready.")
    workflow.return_to_draft(article, user=editor, comment="Needs a quote.")
    workflow.submit(article, user=writer)
    workflow.publish(article, user=editor, comment="Lead story.")
    log = list(ArticleTransition.objects.filter(article=article).order_by("created_at", "id"))
    assert [(row.action, row.from_status, row.to_status, row.user.username) for row in log] == [
        ("submit", "draft", "in_review", "writer"),
        ("return", "in_review", "draft", "editor"),
        ("submit", "draft", "in_review", "writer"),
        ("publish", "in_review", "published", "editor"),
    ]
    assert [row.comment for row in log] == ["Ready.", "Needs a quote.", "", "Lead story."]


def test_the_desk_offers_exactly_the_buttons_of_the_transition_table(client, editor, writer):
    client.force_login(editor)
    for state in STATES:
        article = article_in(state, owner=writer)
        page = BeautifulSoup(client.get(f"/admin/articles/article/{article.pk}/change/").content, "html.parser")
        # The next action as a button, the others in the list its "other" button does.
        offered = {button["value"] for button in page.select("button[name=_transition]")} - {"other"}
        offered |= {option["value"] for option in page.select("select[name=action-other] option") if option["value"]}
        assert offered == {t.name for t in workflow.available_transitions(article, editor)}, state
        assert "update" not in offered  # an update happens by saving the story


def test_a_transition_without_a_button_cannot_be_posted(client, editor, writer):
    article = article_in("live", owner=writer)
    client.force_login(editor)
    assert client.post(f"/admin/articles/article/{article.pk}/transition/update/").status_code == 404


def test_a_check_added_to_the_publish_checklist_stops_publishing(editor, writer, monkeypatch):
    monkeypatch.setattr(workflow, "PUBLISH_CHECKS", [*workflow.PUBLISH_CHECKS])

    @workflow.publish_check
    def embargo(article):
        return "The embargo has not lifted." if "embargoed" in article.headline else None

    article = article_in("in_review", owner=writer)
    article.headline = "An embargoed story"
    article.save()
    with pytest.raises(workflow.WorkflowError, match="Not ready to publish: The embargo has not lifted."):
        workflow.publish(article, user=editor)
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_a_writer_withdraws_a_submission_to_fix_it(client, writer):
    article = article_in("in_review", owner=writer)
    client.force_login(writer)
    page = BeautifulSoup(client.get(f"/admin/articles/article/{article.pk}/change/").content, "html.parser")
    assert page.select_one("form[action$='/transition/withdraw/'] button").get_text() == "Withdraw from review"

    response = client.post(
        f"/admin/articles/article/{article.pk}/transition/withdraw/",
        {"comment": "A typo in the headline."},
        follow=True,
    )
    assert "Withdraw from review: done" in response.content.decode()
    article.refresh_from_db()
    assert article.status == "draft" and article.can_be_edited_by(writer)
    log = article.transitions.get()
    assert (log.action, log.from_status, log.to_status, log.comment) == (
        "withdraw",
        "in_review",
        "draft",
        "A typo in the headline.",
    )


def test_only_the_stories_writer_may_withdraw_it(other_writer, editor, writer):
    article = article_in("in_review", owner=writer)
    for user in [other_writer, editor]:  # an editor sends it back with a comment: "Return to draft"
        with pytest.raises(PermissionDenied):
            workflow.withdraw(article, user=user)
    assert "withdraw" not in {t.name for t in workflow.available_transitions(article, editor)}
    assert footprint(article)[:3] == ("in_review", None, 0)


def test_a_scheduled_story_is_rescheduled_and_stays_hidden_until_then(editor, writer):
    article = article_in("scheduled", owner=writer)
    first = article.published_at
    later = first + timedelta(days=2)
    workflow.reschedule(article, user=editor, publish_at=later, comment="Hold for the weekend.")
    article.refresh_from_db()
    assert (article.state, article.published_at) == ("scheduled", later)
    assert not Article.objects.published().filter(pk=article.pk).exists()
    log = article.transitions.get()
    assert (log.action, log.publish_at) == ("reschedule", later)
    assert log.comment == f"Was scheduled for {timezone.localtime(first):%d %b %Y, %H:%M %Z}. Hold for the weekend."


def test_a_reschedule_to_a_time_in_the_past_is_refused_with_a_clear_message(client, editor, writer):
    article = article_in("scheduled", owner=writer)
    before = footprint(article)
    with pytest.raises(workflow.WorkflowError, match="The new time has passed: choose a time in the future."):
        workflow.reschedule(article, user=editor, publish_at=timezone.now() - timedelta(minutes=1))
    client.force_login(editor)
    past = timezone.localtime(timezone.now() - timedelta(hours=1))
    response = client.post(
        f"/admin/articles/article/{article.pk}/transition/reschedule/",
        {"publish_at": f"{past:%Y-%m-%dT%H:%M}"},
        follow=True,
    )
    assert "Reschedule: New time – Choose a time in the future." in response.content.decode()
    assert footprint(article) == before


@pytest.mark.parametrize("state", ["draft", "in_review", "live", "unpublished"])
def test_only_a_scheduled_story_can_be_rescheduled(editor, writer, state):
    article = article_in(state, owner=writer)
    with pytest.raises(workflow.WorkflowError):
        workflow.reschedule(article, user=editor, publish_at=timezone.now() + timedelta(days=1))
    assert footprint(article)[2] == 0


def test_a_writer_cannot_reschedule(writer):
    article = article_in("scheduled", owner=writer)
    with pytest.raises(PermissionDenied):
        workflow.reschedule(article, user=writer, publish_at=timezone.now() + timedelta(days=3))


def test_a_reschedule_before_the_embargo_is_refused(editor, writer):
    article = article_in("scheduled", owner=writer)
    article.embargoed_until = article.published_at
    article.save()
    with pytest.raises(workflow.WorkflowError, match="reschedule it for then or later"):
        workflow.reschedule(article, user=editor, publish_at=article.embargoed_until - timedelta(hours=1))


def test_a_reschedule_tells_readers_caches_the_story_moved(editor, writer, django_capture_on_commit_callbacks):
    from articles.changes import content_changed

    heard = []
    content_changed.connect(lambda sender, change, **kwargs: heard.append(change), weak=False, dispatch_uid="heard")
    try:
        article = article_in("scheduled", owner=writer)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.reschedule(article, user=editor, publish_at=timezone.now() + timedelta(hours=2))
    finally:
        content_changed.disconnect(dispatch_uid="heard")
    assert [(change.stories, change.came_or_went) for change in heard] == [(frozenset({article.pk}), True)]
