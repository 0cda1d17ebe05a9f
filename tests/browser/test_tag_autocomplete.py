"""A writer types a tag that does not exist yet into the tags autocomplete, ends it with a comma,
and the saved story has it: no separate box needed, nothing typed dropped."""

import pytest

from articles.models import Article
from tests.factories import log_in, make_article, make_author, make_staff

PASSWORD = "correct horse battery"

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_writer_creates_a_tag_from_the_autocomplete(live_server, browser):
    writer = make_staff("writer", "Writers")
    story = make_article("Sea defences", status=Article.Status.DRAFT, created_by=writer, authors=[make_author()])
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    log_in(page, live_server.url, "writer", PASSWORD)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.click(".field-tags .select2-selection")
    page.keyboard.type("Sea level rise,")
    page.wait_for_selector(".field-tags .select2-selection__choice:has-text('Sea level rise')")
    page.click("input[name=_continue]")
    page.wait_for_selector("text=was changed successfully")
    assert list(story.tags.names()) == ["Sea level rise"]
    page.goto("about:blank")  # its heartbeat and leaving beacon reach the server before the database is emptied
    page.wait_for_timeout(300)
    context.close()
