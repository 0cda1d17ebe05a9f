"""The byline roles the desk types reach readers: "By A and B. Additional reporting by C."."""

import pytest
from bs4 import BeautifulSoup

from articles.models import Byline
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    asha, li, maya, ola = (make_author(name) for name in ["Asha Verma", "Li Wei", "Maya Fernandes", "Ola Nordmann"])
    article = make_article("Floods close the valley road", authors=[asha, maya, li, ola])
    roles = {maya: "Additional reporting", ola: "Photographs by"}
    for author, role in roles.items():
        Byline.objects.filter(article=article, author=author).update(role=role)
    return article


def test_the_story_shows_each_role_after_the_byline(client, story):
    page = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    byline = page.select_one(".story__byline")
    assert " ".join(byline.get_text().split()) == (
        "By Asha Verma and Li Wei. Additional reporting by Maya Fernandes. Photographs by Ola Nordmann"
    )
    assert [a.get_text() for a in byline.select("a[rel=author]")] == ["Asha Verma", "Li Wei"], (
        "contributors with a role are not the page's authors"
    )
    assert [a.get_text() for a in byline.select("a")] == ["Asha Verma", "Li Wei", "Maya Fernandes", "Ola Nordmann"]


def test_a_card_shows_the_byline_without_the_roles(client, story):
    page = BeautifulSoup(client.get("/latest/").content, "html.parser")
    assert " ".join(page.select_one(".card__byline").get_text().split()) == "By Asha Verma and Li Wei"


def test_a_story_whose_every_byline_has_a_role_leads_with_the_first_role(client):
    article = make_article("Photo essay", authors=[make_author("Ola Nordmann")])
    Byline.objects.filter(article=article).update(role="Photographs and text")
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    assert page.select_one(".story__byline").get_text(" ", strip=True) == "Photographs and text by Ola Nordmann"
    assert [a.get_text() for a in page.select(".story__byline a[rel=author]")] == ["Ola Nordmann"]
    cards = BeautifulSoup(client.get("/latest/").content, "html.parser")
    assert cards.select_one(".card__byline").get_text(" ", strip=True) == "Photographs and text by Ola Nordmann"


def test_a_role_is_text_only(client):
    article = make_article("Escaped", authors=[make_author("Asha Verma"), make_author("Li Wei")])
    Byline.objects.filter(article=article, author__name="Li Wei").update(role='<b>Extra</b> "reporting" & Ünïcødé')
    byline = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser").select_one(".story__byline")
    assert byline.b is None
    assert " ".join(byline.get_text().split()) == 'By Asha Verma. <b>Extra</b> "reporting" & Ünïcødé by Li Wei'
