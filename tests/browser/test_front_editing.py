"""An editor rearranges the home front by dragging a block at the desk; a reader sees the new order."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fronts.models import Block, arrange
from tests.factories import log_in, make_article, make_staff

PASSWORD = "correct horse battery"


def reader_headings(page) -> list[str]:
    return [text.strip() for text in page.locator(".front-block__heading").all_text_contents()]


@pytest.mark.django_db(transaction=True)
def test_editor_drags_a_block_to_the_top_and_readers_see_the_new_order(live_server, browser, artifacts):
    make_staff("editor", "Editors")
    stories = [
        make_article(f"{name} story", published_at=timezone.now() - timedelta(hours=n + 1))
        for n, name in enumerate(["Harbour", "Council", "Market"])
    ]
    arrange(
        blocks=[
            {"kind": Block.Kind.TOP, "count": 1, "title": title, "pins": [story]}
            for title, story in zip(["Alpha", "Beta", "Gamma"], stories, strict=True)
        ]
    )
    base = live_server.url
    reader = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    reader.goto(f"{base}/")
    assert reader_headings(reader) == ["Alpha", "Beta", "Gamma"]

    desk = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    refused = []  # what the Content-Security-Policy blocked, if anything
    desk.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    log_in(desk, base, "editor", PASSWORD)
    desk.goto(f"{base}/admin/fronts/front/")
    desk.click("a:text-is('Arrange')")
    desk.wait_for_url("**/change/")
    desk.screenshot(path=artifacts / "front-admin-1440.png", full_page=True)
    desk.wait_for_selector("fieldset.sortable")
    rows = desk.locator("fieldset.sortable tr.form-row.has_original")
    assert rows.count() == 3
    # Drag the third block by its handle onto the first one.
    desk.locator("#blocks-2 > td > p").drag_to(
        desk.locator("#blocks-0"), source_position={"x": 200, "y": 10}, target_position={"x": 200, "y": 10}
    )
    order = {
        title: desk.locator(f"#id_blocks-{n}-position").input_value()
        for n, title in enumerate(["Alpha", "Beta", "Gamma"])
    }
    assert order == {"Gamma": "1", "Alpha": "2", "Beta": "3"}
    desk.click("input[name=_save]")
    desk.wait_for_selector("text=was added successfully")
    assert [text for text in refused if "style" not in text] == [], "no script was blocked"

    # A new reader (the first one's browser may keep its copy for its max-age, a minute).
    reader = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    reader.goto(f"{base}/")
    assert reader_headings(reader) == ["Gamma", "Alpha", "Beta"]
    reader.screenshot(path=artifacts / "home-after-drag-390.png", full_page=True)
