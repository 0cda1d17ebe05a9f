"""The focal point is set by clicking the picture (or with the arrow keys), and the crops it
gives are shown before saving; the number boxes follow, and the save remakes the renditions."""

import pytest

from articles.models import Article
from tests.factories import log_in, make_article, make_author, make_picture, make_staff

PASSWORD = "correct horse battery"

pytestmark = pytest.mark.django_db(transaction=True)


def test_clicking_the_picture_sets_the_focal_point_and_shows_the_crops(live_server, browser, settings):
    make_staff("editor", "Editors")
    picture = make_picture((1600, 900), alt="Flooded street")
    story = make_article("Flood defences", status=Article.Status.DRAFT, authors=[make_author()], lead_image=picture)
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    errors = []
    # Errors and CSP refusals, other than the body editor's own (a vendored package).
    page.on(
        "console",
        lambda message: (
            errors.append(f"{message.text} at {message.location.get('url')}")
            if message.type == "error" and "django_prose_editor" not in message.location.get("url", "")
            else None
        ),
    )
    log_in(page, live_server.url, "editor", PASSWORD)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")

    page.click("button.desk-focal-open[data-focal-for=image]")
    whole = page.locator(".desk-focal__picture")
    whole.wait_for()
    page.wait_for_function("document.querySelector('.desk-focal__picture').complete")
    box = whole.bounding_box()
    whole.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    assert page.input_value("#id_image_focal_x") == "25"
    assert page.input_value("#id_image_focal_y") == "75"
    assert page.locator(".desk-focal__position").inner_text() == "Focal point: 25% across, 75% down."
    assert page.locator(".desk-focal__crop").count() == 3

    # The 1:1 crop of a 16:9 picture keeps the point: its left edge moves to the left of the point.
    square = page.locator(".desk-focal__crop").nth(2)
    shifted = square.locator("img").evaluate("image => image.style.left")
    assert shifted == "0%", "the square crop is clamped at the picture's left edge"

    page.locator(".desk-focal__frame").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowUp")
    assert (page.input_value("#id_image_focal_x"), page.input_value("#id_image_focal_y")) == ("26", "65")

    page.click("input[name=_continue]")
    page.wait_for_selector("text=was changed successfully")
    picture.refresh_from_db()
    assert (picture.focal_x, picture.focal_y) == (0.26, 0.65)
    assert errors == []
    page.goto("about:blank")  # its last heartbeat reaches the server before the database is emptied
    page.wait_for_timeout(300)
    context.close()
