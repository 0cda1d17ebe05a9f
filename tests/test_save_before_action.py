"""A workflow button pressed with unsaved edits saves them first, in the same transaction; an
edit or an action that is not valid leaves nothing done and everything typed in the form."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from articles.models import Article, ArticleTransition
from tests.factories import form_data, make_article, make_author

pytestmark = pytest.mark.django_db


def url(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


@pytest.fixture
def draft(writer):
    return make_article("Council vote", status=Article.Status.DRAFT, created_by=writer, authors=[make_author()])


def test_an_edit_then_submit_keeps_the_edit(client, writer, draft):
    client.force_login(writer)
    data = {**form_data(draft, headline="Council votes 31 to 9"), "_transition": "submit", "action-comment": "Ready."}
    response = client.post(url(draft), data, follow=True)
    draft.refresh_from_db()
    assert (draft.headline, draft.status) == ("Council votes 31 to 9", Article.Status.IN_REVIEW)
    assert "Your changes are saved. Submit for review: done" in response.content.decode()
    assert draft.transitions.get().comment == "Ready."


def test_an_edit_then_schedule_keeps_the_edit(client, editor, draft):
    client.force_login(editor)
    when = timezone.localtime(timezone.now() + timedelta(days=1)).replace(microsecond=0)
    data = {
        **form_data(draft, standfirst="The vote is tomorrow."),
        "_transition": "schedule",
        "action-publish_at": f"{when:%Y-%m-%dT%H:%M}",
    }
    asked = client.post(url(draft), data)  # saved, then the schedule asks first
    assert asked.status_code == 302 and "/confirm/schedule/" in asked["Location"]
    draft.refresh_from_db()
    assert (draft.standfirst, draft.state) == ("The vote is tomorrow.", "draft")
    confirmed = {"publish_at": f"{when:%Y-%m-%dT%H:%M}", "_confirmed": "1"}
    client.post(f"/admin/articles/article/{draft.pk}/transition/schedule/", confirmed)
    draft.refresh_from_db()
    assert (draft.state, draft.published_at) == ("scheduled", when.replace(second=0))


def test_an_invalid_edit_then_publish_is_refused_with_the_text_still_there(client, editor, draft):
    client.force_login(editor)
    data = {**form_data(draft, headline="", body="<p>My rewritten body.</p>"), "_transition": "publish"}
    response = client.post(url(draft), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page and "My rewritten body." in page
    draft.refresh_from_db()
    assert (draft.headline, draft.status) == ("Council vote", Article.Status.DRAFT)


def test_an_invalid_action_input_saves_nothing_and_keeps_both_texts(client, editor, draft):
    client.force_login(editor)
    past = timezone.localtime(timezone.now() - timedelta(hours=1))
    data = {
        **form_data(draft, headline="Council votes tonight"),
        "_transition": "schedule",
        "action-comment": "Hold for the evening edition.",
        "action-publish_at": f"{past:%Y-%m-%dT%H:%M}",
    }
    response = client.post(url(draft), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Schedule: Publish at – Choose a time in the future." in page
    assert "Council votes tonight" in page and "Hold for the evening edition." in page
    draft.refresh_from_db()
    assert (draft.headline, draft.status) == ("Council vote", Article.Status.DRAFT)


def test_an_action_the_story_does_not_allow_keeps_the_saved_edit_and_says_why(client, editor, draft):
    client.force_login(editor)
    data = {**form_data(draft, body=""), "_transition": "publish"}
    response = client.post(url(draft), data, follow=True)
    assert "Your changes are saved, but “Publish now” was not done: Not ready to publish: The body is empty." in (
        response.content.decode()
    )
    draft.refresh_from_db()
    assert (draft.body, draft.status) == ("", Article.Status.DRAFT)


def test_a_writers_save_after_the_story_was_submitted_elsewhere_shows_their_text(client, writer, draft, editor):
    opened = form_data(draft)
    from articles import workflow

    workflow.submit(draft, user=writer)  # from another tab
    client.force_login(writer)
    response = client.post(url(draft), {**opened, "headline": "My better headline", "body": "<p>My new lede.</p>"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "This story is now in review (submitted for review by writer" in page
    assert "My better headline" in page and "<p>My new lede.</p>" in page
    draft.refresh_from_db()
    assert draft.headline == "Council vote"


def test_enter_in_a_field_saves_and_stays_rather_than_pressing_a_workflow_button(client, editor, draft):
    client.force_login(editor)
    page = BeautifulSoup(client.get(url(draft)).content, "html.parser")
    form = page.select_one("form#article_form")

    def submits_the_form(element) -> bool:
        submit = element.name == "button" and element.get("type", "submit") == "submit"
        submit = submit or (element.name == "input" and element.get("type") == "submit")
        return submit and (element.get("form") == "article_form" or form in element.parents)

    buttons = [element for element in page.find_all(["button", "input"]) if submits_the_form(element)]
    # The form's default button (the first in the page) is what Enter presses.
    assert buttons[0].get("name") == "_continue"
    # The next action most likely wanted is a button; the others are chosen from a list, then done.
    assert [button.get("value") for button in buttons if button.get("name") == "_transition"] == ["publish", "other"]
    others = [option["value"] for option in page.select("select[name=action-other] option") if option["value"]]
    assert others == ["submit", "schedule", "trash"]


@pytest.mark.parametrize(
    ("action", "fields", "log"),
    [
        ("unpublish", {"action-comment": "Legal asked us to."}, ["update", "unpublish"]),
        ("correct", {"action-kind": "correction", "action-text": "The vote was 31 to 9."}, ["update", "correct"]),
    ],
)
def test_an_edit_to_a_live_story_then_an_action_logs_both_in_order(client, editor, action, fields, log):
    """The edit was logged after the action ran: an Unpublish pressed with edits found the story
    already taken down and answered 500."""
    live = make_article("Council votes", authors=[make_author()])
    client.force_login(editor)
    data = {**form_data(live, headline="Council votes 31 to 9"), "_transition": action, **fields}
    response = client.post(url(live), data, follow=True)
    assert response.status_code == 200
    assert Article.objects.get(pk=live.pk).headline == "Council votes 31 to 9"
    done = ArticleTransition.objects.filter(article=live).order_by("created_at", "id").values_list("action", flat=True)
    assert list(done) == log
