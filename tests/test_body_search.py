"""Search reads a story's body blocks as readers do (issue 19): the text of pull quotes, fact boxes
and tables is body text; the captions of the pictures its body shows are found with it, and follow
the picture's edits and the body's changes; an embed's caption is not searched (PostgreSQL's
triggers of migration 0024; SQLite searches the stored body)."""

import pytest
from bs4 import BeautifulSoup

from articles.models import Article
from tests.factories import make_article, make_author, make_picture

pytestmark = pytest.mark.django_db


def found(client, words: str) -> list[str]:
    page = BeautifulSoup(client.get("/search/", {"q": words}).content, "html.parser")
    return [headline.get_text(strip=True) for headline in page.select(".card__headline")]


def story(body: str, headline: str = "Harbour barrier closes") -> Article:
    return make_article(headline, body=body, authors=[make_author(headline.split()[0])])


def test_the_text_of_quotes_fact_boxes_and_tables_is_found(client):
    story(
        "<p>Gates rose.</p>"
        '<figure data-pullquote=""><blockquote><p>I slept through the tide.</p></blockquote>'
        "<figcaption>Aisha Bello</figcaption></figure>"
        '<aside data-factbox=""><h3>In numbers</h3><ul><li>Six floodgates</li></ul></aside>'
        "<table><thead><tr><th>Winter</th></tr></thead><tbody><tr><td>Overtopped</td></tr></tbody></table>"
    )
    for words in ["slept", "floodgates", "overtopped", "Bello"]:
        assert found(client, words) == ["Harbour barrier closes"], words


@pytest.mark.postgres
def test_a_body_pictures_caption_is_found_and_follows_its_edits(client):
    picture = make_picture((320, 200), alt="Gates at dusk")
    picture.caption = "Cormorants nest on the barrier's north gate"
    picture.save()
    shown = story(f'<p>Gates rose.</p><figure data-picture="{picture.pk}" data-size="wide"></figure>')
    story("<p>No pictures here.</p>", headline="Ferry timetable changes")
    assert found(client, "cormorants") == ["Harbour barrier closes"]

    picture.caption = "Herons wade below the south gate"
    picture.save()
    assert found(client, "herons") == ["Harbour barrier closes"] and found(client, "cormorants") == []

    shown.body = "<p>Gates rose.</p>"
    shown.save()
    assert found(client, "herons") == [], "a picture taken out of the body takes its caption with it"


@pytest.mark.postgres
def test_an_embeds_caption_and_address_are_not_searched(client):
    story(
        "<p>Gates rose.</p>"
        '<figure data-url="https://www.youtube.com/watch?v=M7lc1UVf-VE"><figcaption>Drone footage</figcaption></figure>'
    )
    assert found(client, "drone") == [] and found(client, "youtube") == []
    assert found(client, "gates") == ["Harbour barrier closes"]
