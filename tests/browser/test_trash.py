"""Trash and restore in a real browser: an editor trashes a live story, a reader no longer finds
it, the editor finds it in the trash and restores it as a draft, which stays off the site."""

import pytest

from articles.models import Article
from tests.factories import log_in, make_article, make_author, make_staff

PASSWORD = "correct horse battery"


@pytest.mark.django_db(transaction=True)
def test_editor_trashes_a_live_story_and_restores_it_from_the_trash(live_server, browser, artifacts):
    make_staff("editor", "Editors")
    story = make_article("Harbour bridge to close for a year", authors=[make_author("Asha Verma")])
    base, address = live_server.url, live_server.url + story.get_absolute_url()

    def a_reader_gets() -> int:
        """What a reader arriving now gets (a browser that read the page keeps it up to its max-age)."""
        context = browser.new_context()
        status = context.new_page().goto(address).status
        context.close()
        return status

    assert a_reader_gets() == 200

    editor = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    refused = []  # what the Content-Security-Policy blocked, if anything
    editor.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    log_in(editor, base, "editor", PASSWORD)
    editor.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    assert editor.locator("a.deletelink").count() == 0  # no permanent delete
    editor.select_option("#id_action-other", "trash")  # one of the other actions (the next one: Unpublish)
    editor.click("button:has-text('Move to the trash')")  # a live story needs a reason
    editor.wait_for_selector("text=A reason for taking the story down is required")
    editor.fill("#id_action-comment", "Legal advice: hold until the hearing.")
    editor.select_option("#id_action-other", "trash")
    editor.click("button:has-text('Move to the trash')")
    editor.wait_for_selector("text=Move to the trash: done")
    assert "In the trash since" in editor.locator(".desk-panel h2").inner_text()
    assert "deleted for good on" in editor.locator(".desk-trashed").inner_text()
    assert a_reader_gets() == 404

    # Gone from the list; in the trash, one click from the list.
    editor.goto(f"{base}/admin/articles/article/")
    assert editor.locator("#result_list", has_text=story.headline).count() == 0
    editor.click(".object-tools a:has-text('Trash')")
    editor.wait_for_selector("text=In the trash since")
    editor.screenshot(path=artifacts / "desk-trash.png", full_page=True)
    editor.click(f"#result_list a:has-text('{story.headline}')")
    editor.click("button:has-text('Restore from the trash')")
    editor.wait_for_selector("text=Restore from the trash: done")
    assert editor.locator(".desk-panel h2").inner_text() == "Unpublished"
    assert editor.locator("button:has-text('Publish now')").count() == 1
    assert a_reader_gets() == 404  # restored as a draft: it never goes live by itself
    assert Article.objects.get(pk=story.pk).trashed_at is None
    assert [text for text in refused if "style" not in text] == [], "no script was blocked"
