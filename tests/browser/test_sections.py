"""A reader on a phone and a desktop: the masthead stays compact, the sections row scrolls, a
section leads to its page and a story back to its section."""

import pytest

from demo.content import load_demo
from tests.factories import ensure_editorial_groups

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("device", VIEWPORTS)
def test_the_masthead_navigation_and_search_fit_in_the_top_of_a_phone(live_server, browser, artifacts, device):
    ensure_editorial_groups()
    load_demo(password="demo-password-for-tests")
    page = browser.new_context(viewport=VIEWPORTS[device]).new_page()
    base = live_server.url

    page.goto(f"{base}/")
    masthead = page.locator(".masthead").bounding_box()
    if device == "phone":
        # The masthead, the sections and the search: less than the first 120 px.
        assert masthead["y"] + masthead["height"] < 120, masthead
        row = page.locator(".site-nav ul")
        assert row.evaluate("row => row.scrollWidth > row.clientWidth"), "the sections scroll sideways"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "nothing widens the page"
    assert page.locator("#site-search").is_visible()
    page.screenshot(path=artifacts / f"sections-home-{device}.png")

    page.locator(".site-nav a", has_text="World").click()
    page.wait_for_url(f"{base}/world/")
    assert page.locator("h1").inner_text() == "World"
    assert page.locator(".site-nav a[aria-current]").inner_text() == "World"
    page.screenshot(path=artifacts / f"sections-world-{device}.png", full_page=True)

    page.locator(".site-nav a", has_text="City").click()
    page.wait_for_url(f"{base}/city/")
    page.locator(".card__headline a").first.click()
    assert page.locator(".story .breadcrumbs a").all_inner_texts() == ["City"]
    assert page.locator("section.more h2").first.inner_text().lower() == "more in city"
    page.screenshot(path=artifacts / f"sections-article-{device}.png", full_page=True)
