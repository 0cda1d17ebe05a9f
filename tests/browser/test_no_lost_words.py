"""No typed word is lost at the desk, in a real browser: buttons save first, two editors merge,
autosave survives a closed tab, leaving asks first, Ctrl+S saves, and presence is shown."""

import os
import re

import pytest
import reversion
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone

from articles.models import Article
from tests.factories import STAFF_PASSWORD, log_in, make_article, make_author, make_staff
from tests.servers import free_port, start_server
from tests.services import skip_or_fail

PASSWORD = STAFF_PASSWORD
BODY = "<p>The council met on Monday.</p><p>It voted on the budget.</p><p>The mayor spoke last.</p>"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def story():
    writer = make_staff("writer", "Writers")
    make_staff("editor", "Editors")
    article = make_article(
        "Council vote", status=Article.Status.DRAFT, body=BODY, created_by=writer, authors=[make_author("Asha Verma")]
    )
    with reversion.create_revision():
        reversion.add_to_revision(article)  # the version both editors open
    return article


def change_page(live_server, article) -> str:
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/"


def edit_paragraph(page, number: int, added: str) -> None:
    """Type at the end of paragraph `number` of the body editor."""
    page.locator(".ProseMirror[contenteditable=true] p").nth(number).click()
    page.keyboard.press("End")
    page.keyboard.type(added)


def wait_for_autosave(page) -> None:
    page.wait_for_selector("text=/autosaved at \\d/", timeout=15_000)


def test_an_edit_then_submit_keeps_the_edit(live_server, desk, story):
    page = desk("writer")
    page.goto(change_page(live_server, story))
    page.fill("#id_headline", "Council votes 31 to 9")
    page.click("button:has-text('Submit for review')")
    page.wait_for_selector("text=Your changes are saved. Submit for review: done")
    story.refresh_from_db()
    assert (story.headline, story.status) == ("Council votes 31 to 9", Article.Status.IN_REVIEW)


def test_an_edit_then_schedule_keeps_it(live_server, desk, story):
    page = desk("editor")
    page.goto(change_page(live_server, story))
    edit_paragraph(page, 0, " Bring a coat.")
    page.select_option("#id_action-other", "schedule")  # one of the other actions (the next one: Publish now)
    page.fill("#id_action-publish_at", f"{timezone.now().year + 1}-01-01T10:00")
    page.click(".desk-next__go")
    page.wait_for_selector("text=Your changes are saved.")  # then the schedule asks first
    page.click("button:has-text('Yes, schedule')")
    page.wait_for_selector("text=Schedule: done")
    story.refresh_from_db()
    assert story.state == "scheduled" and "The council met on Monday. Bring a coat." in story.body


def test_an_invalid_edit_then_publish_is_refused_with_the_text_still_there(live_server, desk, story):
    page = desk("editor")
    page.goto(change_page(live_server, story))
    page.fill("#id_headline", "")
    edit_paragraph(page, 1, " It passed.")
    page.locator("#id_headline").evaluate("field => field.removeAttribute('required')")  # as if sent anyway
    page.click("button:has-text('Publish now')")
    page.wait_for_selector("text=This field is required.")
    assert "It voted on the budget. It passed." in page.locator(".ProseMirror[contenteditable=true]").inner_text()
    story.refresh_from_db()
    assert (story.headline, story.status) == ("Council vote", Article.Status.DRAFT)


def test_two_editors_changing_different_fields_of_a_bylined_story_keep_both(live_server, desk, story):
    make_staff("second_editor", "Editors")
    first, second = desk("editor"), desk("second_editor")
    first.goto(change_page(live_server, story))
    second.goto(change_page(live_server, story))
    first.fill("#id_headline", "Council passes the budget")
    first.click("input[name=_continue]")
    first.wait_for_selector("text=was changed successfully")
    second.fill("#id_standfirst", "After a long night, a vote.")
    second.click("input[name=_continue]")
    second.wait_for_selector("text=their changes to the headline are kept, and yours are applied.")
    story.refresh_from_db()
    assert (story.headline, story.standfirst) == ("Council passes the budget", "After a long night, a vote.")
    assert [author.name for author in story.byline_authors] == ["Asha Verma"]


