"""The desk is accessible: axe-core finds nothing on any desk page, as an editor and as a writer;
the story form is worked through by keyboard, with a visible focus; nothing overflows a phone.

axe-core is vendored (tests/browser/vendor/axe-core/, MPL-2.0, the version standards/package.json
pins), so CI runs it without npm or a network."""

from pathlib import Path

import pytest
import reversion

from articles.models import Article
from tests.factories import log_in, make_article, make_author, make_picture, make_staff

PASSWORD = "correct horse battery"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2 A and AA (2.0 to 2.2) and axe's best practices, with WCAG 2.2's target size, as `make standards`.
AXE_RUN = """axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    rules: {"target-size": {enabled: true}},
}).then(r => r.violations.map(v => ({id: v.id, help: v.help, targets: v.nodes.map(n => n.target.join(" "))})))"""

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def newsroom():
    """A writer's story with a lead image, two authors in its byline and two revisions; one in review."""
    writer = make_staff("writer", "Writers")
    make_staff("editor", "Editors")
    picture = make_picture((1600, 900), alt="Flooded street")
    authors = [make_author("Asha Verma"), make_author("Maya Fernandes")]
    story = make_article(
        "Flood defences hold", status=Article.Status.DRAFT, authors=authors, lead_image=picture, created_by=writer
    )
    for body in ["<p>The walls held.</p>", "<h2>Overnight</h2><p>The walls held all night.</p>"]:
        with reversion.create_revision():
            story.body = body
            story.save()
            reversion.set_user(writer)
    in_review = make_article("Council passes the budget", status=Article.Status.IN_REVIEW, authors=authors[:1])
    return story, in_review, authors[0]


def desk_pages(story: Article, in_review: Article, author, role: str) -> list[tuple[str, str]]:
    articles = "/admin/articles/article"
    versions = list(reversion.models.Version.objects.get_for_object(story).order_by("pk"))
    compare = f"{articles}/{story.pk}/revisions/compare/?from={versions[0].pk}&to={versions[-1].pk}"
    pages = [
        ("dashboard", "/admin/"),
        ("article list", f"{articles}/"),
        ("new story", f"{articles}/add/"),
        ("story form", f"{articles}/{story.pk}/change/"),
        ("revisions", f"{articles}/{story.pk}/revisions/"),
        ("compare", compare),
        ("picture library", "/admin/pictures/picture/"),
        ("picture form", f"/admin/pictures/picture/{story.lead_image_id}/change/"),
        ("new picture", "/admin/pictures/picture/add/"),
    ]
    if role == "editor":
        pages += [
            ("trash", f"{articles}/?state={Article.State.TRASHED}"),
            ("import", f"{articles}/import-ninjs/"),
            ("publish confirmation", f"{articles}/{in_review.pk}/confirm/publish/"),
            ("author form", f"/admin/authors/author/{author.pk}/change/"),
        ]
    return pages


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return [f"{v['id']} ({v['help']}): {', '.join(v['targets'])}" for v in page.evaluate(AXE_RUN)]


@pytest.mark.parametrize("role", ["editor", "writer"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_any_desk_page(live_server, browser, newsroom, role, scheme):
    # bypass_csp: our CSP (rightly) refuses the injected axe script, as in standards/check.py.
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server.url, role, PASSWORD)
    found = {}
    for name, path in desk_pages(*newsroom, role):
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{name}: {path} answered {response.status}"
        page.wait_for_load_state("networkidle")
        if violations := axe_violations(page):
            found[name] = violations
    context.close()
    assert found == {}, "\n".join(f"{name}:\n  " + "\n  ".join(lines) for name, lines in found.items())


def test_the_story_form_is_worked_through_by_keyboard_with_a_visible_focus(live_server, browser, newsroom):
    story, _, _ = newsroom
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    log_in(page, live_server.url, "editor", PASSWORD)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    wanted = {
        "Move up": "button.desk-byline-up:not([disabled])",
        "Move down": "button.desk-byline-down:not([disabled])",
        "focal point": "button.desk-focal-open",
        "workflow": ".desk-panel button[type=submit]",
        "Save": "input[name=_save]",
    }
    marks = {name: page.locator(selector).first for name, selector in wanted.items()}
    for mark in marks.values():
        mark.evaluate("element => element.classList.add('desk-test-wanted')")
    reached, unseen = set(), []
    page.locator("body").focus()
    for _ in range(400):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const element = document.activeElement;
                const style = getComputedStyle(element);
                // (A date-time box's focus is on its inner fields: it matches :focus, not :focus-visible.)
                const visible = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
                    || style.boxShadow !== "none";
                return {wanted: element.classList.contains("desk-test-wanted"), visible,
                        name: element.outerHTML.slice(0, 120)};
            }"""
        )
        if not focused["visible"]:
            unseen.append(focused["name"])
        if focused["wanted"]:
            reached.add(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
        if len(reached) == len(wanted):
            break
    assert len(reached) == len(wanted), f"reached by Tab: {reached}"
    assert unseen == [], "focused without a visible focus indicator:\n" + "\n".join(unseen)
    context.close()


@pytest.mark.parametrize("page_name", ["article list", "story form", "compare"])
def test_nothing_overflows_a_phone(live_server, browser, newsroom, page_name):
    paths = dict(desk_pages(*newsroom, "editor"))
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, live_server.url, "editor", PASSWORD)
    page.goto(live_server.url + paths[page_name])
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
