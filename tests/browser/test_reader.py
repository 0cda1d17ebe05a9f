"""A reader in a real browser: home page, an article, a hashtag, an author, a search; phone and desktop."""

import pytest

from demo.content import load_demo
from tests.factories import ensure_editorial_groups

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
SEED_HEADLINE = "Xi, Putin resolve to deepen partnership, accuse US of upsetting strategic balance"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("device", VIEWPORTS)
def test_reader_reads_clicks_a_hashtag_and_an_author_and_searches(live_server, browser, artifacts, device):
    ensure_editorial_groups()
    load_demo(password="demo-password-for-tests")
    page = browser.new_context(viewport=VIEWPORTS[device]).new_page()
    base = live_server.url

    page.goto(f"{base}/")
    page.screenshot(path=artifacts / f"home-{device}.png", full_page=True)
    assert page.locator(".card--lead").count() == 1

    page.goto(f"{base}/tags/china/")
    page.click(f"text={SEED_HEADLINE}")
    assert page.locator("h1").inner_text() == SEED_HEADLINE
    assert page.locator(".story__dateline").inner_text() == "New Delhi, May 16"
    page.screenshot(path=artifacts / f"article-{device}.png", full_page=True)

    page.click("text=#Russia")
    assert page.locator("h1").inner_text() == "#Russia"
    page.click(f"text={SEED_HEADLINE}")
    page.click(".story__byline >> text=Sandeep Dikshit")
    assert page.locator("h1").inner_text() == "Sandeep Dikshit"

    page.fill("#site-search", "Putin partnership")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search/?q=Putin+partnership")
    assert page.locator(".card__headline mark").count() >= 1
    page.screenshot(path=artifacts / f"search-{device}.png", full_page=True)

    # A search of one very long word is echoed back without widening the page.
    page.goto(f"{base}/search/?q={'x' * 300}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Keyboard users: the skip link is the first stop and leads to the content.
    page.goto(f"{base}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