def test_both_changing_the_same_paragraph_are_offered_it_side_by_side(live_server, desk, story, artifacts):
    make_staff("second_editor", "Editors")
    first, second = desk("editor"), desk("second_editor")
    first.goto(change_page(live_server, story))
    second.goto(change_page(live_server, story))
    edit_paragraph(first, 1, " 31 to 9.")
    first.click("input[name=_continue]")
    first.wait_for_selector("text=was changed successfully")
    edit_paragraph(second, 1, " on Tuesday.")
    second.click("input[name=_continue]")
    second.wait_for_selector("text=Someone else saved this article while you were editing")
    second.screenshot(path=artifacts / "merge.png", full_page=False)
    assert second.locator(".desk-merge").count() == 1
    second.check("input[name=merge-body-0][value=theirs]")
    second.click("input[name=_continue]")
    second.wait_for_selector("text=was changed successfully")
    story.refresh_from_db()
    assert "It voted on the budget. 31 to 9." in story.body and "on Tuesday" not in story.body


def test_an_autosave_survives_closing_the_tab_and_is_offered_on_reopening(live_server, desk, story):
    page = desk("writer")
    page.goto(change_page(live_server, story))
    page.fill("#id_headline", "Council votes tonight, my headline")
    wait_for_autosave(page)
    page.close(run_before_unload=False)

    again = desk("writer")
    again.goto(change_page(live_server, story))
    assert "Restore your unsaved changes from" in again.locator(".desk-autosave-offer").inner_text()
    again.click("button:has-text('Restore them')")
    assert again.input_value("#id_headline") == "Council votes tonight, my headline"
    story.refresh_from_db()
    assert story.headline == "Council vote", "restoring saves nothing"


def test_a_new_story_never_saved_is_offered_on_the_add_page(live_server, desk, story):
    page = desk("writer")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_headline", "A story I never saved")
    wait_for_autosave(page)
    page.close(run_before_unload=False)

    again = desk("writer")
    again.goto(f"{live_server.url}/admin/")
    again.click("text=You have an unsaved new story from")
    again.click("button:has-text('Restore them')")
    assert again.input_value("#id_headline") == "A story I never saved"


def test_leaving_with_unsaved_changes_asks_first(live_server, desk, story):
    page = desk("writer")
    page.goto(change_page(live_server, story))
    page.fill("#id_headline", "Not saved yet")
    asked = []

    def dismiss(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    # Now leave for real, so the window's last requests reach the server before the test ends (a
    # window kept open by the dismissed question went on writing while the database was emptied).
    page.remove_listener("dialog", dismiss)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("about:blank")
    page.wait_for_timeout(300)


def test_ctrl_s_saves(live_server, desk, story):
    page = desk("writer")
    page.goto(change_page(live_server, story))
    page.fill("#id_standfirst", "Saved with the keyboard.")
    page.keyboard.press("Control+s")
    page.wait_for_selector("text=was changed successfully")
    story.refresh_from_db()
    assert story.standfirst == "Saved with the keyboard."


def test_presence_is_shown_to_the_second_editor_within_one_heartbeat_on_two_servers(browser, tmp_path):
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL (set DATABASE_URL): the two app servers share its database")
    if not os.environ.get("REDIS_URL"):
        skip_or_fail("needs Redis (set REDIS_URL): the two app servers share its cache")
    hasher = PBKDF2PasswordHasher()
    for username, name in [("maya", ("Maya", "Fernandes")), ("ben", ("Ben", "Okoro"))]:
        user = make_staff(username, "Editors")
        user.first_name, user.last_name = name
        user.password = hasher.encode(PASSWORD, hasher.salt())
        user.save()
    article = make_article("Shared story", status=Article.Status.DRAFT, authors=[make_author()])
    one, two = free_port(), free_port()
    beat = {"NEWSROOM_PRESENCE_HEARTBEAT_SECONDS": "2"}
    servers = [start_server(one, tmp_path / "static", **beat), start_server(two, tmp_path / "static", **beat)]
    try:
        pages = {}
        for username, port in [("ben", two), ("maya", one)]:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            log_in(page, f"http://127.0.0.1:{port}", username, PASSWORD)
            page.goto(f"http://127.0.0.1:{port}/admin/articles/article/{article.pk}/change/")
            pages[username] = page
        # Ben opened it first, through the other server: his page learns of Maya at its next heartbeat.
        notice = pages["ben"].locator("#desk-presence")
        notice.wait_for(state="visible", timeout=4_000)
        assert re.match(r"Maya Fernandes is editing this story \(since \d\d:\d\d\)\.", notice.inner_text())
        assert "Ben Okoro is editing this story" in pages["maya"].locator("#desk-presence").inner_text()
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)
