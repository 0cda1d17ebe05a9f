"""The desk's dashboard in a real browser, at phone and desktop width: the editor finds the review
queue with who submitted what and why, and the schedule; the writer finds what came back to them
with the editor's comment; each row opens its story in one click."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import workflow
from articles.models import Article
from tests.factories import log_in, make_article, make_author, make_staff

PASSWORD = "correct horse battery"


def open_board(browser, base: str, username: str, width: int):
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    refused = []  # what the Content-Security-Policy blocked, if anything
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    log_in(page, base, username, PASSWORD)
    return page, refused


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [390, 1440])
def test_the_dashboards_queues_for_the_editor_and_the_writer(live_server, browser, artifacts, width):
    writer = make_staff("writer", "Writers")
    editor = make_staff("editor", "Editors")
    make_author("Maya Fernandes", user=writer)
    make_author("Lena Park", user=editor)
    base = live_server.url

    def draft(headline: str) -> Article:
        return make_article(headline, status=Article.Status.DRAFT, created_by=writer, authors=[writer.author])

    waiting = workflow.submit(draft("Flood defences hold"), user=writer, comment="Checked with the council.")
    returned = workflow.submit(draft("Council budget gap widens"), user=writer)
    workflow.return_to_draft(returned, user=editor, comment="Needs a second source.")
    at = timezone.now() + timedelta(days=1)
    workflow.schedule(draft("Ferry timetable changes"), user=editor, publish_at=at)

    # The editor: the review queue says who submitted it, and why; the schedule says when.
    page, refused = open_board(browser, base, "editor", width)
    queue = page.locator("#review-queue")
    assert queue.locator("h2").inner_text() == "Awaiting review (1)"
    row = queue.locator(".desk-row").first
    assert row.locator(".desk-row__meta").inner_text().startswith("Submitted by Maya Fernandes, ")
    assert row.locator(".desk-row__note").inner_text() == "Checked with the council."
    scheduled = page.locator("#scheduled .desk-row").first
    assert scheduled.locator(".desk-row__meta").inner_text() == f"Goes live {at:%a %-d %b, %H:%M} UTC"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "nothing wider than the screen"
    page.screenshot(path=artifacts / f"dashboard-editor-{width}.png", full_page=True)
    assert refused == [], "the dashboard needs nothing the Content-Security-Policy refuses"
    row.locator(".desk-row__title").click()
    page.wait_for_url(f"{base}/admin/articles/article/{waiting.pk}/change/")
    assert page.locator("#id_headline").input_value() == "Flood defences hold"

    # The writer: what came back, with the editor's comment; no review queue, no schedule.
    page, refused = open_board(browser, base, "writer", width)
    card = page.locator("#returned")
    assert card.locator("h2").inner_text() == "Returned to you (1)"
    assert card.locator(".desk-row__meta").inner_text().startswith("Returned by Lena Park, ")
    assert card.locator(".desk-row__note").inner_text() == "Needs a second source."
    assert page.locator("#review-queue").count() == 0 and page.locator("#scheduled").count() == 0
    states = page.locator("#my-stories .desk-states a").all_inner_texts()
    assert [" ".join(text.split()) for text in states] == [
        "1 Draft",
        "1 In review",
        "1 Scheduled",
        "0 Live",
        "0 Unpublished",
    ]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=artifacts / f"dashboard-writer-{width}.png", full_page=True)
    assert refused == []
    card.locator(".desk-row__title").click()
    page.wait_for_url(f"{base}/admin/articles/article/{returned.pk}/change/")
    assert page.locator("#id_headline").input_value() == "Council budget gap widens"
