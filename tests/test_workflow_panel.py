"""The story form's workflow panel: the next action most likely wanted as the button, the others in
a list, and one comment box whose text goes with whichever action is done; the body's word count."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from articles.models import Article, ArticleTransition
from authors.models import Author
from desk.models import Autosave
from newsroom.lib.html import reading_time, word_count
from tests.factories import form_data, make_article, make_author

pytestmark = pytest.mark.django_db


def article_in(state: str, owner) -> Article:
    now = timezone.now()
    status, published_at = {
        "draft": (Article.Status.DRAFT, None),
        "in_review": (Article.Status.IN_REVIEW, None),
        "scheduled": (Article.Status.PUBLISHED, now + timedelta(days=1)),
        "live": (Article.Status.PUBLISHED, now - timedelta(days=1)),
    }[state]
    author = Author.objects.get_or_create(name="Asha Verma", defaults={"slug": "asha-verma"})[0]
    return make_article("Council vote", status=status, published_at=published_at, created_by=owner, authors=[author])


def change(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def panel(client, article) -> BeautifulSoup:
    return BeautifulSoup(client.get(change(article)).content, "html.parser").select_one(".desk-panel")


def logged(article) -> list[tuple[str, str]]:
    rows = ArticleTransition.objects.filter(article=article).exclude(action="update").order_by("created_at", "id")
    return list(rows.values_list("action", "comment"))


@pytest.mark.parametrize(
    ("who", "state", "primary", "others"),
    [
        ("writer", "draft", "Submit for review", ["Move to the trash"]),
        ("editor", "draft", "Publish now", ["Submit for review", "Schedule", "Move to the trash"]),
        ("editor", "in_review", "Publish now", ["Return to draft", "Schedule", "Move to the trash"]),
        ("editor", "scheduled", "Reschedule", ["Unpublish", "Move to the trash"]),
        ("editor", "live", "Unpublish", ["Add a correction", "Move to the trash"]),
        ("writer", "in_review", "Withdraw from review", []),
    ],
)
def test_the_next_action_is_the_button_and_the_others_are_a_list(request, client, writer, who, state, primary, others):
    client.force_login(request.getfixturevalue(who))
    shown = panel(client, article_in(state, writer))
    assert shown.select_one(".desk-next__primary").get_text(strip=True) == primary
    assert [
        option.get_text() for option in shown.select("select[name=action-other] option") if option["value"]
    ] == others
    assert len(shown.select("textarea[name$=comment]")) == 1  # one comment box, whatever the action
    label = shown.select_one(".desk-next__label").get_text()
    assert label.startswith(f"{primary}: ")


def test_publish_stays_the_next_action_while_the_checklist_of_the_saved_story_stops_it(client, writer, editor):
    """What the checklist asks for is often typed into the form and published with the same press."""
    draft = make_article("Council vote", status=Article.Status.IN_REVIEW, body="", section=None, created_by=writer)
    client.force_login(editor)
    shown = panel(client, draft)
    assert "The body is empty." in shown.select_one(".desk-checklist").get_text()
    assert shown.select_one(".desk-next__primary").get_text(strip=True) == "Publish now"


def test_the_comment_box_says_what_it_is_for(client, writer, editor):
    client.force_login(writer)
    assert panel(client, article_in("draft", writer)).select_one(".desk-next__label").get_text() == (
        "Submit for review: note for the editor (optional)"
    )
    client.force_login(editor)
    shown = panel(client, article_in("in_review", writer))
    labels = {
        option.get_text(): option.get("data-comment-label")
        for option in shown.select("select[name=action-other] option")
    }
    assert labels["Return to draft"] == "Return to draft: comment for the writer (required)"
    assert shown.select_one("option[value=return]").get("data-comment-required") == "1"


@pytest.mark.parametrize(
    ("who", "state", "pressed", "other", "extra", "done"),
    [
        ("writer", "draft", "submit", "", {}, "submit"),
        ("editor", "in_review", "publish", "", {"_confirmed": "1"}, "publish"),
        ("editor", "in_review", "other", "return", {}, "return"),
        ("editor", "in_review", "other", "schedule", {"_confirmed": "1", "action-publish_at": "+1"}, "schedule"),
        ("editor", "scheduled", "reschedule", "", {"action-publish_at": "+2"}, "reschedule"),
        ("editor", "scheduled", "other", "unpublish", {}, "unpublish"),
        ("editor", "live", "unpublish", "", {}, "unpublish"),
        ("editor", "live", "other", "trash", {}, "trash"),
    ],
)
def test_each_action_takes_its_comment_from_the_one_box(
    request, client, writer, who, state, pressed, other, extra, done
):
    article = article_in(state, writer)
    client.force_login(request.getfixturevalue(who))
    for name, value in extra.items():
        if name == "action-publish_at":  # days from now, as the picker sends it
            extra[name] = f"{timezone.localtime() + timedelta(days=int(value)):%Y-%m-%dT%H:%M}"
    data = {
        **form_data(article),
        "_transition": pressed,
        "action-other": other,
        "action-comment": "Über-careful: the council’s vote.",
        **extra,
    }
    response = client.post(change(article), data, follow=True)
    assert response.status_code == 200
    action, comment = logged(article)[-1]
    assert (action, comment.split(" ")[-4:]) == (done, ["Über-careful:", "the", "council’s", "vote."])


def test_a_writer_who_may_not_edit_chooses_in_a_form_of_its_own(client, writer):
    article = article_in("in_review", writer)
    client.force_login(writer)
    form = panel(client, article).select_one("form.desk-next")
    assert form["action"].endswith("/transition/withdraw/")
    client.post(form["action"], {"comment": "A typo in the second paragraph."})
    assert logged(article) == [("withdraw", "A typo in the second paragraph.")]


@pytest.mark.parametrize(
    ("state", "pressed", "action", "error"),
    [
        (
            "in_review",
            "other",
            "return",
            "Return to draft: Comment for the writer (required) – This field is required.",
        ),
        ("scheduled", "other", "unpublish", "Unpublish: Reason (required) – This field is required."),
    ],
)
def test_a_required_comment_left_empty_is_refused_with_everything_typed_kept(
    client, writer, editor, state, pressed, action, error
):
    article = article_in(state, writer)
    client.force_login(editor)
    data = {**form_data(article, headline="Council votes 31 to 9"), "_transition": pressed, "action-other": action}
    response = client.post(change(article), {**data, "action-comment": "  "})
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert error in page.get_text()
    assert page.select_one("#id_headline")["value"] == "Council votes 31 to 9"
    assert page.select_one(f"select[name=action-other] option[value={action}]").has_attr("selected")
    assert (
        page.select_one(".desk-next__label")
        .get_text()
        .startswith(page.select_one(f"option[value={action}]").get_text())
    )
    assert logged(article) == [] and Article.objects.get(pk=article.pk).headline == "Council vote"


def test_a_refused_time_keeps_the_comment_typed_in_the_box(client, writer, editor):
    article = article_in("in_review", writer)
    client.force_login(editor)
    past = timezone.localtime() - timedelta(hours=1)
    data = {
        **form_data(article),
        "_transition": "other",
        "action-other": "schedule",
        "action-comment": "Hold for the evening edition.",
        "action-publish_at": f"{past:%Y-%m-%dT%H:%M}",
    }
    page = BeautifulSoup(client.post(change(article), data).content, "html.parser")
    assert page.select_one("textarea[name=action-comment]").get_text().strip() == "Hold for the evening edition."
    assert "Choose a time in the future." in page.select_one(".desk-next").get_text()
    assert logged(article) == []


def test_the_other_button_with_nothing_chosen_does_nothing_and_says_so(client, writer, editor):
    article = article_in("in_review", writer)
    client.force_login(editor)
    data = {**form_data(article, headline="Council votes 31 to 9"), "_transition": "other", "action-other": ""}
    response = client.post(change(article), data)
    assert "Choose one of the other actions first, then press its button." in response.content.decode()
    assert logged(article) == [] and Article.objects.get(pk=article.pk).headline == "Council vote"


def test_an_action_the_user_may_not_take_cannot_be_chosen_by_posting_it(client, writer):
    article = article_in("draft", writer)
    client.force_login(writer)
    data = {**form_data(article), "_transition": "other", "action-other": "publish", "_confirmed": "1"}
    response = client.post(change(article), data, follow=True)
    assert "was not done" in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT and logged(article) == []


def test_the_autosave_keeps_the_comment_and_the_action_chosen():
    data = {
        "headline": "Council vote",
        "action-comment": "Needs a quote.",
        "action-other": "return",
        "_transition": "x",
    }
    kept = Autosave.keepable(_querydict(data))
    assert kept["action-comment"] == ["Needs a quote."] and kept["action-other"] == ["return"]
    assert "_transition" not in kept


def _querydict(data: dict):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name, value in data.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return query


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ("", "0 words · 1 min read"),
        ("<p>One</p><p>two</p>", "2 words · 1 min read"),
        ("<h2>Über</h2><p>the council’s vote<br>passed 31–9</p>", "7 words · 1 min read"),
        ("<p>" + "word " * 460 + "</p>", "460 words · 2 min read"),
        ("<p>" + "word " * 1 + "</p>", "1 word · 1 min read"),
    ],
)
def test_the_word_count_and_reading_time(body, shown):
    assert reading_time(word_count(body)) == shown


def test_the_body_shows_its_word_count_without_javascript(client, writer):
    article = make_article("Council vote", status=Article.Status.DRAFT, created_by=writer, authors=[make_author()])
    Article.objects.filter(pk=article.pk).update(body="<p>" + "vote " * 700 + "</p>")
    client.force_login(writer)
    page = BeautifulSoup(client.get(change(article)).content, "html.parser")
    counted = page.select_one(".field-body .desk-wordcount")
    assert counted.get_text() == "700 words · 3 min read" and counted["aria-live"] == "polite"


def test_a_refused_action_from_the_panel_alone_keeps_the_comment_typed(client, writer):
    """A writer whose story is in review may only move it on: the panel is a form of its own. When
    its action is refused (here one posted that is not theirs to take), the page comes back with
    the message and the comment still in the box, not a redirect that drops it."""
    article = article_in("in_review", writer)
    client.force_login(writer)
    typed = "Pulled back: the figures in the third paragraph are wrong – Ünïcødé"
    response = client.post(f"/admin/articles/article/{article.pk}/transition/publish/", {"comment": typed})
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert "You may not use “Publish now” on this article." in page.select_one(".messagelist").get_text()
    assert page.select_one("textarea[name=comment]").get_text().strip() == typed
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW and logged(article) == []
