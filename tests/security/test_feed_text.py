"""Feeds say what they mean: plain text goes into feeds as text, and every XML document we serve
is well-formed whatever reached the database."""

import feedparser
import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree

from articles.models import Article
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

STANDFIRST = "Rates rise <b>sharply</b> & <script>alert(1)</script> as 5 < 6"
HEADLINE = "Banks & brokers <em>brace</em> for 5 < 6"


@pytest.fixture
def story():
    return make_article(HEADLINE, standfirst=STANDFIRST, authors=[make_author("Åse & Co <b>")], tags=["Rates"])


@pytest.mark.parametrize("feed", ["/feed/", "/feed/atom/", "/tags/rates/feed/"])
def test_a_standfirst_with_markup_reads_as_text_in_a_feed_reader(client, story, feed):
    entry = feedparser.parse(client.get(feed).content).entries[0]
    shown = BeautifulSoup(entry.summary, "html.parser")  # what a reader renders
    assert shown.get_text() == STANDFIRST
    assert shown.find(["b", "script"]) is None
    assert entry.title == HEADLINE


@pytest.mark.parametrize("text", ["Storm\x01 warning", "Storm\x1b[31m warning", "Storm\ufffe warning"])
@pytest.mark.parametrize("path", ["/feed/", "/feed/atom/", "/tags/rates/feed/", "/sitemap.xml", "/news-sitemap.xml"])
def test_xml_stays_well_formed_whatever_reached_the_database(client, story, text, path):
    # Past every form and importer (an old row, a shell, a bulk update): the last line holds.
    Article.objects.filter(pk=story.pk).update(headline=text, standfirst=text)
    response = client.get(path)
    assert response.status_code == 200
    ElementTree.fromstring(response.content)  # raises on anything XML 1.0 forbids
