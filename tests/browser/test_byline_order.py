"""The byline is put in order by dragging a row or with Move up / Move down from the keyboard;
what is saved is the order shown, and no control on a byline row deletes an author's record."""

import pytest

from articles.models import Article
from authors.models import Author
from tests.factories import log_in, make_article, make_author, make_staff

PASSWORD = "correct horse battery"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def story():
    make_staff("editor", "Editors")
    authors = [make_author(name) for name in ["Asha Verma", "Li Wei", "Maya Fernandes"]]
    return make_article("Flood defences hold", status=Article.Status.DRAFT, authors=authors)


@pytest.fixture
def page(live_server, browser, story):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    log_in(page, live_server.url, "editor", PASSWORD)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.wait_for_selector(".desk-byline-sortable")
    yield page
    page.goto("about:blank")  # its last heartbeat reaches the server before the database is emptied
    page.wait_for_timeout(300)
    context.close()


def shown(page) -> list[str]:
    rows = page.locator("#bylines-group tr.form-row:not(.empty-form) td.field-author")
    return [text.strip() for text in rows.all_inner_texts()]


def saved(story) -> list[str]:
    story.refresh_from_db()
    return [author.name for author in story.byline_authors]


def save(page):
    page.click("input[name=_continue]")
    page.wait_for_selector("text=was changed successfully")


def test_the_keyboard_moves_a_name_and_the_order_shown_is_saved(page, story):
    assert shown(page)[0].startswith("Asha Verma")
    assert page.locator("#bylines-group input[name$='-position']:visible").count() == 0, "no numbers to type"
    maya_down = page.locator("#bylines-group tr.form-row:not(.empty-form)").nth(2).locator(".desk-byline-up")
    maya_down.focus()
    page.keyboard.press("Enter")  # Maya Fernandes up one
    assert page.locator(".desk-byline-status").inner_text() == "Maya Fernandes is now 2 of 3 in the byline."
    page.keyboard.press("Enter")  # and up again: focus stayed on her row
    assert [name.split("\n")[0] for name in shown(page)] == ["Maya Fernandes", "Asha Verma", "Li Wei"]
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Move down: Maya Fernandes", "at the top, the keyboard lands on her other button"
    save(page)
    assert saved(story) == ["Maya Fernandes", "Asha Verma", "Li Wei"]


def test_dragging_a_row_by_its_handle_reorders_and_saves(page, story):
    rows = page.locator("#bylines-group tr.form-row:not(.empty-form)")
    last = rows.nth(2).bounding_box()
    rows.nth(0).locator(".desk-byline-handle").drag_to(rows.nth(2), target_position={"x": 20, "y": last["height"] - 2})
    assert page.locator(".desk-byline-status").inner_text().startswith("Asha Verma is now 3 of 3")
    save(page)
    assert saved(story) == ["Li Wei", "Maya Fernandes", "Asha Verma"]


def test_no_byline_row_offers_to_delete_the_authors_record(page, story):
    group = page.locator("#bylines-group")
    assert group.locator("a.delete-related").count() == 0
    assert group.locator("td.original p:visible").count() == 0, "no 'Asha Verma on Flood defences…' labels"
    assert Author.objects.count() == 3
