"""Staff write an author's bio in the same rich-text editor as the body: what they type is what
readers read, "&" included, and it comes back to the editor as typed."""

import pytest
from bs4 import BeautifulSoup

from articles.models import Article
from authors.models import Author
from tests.factories import log_in, make_article, make_author, make_staff

PASSWORD = "correct horse battery"

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_bio_typed_in_the_rich_text_editor_reads_back_as_typed(live_server, browser, settings):

    make_staff("editor", "Editors")
    author = make_author("Asha Verma", bio="")
    make_article("Floods", status=Article.Status.PUBLISHED, authors=[author])
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    log_in(page, live_server.url, "editor", PASSWORD)
    change = f"{live_server.url}/admin/authors/author/{author.pk}/change/"
    page.goto(change)
    editor = page.locator(".field-bio .ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.type("Covers floods & rivers for the ")
    page.keyboard.press("Control+b")
    page.keyboard.type("Tribune")
    page.keyboard.press("Control+b")
    page.keyboard.type(".")
    page.click("input[name=_continue]")
    page.wait_for_selector("text=was changed successfully")

    author.refresh_from_db()
    stored = BeautifulSoup(author.bio, "html.parser")
    assert "&amp; rivers" in author.bio and "&amp;amp;" not in author.bio
    assert stored.p.get_text() == "Covers floods & rivers for the Tribune."
    assert stored.strong.get_text().strip() == "Tribune"
    reopened = page.locator(".field-bio .ProseMirror[contenteditable=true]")
    assert reopened.inner_text().strip() == "Covers floods & rivers for the Tribune.", "no &amp; shown back"
    assert page.locator("textarea[name=bio]:visible").count() == 0, "no raw-HTML box"

    public = BeautifulSoup(page.request.get(live_server.url + author.get_absolute_url()).body(), "html.parser")
    bio = public.select_one(".author-header__bio")
    assert " ".join(bio.get_text().split()) == "Covers floods & rivers for the Tribune."
    assert bio.strong.get_text().strip() == "Tribune"
    assert Author.objects.count() == 1
    page.goto("about:blank")  # its last heartbeat reaches the server before the database is emptied
    page.wait_for_timeout(300)
    context.close()
