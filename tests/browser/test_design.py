"""The readers' design in a real browser: one centred container on every page type, cards in
columns on a desktop and one column on a phone, headlines below the page's h1, dark mode with
readable contrast, and a print stylesheet. Screenshots go to tmp_path, to look at a failure."""

import pytest

from demo.content import load_demo
from tests.factories import ensure_editorial_groups

SEED = "/2024/05/16/xi-putin-resolve-to-deepen-partnership-accuse-us-of-upsetting-strategic-balance/"
LISTINGS = ["/", "/latest/", "/world/", "/tags/china/", "/authors/maya-fernandes/", "/search/?q=bus"]
DESKTOP, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}

# The WCAG contrast of an element's text with the background it sits on (the first opaque one up the tree).
CONTRAST = """(el) => {
  const rgb = (value) => value.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const [R, G, B] = [r, g, b].map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  let node = el, background;
  while (node) {
    const colour = getComputedStyle(node).backgroundColor;
    if (rgb(colour).length === 3 || rgb(colour)[3] > 0) { background = rgb(colour).slice(0, 3); break; }
    node = node.parentElement;
  }
  background = background || [255, 255, 255];
  const [a, b] = [luminance(rgb(getComputedStyle(el).color).slice(0, 3)), luminance(background)].sort((x, y) => y - x);
  return {ratio: (a + 0.05) / (b + 0.05), text: luminance(rgb(getComputedStyle(el).color).slice(0, 3)), background: luminance(background)};
}"""


@pytest.fixture
def site(live_server, transactional_db):
    ensure_editorial_groups()
    load_demo(password="demo-password-for-tests")
    return live_server.url


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_listings_and_the_story_share_one_centred_container_on_a_desktop(site, browser, tmp_path):
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.set_default_timeout(5000)
    page.goto(site + SEED)
    page.screenshot(path=tmp_path / "article-1440.png", full_page=True)
    story = box(page, ".article-page")
    assert story["width"] > 1000  # the story and its More lists use the page's width
    for path in LISTINGS:
        page.goto(site + path)
        page.screenshot(
            path=tmp_path / f"listing-{path.strip('/').replace('/', '-') or 'home'}-1440.png", full_page=True
        )
        main = box(page, "main")
        assert abs(main["x"] - (DESKTOP["width"] - main["x"] - main["width"])) <= 1, path  # centred
        listing = box(page, ".front, .card-grid")
        assert abs(listing["x"] - story["x"]) <= 1 and abs(listing["width"] - story["width"]) <= 1, path
        cards = page.locator(":is(.front, .card-grid) .card:not(.card--lead)")
        if path in ("/", "/latest/", "/search/?q=bus") or cards.count() > 1:
            first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
            assert second["x"] > first["x"] + first["width"], path  # side by side, not one narrow column


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1440", "390"])
def test_no_card_headline_is_bigger_than_the_page_h1(site, browser, viewport):
    page = browser.new_context(viewport=viewport).new_page()
    for path in [*LISTINGS, SEED]:
        page.goto(site + path)
        h1 = page.eval_on_selector("h1", "el => parseFloat(getComputedStyle(el).fontSize)")
        cards = page.eval_on_selector_all(
            ".card__headline", "els => els.map(el => parseFloat(getComputedStyle(el).fontSize))"
        )
        assert cards and max(cards) <= h1, (path, h1, max(cards))


def test_on_a_phone_every_page_is_one_column_and_nothing_overflows(site, browser, tmp_path):
    page = browser.new_context(viewport=PHONE).new_page()
    for path in [*LISTINGS, SEED, "/tags/", "/authors/", "/about/"]:
        page.goto(site + path)
        page.screenshot(path=tmp_path / f"{path.strip('/').replace('/', '-')[:40] or 'home'}-390.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        lefts = page.eval_on_selector_all(".card", "els => els.map(el => Math.round(el.getBoundingClientRect().left))")
        assert len(set(lefts)) <= 1, (path, set(lefts))


def test_dark_mode_is_dark_with_readable_text_links_dates_and_focus(site, browser, tmp_path):
    page = browser.new_context(viewport=DESKTOP, color_scheme="dark").new_page()
    page.goto(site + SEED)
    page.screenshot(path=tmp_path / "article-dark.png", full_page=True)
    body = page.eval_on_selector("body", CONTRAST)
    assert body["background"] < 0.02 and body["text"] > 0.7  # light text on a dark page
    checked = {
        "body text": ".story__body p",
        "standfirst": ".story__standfirst",
        "byline link": ".story__byline a",
        "date": ".story__published",
        "section link": ".breadcrumbs a",
        "More list link": ".more__heading a",
        "card date": ".card__meta time",
        "card section": ".card__section",
        "tag link": ".hashtags a",
        "footer link": ".site-footer a",
        "about box link": ".about__name a",
    }
    for name, selector in checked.items():
        assert page.eval_on_selector(selector, CONTRAST)["ratio"] >= 4.5, name
    # A focus outline stands out from the page (3:1, for what is not text).
    page.focus(".story__byline a")
    outline = page.eval_on_selector(
        ".story__byline a",
        "el => ({style: getComputedStyle(el).outlineStyle, colour: getComputedStyle(el).outlineColor})",
    )
    assert outline["style"] == "solid" and outline["colour"] == "rgb(236, 236, 236)"
    # Pictures are shown as they are.
    assert page.eval_on_selector_all("img", "els => els.every(el => getComputedStyle(el).filter === 'none')")
    page.goto(site + "/search/?q=bus")
    page.screenshot(path=tmp_path / "search-dark.png", full_page=True)
    for selector in (".card__headline a", "mark", ".card__meta time", ".search-form__hint"):
        assert page.eval_on_selector(selector, CONTRAST)["ratio"] >= 4.5, selector


def test_a_printed_story_has_its_headline_byline_dates_and_address_and_nothing_to_click(site, browser, tmp_path):
    page = browser.new_context(viewport={"width": 800, "height": 1100}).new_page()
    page.emulate_media(media="print")
    page.goto(site + SEED)
    page.screenshot(path=tmp_path / "article-print.png", full_page=True)
    for selector in (".story__headline", ".story__byline", ".story__published", ".story__body"):
        assert page.locator(selector).is_visible(), selector
    for selector in (".site-nav", ".site-search", ".site-footer", ".promo", ".more", ".hashtags", ".skip-link"):
        assert page.eval_on_selector(selector, "el => getComputedStyle(el).display") == "none", selector
    address = page.eval_on_selector(".story", "el => getComputedStyle(el, '::after').content")
    assert SEED in address and address.startswith('"Read online: http')
    page.pdf(path=tmp_path / "article.pdf")  # Chromium prints it: look at it when this fails
    page.emulate_media(media="screen")
    assert page.eval_on_selector(".story", "el => getComputedStyle(el, '::after').content") == "none"
    assert page.locator(".site-nav").is_visible()
