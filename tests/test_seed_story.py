"""The seed story's page reads as ../shared/seed/demo.json describes."""

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from articles.models import Article

pytestmark = pytest.mark.django_db

DEMO = json.loads((Path(__file__).resolve().parent.parent / "demo" / "data" / "demo.json").read_text())
SEED_HEADLINE = "Xi, Putin resolve to deepen partnership, accuse US of upsetting strategic balance"


@pytest.fixture
def seed_page(demo, client):
    article = Article.objects.get(headline=SEED_HEADLINE)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_seed_story_lives_at_its_dated_url(demo):
    article = Article.objects.get(headline=SEED_HEADLINE)
    assert article.get_absolute_url() == (
        "/2024/05/16/xi-putin-resolve-to-deepen-partnership-accuse-us-of-upsetting-strategic-balance/"
    )


def test_seed_story_credit_byline_and_dateline(seed_page, client):
    credit = seed_page.select_one(".story__credit a")
    assert text(credit) == "Tribune News Service"
    assert client.get(credit["href"]).status_code == 200

    byline = seed_page.select(".story__byline a")
    assert [text(a) for a in byline] == ["Sandeep Dikshit"]
    assert client.get(byline[0]["href"]).status_code == 200

    dateline = seed_page.select_one(".story__dateline time")
    assert text(dateline) == "New Delhi, May 16"
    assert dateline["datetime"].startswith("2024-05-16T")
    # The seed's dateline gives no year; the full date, time and zone follow it.
    assert re.fullmatch(r"Published 16 May 2024, \d\d:\d\d UTC", text(seed_page.select_one(".story__published")))


def test_seed_story_body_has_seven_paragraphs(seed_page):
    paragraphs = seed_page.select(".story__body p")
    assert len(paragraphs) == 7
    assert text(paragraphs[0]).startswith("Weeks after US Secretary of State Antony Blinken")
    assert text(paragraphs[-1]).endswith("opposing foreign interference in Russia’s internal affairs.")


def test_seed_story_about_the_author_is_the_agency_only(seed_page):
    about = seed_page.select_one(".about")
    assert "About The Author" in text(about)
    names = [text(name) for name in about.select(".about__name")]
    assert names == ["Tribune News Service"]
    agency_bio = next(author["bio"] for author in DEMO["authors"] if author["name"] == "Tribune News Service")
    assert text(about.select_one(".about__bio")) == agency_bio


def test_seed_story_promo_line_and_hashtags(seed_page, client):
    assert text(seed_page.select_one(".promo")) == DEMO["site_promo"]["text"]
    # The site's promo line is no part of the story's text: an aside, which extractors leave out.
    assert seed_page.select_one(".promo").name == "aside"
    hashtags = seed_page.select(".hashtags a")
    assert [text(a) for a in hashtags] == ["#Antony Blinken", "#China", "#Russia"]
    for link in hashtags:
        assert client.get(link["href"]).status_code == 200


def test_seed_story_elements_come_in_reading_order(seed_page):
    order = [
        ".story__credit",
        ".story__headline",
        ".story__byline",
        ".story__dateline",
        ".story__body",
        ".about",
        ".promo",
        ".hashtags",
    ]
    elements = [seed_page.select_one(selector) for selector in order]
    positions = [element.sourceline for element in elements]
    assert positions == sorted(positions)
