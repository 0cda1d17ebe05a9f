"""The whole editorial path in a real browser: write, submit, review, preview, publish, read."""

import pytest
from taggit.models import Tag

from articles.models import Section
from tests.factories import choose, log_in, make_author, make_staff

PASSWORD = "correct horse battery"


@pytest.mark.django_db(transaction=True)
def test_writer_submits_editor_publishes_reader_reads(live_server, browser, artifacts):
    make_staff("writer", "Writers")
    make_staff("editor", "Editors")
    make_author("Asha Verma")
    Tag.objects.create(name="Elections")
    Section.objects.create(name="City", slug="city")
    base = live_server.url

    # The writer writes a story with a tag and a byline, and submits it.
    writer = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    refused = []  # what the Content-Security-Policy blocked, if anything
    writer.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    log_in(writer, base, "writer", PASSWORD)
    writer.goto(f"{base}/admin/articles/article/add/")
    writer.fill("#id_headline", "Turnout rises in the city election")
    writer.fill("#id_standfirst", "More voters came out than at any election since 1998.")
    writer.locator(".ProseMirror[contenteditable=true]").click()
    writer.keyboard.type("Turnout reached 64 per cent on Sunday, the highest in a generation.")
    writer.fill("#id_dateline_place", "Riverton")
    writer.select_option("#id_section", label="City")  # the publish checklist asks for one
    choose(writer, "#id_tags + .select2", "Elections")
    writer.click("text=Add another Byline")
    choose(writer, "#bylines-0 .select2", "Asha Verma")
    writer.click("input[name=_continue]")
    writer.wait_for_selector("text=was added successfully")
    writer.screenshot(path=artifacts / "article-change-form.png", full_page=True)
    assert [text for text in refused if "style" not in text] == [], "no script was blocked"
    writer.click("button:has-text('Submit for review')")
    writer.wait_for_selector("text=Submit for review: done")
    assert "In review" in writer.locator(".desk-panel h2").inner_text()

    # The editor finds it under "Awaiting review", previews it and publishes it.
    editor = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    log_in(editor, base, "editor", PASSWORD)
    editor.click("text=Awaiting review (1)")
    editor.click("text=Turnout rises in the city election")
    with editor.context.expect_page() as preview_tab:
        editor.click("text=Preview")
    preview = preview_tab.value
    preview.wait_for_load_state()
    assert "Preview – not published" in preview.locator(".preview-banner").inner_text()
    assert "Turnout reached 64 per cent" in preview.locator(".story__body").inner_text()
    preview.close()
    editor.click("button:has-text('Publish now')")
    assert editor.locator("#desk-confirm-title").inner_text() == "Publish now?"
    editor.click("button:has-text('Yes, publish now')")
    editor.wait_for_selector("text=Publish now: done")

    # An anonymous reader finds it on the home page and reads it.
    reader = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    reader.goto(f"{base}/")
    reader.click("text=Turnout rises in the city election")
    assert reader.locator("h1").inner_text() == "Turnout rises in the city election"
    assert reader.locator(".story__byline").inner_text() == "By Asha Verma"
    assert "#Elections" in reader.locator(".hashtags").inner_text()
    reader.screenshot(path=artifacts / "article-phone.png", full_page=True)
