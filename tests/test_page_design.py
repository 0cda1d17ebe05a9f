"""What the readers' pages' markup promises their design: one h1 on every page type, heading
levels in order (a card under a heading of its own is an h3), the story's address for print."""

import pytest
from bs4 import BeautifulSoup

from articles.models import Article
from demo.content import load_demo
from fronts.models import Front

pytestmark = pytest.mark.django_db

SEED = "/2024/05/16/xi-putin-resolve-to-deepen-partnership-accuse-us-of-upsetting-strategic-balance/"
PAGES = [
    "/",
    "/latest/",
    SEED,
    "/world/",
    "/world/asia/",
    "/tags/",
    "/tags/china/",
    "/authors/",
    "/authors/sandeep-dikshit/",
    "/search/?q=bus",
    "/about/",
    "/contact/",
    "/corrections-policy/",
    "/no-such-page/",
]


@pytest.fixture
def demo(db):
    load_demo(password="demo-password-for-tests", pictures=False)


HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
SECTIONING = ["section", "article", "aside", "nav"]


def levels(response) -> list[int]:
    main = BeautifulSoup(response.content, "html.parser")
    return [int(h.name[1]) for h in main.find_all(HEADINGS)]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_type_has_one_h1_first_and_no_skipped_heading_level(client, demo, path):
    found = levels(client.get(path))
    assert found[0] == 1 and found.count(1) == 1, found
    assert all(b - a <= 1 for a, b in zip(found, found[1:], strict=False)), found


def test_the_home_and_a_section_without_a_front_keep_their_cards_at_h2(client, demo):
    Front.objects.all().delete()
    for path in ("/", "/world/"):
        found = levels(client.get(path))
        assert found[0] == 1 and set(found[1:]) == {2}, (path, found)


@pytest.mark.parametrize("path", PAGES)
def test_every_section_element_has_a_heading_of_its_own(client, demo, path):
    # The Nu HTML Checker warns of a <section> without one (make standards): such a block is a <div>.
    # A card's headline is its <article>'s, not the section's.
    page = BeautifulSoup(client.get(path).content, "html.parser")
    headless = [
        section.get("class")
        for section in page.find_all("section")
        if not any(heading.find_parent(SECTIONING) is section for heading in section.find_all(HEADINGS))
    ]
    assert not headless, headless


def test_a_front_block_with_a_heading_has_h3_cards_and_its_lead_block_h2(client, demo):
    page = BeautifulSoup(client.get("/").content, "html.parser")
    assert page.select_one(".masthead h1").get_text(strip=True) == "The Newsroom"
    assert page.select_one(".card--lead .card__headline").name == "h2"
    headed = [block for block in page.select(".front-block") if block.select_one(".front-block__heading")]
    assert headed and all(card.name == "h3" for block in headed for card in block.select(".card__headline"))


def test_the_story_carries_its_address_for_print_and_a_preview_does_not(client, demo):
    from django.contrib.auth.models import User

    page = BeautifulSoup(client.get(SEED).content, "html.parser")
    assert page.select_one("article.story")["data-url"] == f"http://127.0.0.1:8000{SEED}"
    client.force_login(User.objects.get(username="editor"))  # the demo's
    draft = Article.objects.exclude(status=Article.Status.PUBLISHED).first()
    preview = BeautifulSoup(client.get(f"/admin/articles/article/{draft.pk}/preview/").content, "html.parser")
    assert preview.select_one("article.story") and not preview.select_one("article.story").has_attr("data-url")
