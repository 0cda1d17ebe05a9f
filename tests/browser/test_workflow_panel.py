"""The story form's workflow panel in a real browser: the next action as the button, another chosen
from the list with the one comment box saying what it is for, compact on a phone; and the body's
word count and reading time, counted again as the writer types."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import make_article, make_author, make_staff

BODY = "<p>The council met on Monday.</p><p>It voted on the budget.</p>"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def writer():
    make_staff("editor", "Editors")
    return make_staff("writer", "Writers")


def story(writer, status=Article.Status.DRAFT) -> Article:
    return make_article("Council vote", status=status, body=BODY, created_by=writer, authors=[make_author()])


def change_page(live_server, article) -> str:
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/"


def test_an_editor_chooses_another_action_and_its_comment_goes_with_it(live_server, desk, writer):
    article = story(writer, Article.Status.IN_REVIEW)
    page = desk("editor")
    page.goto(change_page(live_server, article))
    label, comment = page.locator(".desk-next__label"), page.locator("#id_action-comment")
    picker = page.locator("#id_action-publish_at")
    expect(page.locator(".desk-next__primary")).to_have_text("Publish now")
    expect(label).to_have_text("Publish now: note for the workflow history (optional)")
    assert page.locator(".desk-panel textarea[name$=comment]").count() == 1
    expect(picker).to_be_hidden()  # only for the actions that ask for a time

    page.select_option("#id_action-other", "schedule")
    expect(picker).to_be_visible()
    expect(page.locator(".desk-next__go")).to_have_text("Schedule")
    expect(label).to_have_text("Schedule: note for the workflow history (optional)")

    page.select_option("#id_action-other", "return")
    expect(picker).to_be_hidden()
    expect(label).to_have_text("Return to draft: comment for the writer (required)")
    expect(comment).to_have_attribute("aria-required", "true")
    comment.fill("Needs a quote from the mayor.")
    page.focus("#id_action-other")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Return to draft"
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Return to draft: done")
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.transitions.first().comment == "Needs a quote from the mayor."
    assert page.blocked == []


def test_a_required_comment_left_empty_is_refused_and_the_choice_kept(live_server, desk, writer):
    article = story(writer, Article.Status.IN_REVIEW)
    page = desk("editor")
    page.goto(change_page(live_server, article))
    page.fill("#id_headline", "Council votes 31 to 9")
    page.select_option("#id_action-other", "return")
    page.click(".desk-next__go")
    page.wait_for_selector("text=Comment for the writer (required) – This field is required.")
    expect(page.locator("#id_action-other")).to_have_value("return")
    expect(page.locator(".desk-next__label")).to_have_text("Return to draft: comment for the writer (required)")
    expect(page.locator("#id_headline")).to_have_value("Council votes 31 to 9")
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


@pytest.mark.parametrize(
    ("who", "status", "ready"),
    [
        ("writer", Article.Status.DRAFT, True),
        ("editor", Article.Status.DRAFT, True),
        ("editor", Article.Status.DRAFT, False),  # with the checklist of what stops it going live
        ("writer", Article.Status.IN_REVIEW, True),
        ("editor", Article.Status.IN_REVIEW, True),
        ("editor", Article.Status.IN_REVIEW, False),
    ],
)
def test_the_panel_leaves_most_of_a_phones_first_screen_to_the_story(
    live_server, desk, writer, artifacts, who, status, ready
):
    if ready:
        article = story(writer, status)
    else:
        article = make_article("Council vote", status=status, body="", section=None, created_by=writer)
    page = desk(who, width=390, height=844)
    page.goto(change_page(live_server, article))
    panel = page.locator(".desk-panel")
    panel.screenshot(path=artifacts / f"desk-panel-{who}-{status}{'' if ready else '-unready'}-390.png")
    box = panel.bounding_box()
    assert box["width"] <= 390
    assert box["height"] < 400, f"the panel is {box['height']:.0f} px tall"
    print(f"panel height at 390x844, {who} on a {status} (ready: {ready}): {box['height']:.0f} px")


def test_the_word_count_follows_the_writer_as_they_type(live_server, desk, writer):
    article = story(writer)
    page = desk("writer")
    page.goto(change_page(live_server, article))
    counted = page.locator(".field-body .desk-wordcount")
    expect(counted).to_have_text("10 words · 1 min read")
    expect(counted).to_have_attribute("aria-live", "polite")
    page.locator(".ProseMirror[contenteditable=true] p").nth(1).click()
    page.keyboard.press("End")
    page.keyboard.type(" It passed by 31 votes to 9.")
    expect(counted).to_have_text("17 words · 1 min read")
    page.keyboard.press("Enter")
    page.keyboard.insert_text("word " * 450)
    expect(counted).to_have_text("467 words · 2 min read", timeout=10_000)
    assert page.blocked == []
