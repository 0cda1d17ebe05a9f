"""The story form's search and social preview, in Chromium: it follows the editor's typing and
falls back as the readers' page does."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import SiteSettings
from demo import drawings
from newsroom.lib import images
from pictures.models import Picture
from tests.factories import log_in, make_article, make_author, make_picture, make_staff

PASSWORD = "correct horse battery"


@pytest.mark.django_db(transaction=True)
def test_the_preview_follows_what_the_editor_types(live_server, browser, artifacts):
    make_staff("editor", "Editors")
    site = SiteSettings.load()
    site.default_share_image = make_picture((1600, 900), alt="Masthead", colour=(20, 40, 80))
    site.save()
    story = make_article(
        "Night buses return after a long trial",
        standfirst="Six routes run again from Monday, every twenty minutes until 4 am.",
        body="<p>The council voted on Tuesday to keep the network.</p>",
        lead_image=Picture.create(
            images.clean_upload(drawings.as_upload(drawings.night_bus())), alt_text="A night bus at a stop"
        ),
        authors=[make_author("Asha Verma")],
    )
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    refused = []
    # What the browser refused under the CSP, other than the body editor's own (a vendored package).
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text
            and "django_prose_editor" not in message.location.get("url", "")
            else None
        ),
    )
    log_in(page, live_server.url, "editor", PASSWORD)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")

    preview = page.locator("#social-preview")
    title, description = preview.locator("[data-preview=title]"), preview.locator("[data-preview=description]")
    headline, image = preview.locator("[data-preview=headline]"), preview.locator("[data-preview=image]")
    # Nothing set: the headline, the standfirst and the lead image, as on the page.
    assert title.inner_text() == "Night buses return after a long trial · The Newsroom"
    assert description.inner_text() == "Six routes run again from Monday, every twenty minutes until 4 am."
    assert headline.inner_text() == "Night buses return after a long trial"
    assert story.lead_image.folder in image.get_attribute("src")
    assert preview.locator("[data-preview=url]").inner_text().endswith(f"› {story.slug}")

    page.fill("#id_seo_title", "Night buses are back: routes, times and fares for every stop in the city")
    expect(title).to_have_text("Night buses are back: routes, times and fares for every stop ...")  # cut at 60
    page.fill("#id_meta_description", "Ünïcode ok. " + "Every route and every stop, listed. " * 8)
    expect(description).to_have_text(re.compile(r"^Ünïcode ok\. Every route.* \.\.\.$"))
    assert len(description.inner_text()) <= 155 + len(" ...")
    page.fill("#id_social_headline", "Ride home after midnight again")
    expect(headline).to_have_text("Ride home after midnight again")
    page.fill("#id_social_description", "")
    page.fill("#id_standfirst", "")
    # No standfirst: the card and the result take the body's text, as Article.summary does.
    expect(preview.locator("[data-preview=card-description]")).to_have_text(
        "The council voted on Tuesday to keep the network."
    )
    # What the README shows (docs/screenshots/search-social-preview.png).
    page.locator("fieldset.search-and-social").screenshot(path=artifacts / "search-social-preview.png")
    page.check("#id_image_remove")
    # The lead image removed: the site's default picture.
    expect(image).to_have_attribute("src", re.compile(re.escape(site.default_share_image.folder)))

    page.click("input[name=_continue]")
    page.wait_for_selector("text=was changed successfully")
    story.refresh_from_db()
    assert story.social_headline == "Ride home after midnight again" and story.lead_image is None
    assert refused == []
    context.close()
