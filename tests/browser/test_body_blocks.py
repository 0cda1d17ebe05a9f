"""A story's body blocks in a real browser, on a phone (390 px) and a desktop (1440 px), light and
dark, and in print: no block widens the page, pictures take the width their display size says,
a wide table scrolls inside its region. Screenshots go to tmp_path, to look at a failure."""

from pathlib import Path

import pytest

from articles.models import Article
from pictures.models import Picture
from tests.factories import ensure_editorial_groups, make_article, make_author, make_picture

DESKTOP, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# As tests/browser/test_desk_accessibility.py and `make standards` run it.
AXE_RUN = """axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    rules: {"target-size": {enabled: true}},
}).then(r => r.violations.map(v => ({id: v.id, help: v.help, targets: v.nodes.map(n => n.target.join(" "))})))"""
WIDE_TABLE = (
    "<table><tr>"
    + "".join(f"<th>Quarterly figure {n}</th>" for n in range(8))
    + "</tr><tr>"
    + "".join(f"<td>{n * 1234567}</td>" for n in range(8))
    + "</tr></table>"
)


@pytest.fixture
def story(live_server, transactional_db) -> str:
    ensure_editorial_groups()
    pictures = [make_picture((1600, 900), alt=f"Harbour {n}", colour=(20 * n, 90, 160)) for n in range(4)]
    Picture.objects.filter(pk__in=[p.pk for p in pictures[:2]]).update(caption="The quay at dawn.", credit="Ana Lima")
    body = (
        "<p>The harbour opened at dawn.</p>"
        f'<figure data-picture="{pictures[0].pk}" data-size="inline"></figure><p>Text.</p>'
        f'<figure data-picture="{pictures[1].pk}" data-size="wide"></figure><p>Text.</p>'
        f'<figure data-picture="{pictures[2].pk}" data-size="full"></figure>'
        f'<figure data-gallery="{pictures[3].pk} {pictures[0].pk} {pictures[1].pk}"></figure>'
        '<figure data-pullquote=""><blockquote><p>We dive when the sea is still.</p></blockquote>'
        "<figcaption>Kari Nordmann</figcaption></figure>"
        '<aside data-factbox=""><h3>The harbour</h3><p>Built in 1899.</p><ul><li>12 ferries</li></ul></aside>'
        f"{WIDE_TABLE}"
        '<figure data-url="https://vimeo.com/1"><figcaption>The dive</figcaption></figure><p>The end.</p>'
    )
    article = make_article("Harbour blocks", body=body, authors=[make_author()], status=Article.Status.PUBLISHED)
    return live_server.url + article.get_absolute_url()


def width(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["width"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1440"])
def test_every_block_fits_the_screen_at_its_display_size(browser, story, tmp_path, viewport, scheme):
    page = browser.new_context(viewport=viewport, color_scheme=scheme).new_page()
    page.set_default_timeout(5000)
    page.goto(story)
    page.screenshot(path=tmp_path / f"blocks-{viewport['width']}-{scheme}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], "nothing widens the page"
    column = width(page, ".story__body")
    assert abs(width(page, ".body-picture--inline") - column) <= 1
    if viewport is PHONE:
        assert abs(width(page, ".body-picture--full") - viewport["width"]) <= 1, "full width: edge to edge"
        region = page.locator(".table-scroll")
        assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the wide table scrolls in its region"
        region.focus()
        page.keyboard.press("ArrowRight")
        for _ in range(20):  # the scroll may be smooth
            if region.evaluate("el => el.scrollLeft") > 0:
                break
            page.wait_for_timeout(50)
        assert region.evaluate("el => el.scrollLeft") > 0, "the keyboard scrolls it"
    else:
        # Beside the More lists every block keeps to the story's column.
        for selector in (".body-picture--wide", ".body-picture--full", ".table-scroll", "aside[data-factbox]"):
            assert width(page, selector) <= column + 1, selector
        assert (
            page.locator(".gallery__items > li").nth(1).bounding_box()["y"]
            == page.locator(".gallery__items > li").first.bounding_box()["y"]
        ), "a gallery in two columns"
    background = page.locator("aside[data-factbox]").evaluate("el => getComputedStyle(el).backgroundColor")
    paper = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != paper, "the fact box stands out from the page"


def test_a_wide_story_spreads_wide_and_full_pictures_past_the_text_column(browser, story):
    page = browser.new_context(viewport={"width": 1000, "height": 900}).new_page()  # 62.5rem: no More column
    page.goto(story)
    column = width(page, ".story__body")
    assert width(page, ".body-picture--wide") > column + 100
    assert width(page, ".body-picture--full") > width(page, ".body-picture--wide")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1000


def test_in_print_tables_show_whole_and_pictures_keep_to_the_page(browser, story):
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(story)
    page.emulate_media(media="print")
    assert page.locator(".table-scroll").evaluate("el => getComputedStyle(el).overflowX") == "visible"
    column = width(page, ".story__body")
    assert width(page, ".body-picture--full") <= column + 1
    heights = page.locator(".body-picture img").evaluate_all("els => els.map(el => el.getBoundingClientRect().height)")
    assert heights and max(heights) <= 9 / 2.54 * 96 + 1, "9 cm at most"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1440"])
def test_axe_finds_no_violation_in_a_story_with_every_block(browser, story, viewport, scheme):
    # bypass_csp: our CSP (rightly) refuses the injected axe script, as in standards/check.py.
    context = browser.new_context(viewport=viewport, color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    page.goto(story)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    violations = [f"{v['id']} ({v['help']}): {', '.join(v['targets'])}" for v in page.evaluate(AXE_RUN)]
    context.close()
    assert violations == []
