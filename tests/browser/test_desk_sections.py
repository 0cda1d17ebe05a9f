"""An editor files a story in a section with a kicker at the desk, on a wide screen and a phone."""

import pytest

from articles.models import Article, Section
from tests.factories import log_in, make_article, make_author, make_staff

PASSWORD = "correct horse battery"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1440, 390])
def test_an_editor_sets_kicker_and_section_sees_the_checklist_clear_and_publishes(
    live_server, browser, artifacts, width
):
    make_staff("editor", "Editors")
    world = Section.objects.create(name="World", slug="world", position=1)
    Section.objects.create(name="Asia", slug="asia", parent=world)
    Section.objects.create(name="Politics", slug="politics", position=2)
    story = make_article(
        "Summit ends without a deal", status=Article.Status.DRAFT, section=None, authors=[make_author("Asha Verma")]
    )
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, live_server.url, "editor", PASSWORD)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    assert page.locator(".desk-checklist li").all_inner_texts() == ["Choose a section."]
    page.screenshot(path=artifacts / f"desk-section-before-{width}.png", full_page=True)

    page.fill("#id_kicker", "Analysis")
    page.select_option("#id_section", label="World › Asia")
    page.check("#id_also_in input[type=checkbox] >> nth=2")  # World, World › Asia, Politics
    page.click("input[name=_continue]")
    page.wait_for_selector("text=was changed successfully")
    assert page.locator(".desk-checklist").count() == 0, "nothing stops it now"
    assert page.input_value("#id_kicker") == "Analysis"
    page.screenshot(path=artifacts / f"desk-section-saved-{width}.png", full_page=True)

    page.click("button:has-text('Publish now')")
    page.click("button:has-text('Yes, publish now')")  # the confirmation (tests/browser/test_publish_confirmation.py)
    page.wait_for_selector("text=Publish now: done")
    story.refresh_from_db()
    assert (story.status, story.kicker, str(story.section)) == (Article.Status.PUBLISHED, "Analysis", "World › Asia")
    assert [section.name for section in story.also_in.all()] == ["Politics"]
