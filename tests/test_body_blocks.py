"""What readers get of a story body's blocks (issue 19): pictures from their renditions, galleries,
pull quotes, fact boxes, tables and embeds, on the story's page, its preview and share link, and in
its feeds; the pictures of a story (or of a feed) read in one query however many there are."""

from datetime import timedelta

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.body import picture_ids
from articles.models import Article, ShareLink
from authors.models import Author
from newsroom.lib.html import to_text, word_count
from pictures.models import Picture
from tests.factories import make_article, make_author, make_picture

pytestmark = pytest.mark.django_db
SITE = "http://127.0.0.1:8000"


@pytest.fixture
def photo() -> Picture:
    picture = make_picture((1600, 900), alt="Divers at the harbour wall")
    Picture.objects.filter(pk=picture.pk).update(caption="The harbour at dawn.", credit="Ana Lima")
    picture.refresh_from_db()
    return picture


def copies(picture: Picture, count: int) -> list[Picture]:
    """Pictures sharing one picture's files (renditions are what pages read; encoding them again is slow)."""
    fields = {name: getattr(picture, name) for name in ("file", "width", "height", "renditions", "credit")}
    return [Picture.objects.create(alt_text=f"Picture {n}", caption=f"Caption {n}.", **fields) for n in range(count)]


def story(body: str, headline: str = "Harbour story", **fields) -> Article:
    author = Author.objects.filter(name="Asha Verma").first() or make_author()
    return make_article(headline, body=body, authors=[author], **fields)


def story_body(client, article: Article) -> BeautifulSoup:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one(".story__body")


def test_an_inline_picture_shows_its_renditions_alt_caption_and_credit(client, photo):
    shown = story_body(client, story(f'<p>Before.</p><figure data-picture="{photo.pk}" data-size="inline"></figure>'))
    (figure,) = shown.find_all("figure")
    image = figure.img
    assert image["alt"] == "Divers at the harbour wall"
    assert image["src"].startswith("/media/pictures/") and (image["width"], image["height"]) == ("960", "540")
    assert [part.split()[1] for part in image["srcset"].split(", ")] == ["320w", "640w", "960w", "1280w", "1600w"]
    assert figure.source["type"] == "image/webp" and figure.source["srcset"].endswith("1600w")
    assert image["sizes"].startswith("(min-width: 64rem) 44rem") and image["sizes"] == figure.source["sizes"]
    assert figure.figcaption.get_text(" ", strip=True) == "The harbour at dawn. Ana Lima"
    assert "data-picture" not in str(shown), "readers get the picture, not the stored reference"


def test_a_picture_opening_a_story_without_a_lead_picture_loads_at_once(client, photo):
    (lead,) = copies(photo, 1)
    body = (
        f'<p>First.</p><figure data-picture="{photo.pk}"></figure><p>x</p><figure data-picture="{photo.pk}"></figure>'
    )
    first, later = story_body(client, story(body)).find_all("img")
    assert (first.get("loading"), first.get("fetchpriority")) == (None, "high") and later["loading"] == "lazy"
    led = story_body(client, story(body, headline="With a lead picture", lead_image=lead))
    assert [image["loading"] for image in led.find_all("img")] == ["lazy", "lazy"]


@pytest.mark.parametrize(
    ("size", "sizes"),
    [
        ("inline", "(min-width: 64rem) 44rem, (min-width: 42.5rem) 40rem, calc(100vw - 2.5rem)"),
        ("wide", "(min-width: 64rem) 44rem, (min-width: 58.5rem) 56rem, calc(100vw - 2.5rem)"),
        ("full", "(min-width: 64rem) 44rem, 100vw"),
        ("huge", "(min-width: 64rem) 44rem, (min-width: 42.5rem) 40rem, calc(100vw - 2.5rem)"),  # unknown: inline
    ],
)
def test_each_display_size_is_shown_at_its_width(client, photo, size, sizes):
    shown = story_body(client, story(f'<figure data-picture="{photo.pk}" data-size="{size}"></figure>'))
    assert shown.figure["class"] == ["body-picture", f"body-picture--{'inline' if size == 'huge' else size}"]
    assert shown.img["sizes"] == sizes


def test_a_picture_without_alt_text_is_described_by_its_caption(client, photo):
    Picture.objects.filter(pk=photo.pk).update(alt_text="")
    shown = story_body(client, story(f'<figure data-picture="{photo.pk}"></figure>'))
    assert shown.img["alt"] == "The harbour at dawn."
    Picture.objects.filter(pk=photo.pk).update(caption="")
    shown = story_body(client, story(f'<figure data-picture="{photo.pk}"></figure>', headline="Other"))
    assert shown.img["alt"] == "", "nothing known of it: the picture is passed over, never read out as a file name"


def test_a_picture_that_is_gone_or_has_no_renditions_shows_nothing(client, photo):
    (bare,) = copies(photo, 1)
    Picture.objects.filter(pk=bare.pk).update(renditions=[])
    body = f'<p>One.</p><figure data-picture="{photo.pk + 999}"></figure><figure data-picture="{bare.pk}"></figure><p>Two.</p>'
    shown = story_body(client, story(body))
    assert shown.find_all(["figure", "img", "picture"]) == []
    assert shown.get_text(" ", strip=True) == "One. Two."


def test_a_gallery_is_a_figure_holding_a_list_of_its_pictures_in_order(client, photo):
    first, second = copies(photo, 2)
    gone = second.pk + 999
    shown = story_body(client, story(f'<figure data-gallery="{second.pk} {gone} {first.pk} {second.pk}"></figure>'))
    gallery = shown.select_one("figure.gallery")
    assert gallery["aria-label"] == "Gallery of 2 pictures"
    items = gallery.select("ul.gallery__items > li > figure")
    assert [item.img["alt"] for item in items] == ["Picture 1", "Picture 0"]
    assert [item.figcaption.get_text(" ", strip=True) for item in items] == [
        "Caption 1. Ana Lima",
        "Caption 0. Ana Lima",
    ]
    assert all(item.img["srcset"] and item.img["loading"] == "lazy" for item in items)


@pytest.mark.parametrize(
    "table",
    [
        "<table><tbody><tr><th>Year</th><th>Ferries</th></tr><tr><td>2024</td><td>12</td></tr></tbody></table>",
        "<table><thead><tr><th>Year</th><th>Ferries</th></tr></thead><tbody><tr><td>2024</td><td>12</td></tr></tbody></table>",
    ],
    ids=["as-the-editor-writes-it", "with-a-head"],
)
def test_a_table_scrolls_in_a_region_the_keyboard_reaches_under_its_header_row(client, table):
    shown = story_body(client, story(f"<p>Figures.</p>{table}<p>After.</p>{table}"))
    regions = shown.select("div.table-scroll")
    assert [region["aria-label"] for region in regions] == ["Table 1", "Table 2"]
    assert all(region["role"] == "region" and region["tabindex"] == "0" for region in regions)
    head = regions[0].select("table > thead > tr > th")
    assert [(cell.get_text(), cell["scope"]) for cell in head] == [("Year", "col"), ("Ferries", "col")]
    assert [cell.get_text() for cell in regions[0].select("tbody td")] == ["2024", "12"]


def test_a_row_header_names_its_row(client):
    table = "<table><tr><th>Port</th><th>Ships</th></tr><tr><th>Oslo</th><td>4</td></tr></table>"
    shown = story_body(client, story(table))
    assert [(cell.get_text(), cell["scope"]) for cell in shown.select("tbody th")] == [("Oslo", "row")]


def test_pull_quotes_and_fact_boxes_are_shown_with_their_text(client):
    body = (
        '<figure data-pullquote=""><blockquote><p>We dive at dawn, when the sea is still.</p></blockquote>'
        "<figcaption>Kari Nordmann, diver</figcaption></figure>"
        '<aside data-factbox=""><h3>The harbour in numbers</h3><p>Built 1899.</p><ul><li>12 ferries</li></ul></aside>'
    )
    shown = story_body(client, story(body))
    quote = shown.select_one("figure[data-pullquote]")
    assert quote.blockquote.get_text(strip=True) == "We dive at dawn, when the sea is still."
    assert quote.figcaption.get_text() == "Kari Nordmann, diver"
    box = shown.select_one("aside[data-factbox]")
    # Its title one level below the headline whatever precedes it: the page's headings skip no level.
    assert box.h2.get_text() == "The harbour in numbers" and box.li.get_text() == "12 ferries"


def test_an_embed_is_rendered_by_the_embed_macro_and_loads_nothing_by_itself(client):
    url = "https://www.youtube.com/watch?v=abc123"
    page = client.get(
        story(
            f'<figure data-embed="youtube" data-url="{url}"><figcaption>The dive</figcaption></figure>'
        ).get_absolute_url()
    )
    html = page.content.decode()
    shown = BeautifulSoup(html, "html.parser").select_one(".story__body")
    assert url in [link["href"] for link in shown.find_all("a")]
    assert "The dive" in shown.get_text()
    assert "<iframe" not in html and "youtube.com/embed" not in html


def test_headings_are_kept_at_the_levels_the_page_allows(client):
    shown = story_body(client, story("<h1>Top</h1><h3>Mid</h3><h6>Low</h6>"))
    assert [(h.name, h.get_text()) for h in shown.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])] == [
        ("h2", "Top"),
        ("h3", "Mid"),
        ("h4", "Low"),
    ]


def test_the_preview_and_the_share_link_show_the_same_blocks(client, editor, photo):
    body = f'<figure data-picture="{photo.pk}" data-size="wide"></figure><table><tr><th>A</th></tr><tr><td>1</td></tr></table>'
    draft = story(body, status=Article.Status.DRAFT)
    client.force_login(editor)
    preview = BeautifulSoup(client.get(f"/admin/articles/article/{draft.pk}/preview/").content, "html.parser")
    link = ShareLink.objects.create(article=draft, created_by=editor, expires_at=timezone.now() + timedelta(hours=1))
    shared = BeautifulSoup(Client().get(link.get_absolute_url()).content, "html.parser")
    for page in (preview, shared):
        shown = page.select_one(".story__body")
        assert shown.select_one("figure.body-picture--wide img")["alt"] == "Divers at the harbour wall"
        assert shown.select_one(".table-scroll th")["scope"] == "col"


def article_page_queries(client, article: Article) -> int:
    client.get(article.get_absolute_url())  # the first request fills the shared page state
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.get_absolute_url()).status_code == 200
    return len(queries)


def test_a_story_with_ten_pictures_and_a_gallery_costs_the_queries_of_one_with_one(client, photo):
    pictures = copies(photo, 14)
    one = story(f'<figure data-picture="{pictures[0].pk}"></figure>', headline="One picture")
    inline = "".join(f'<figure data-picture="{picture.pk}"></figure><p>Text.</p>' for picture in pictures[:10])
    gallery = f'<figure data-gallery="{" ".join(str(picture.pk) for picture in pictures[10:])}"></figure>'
    ten = story(inline + gallery, headline="Eleven blocks")
    assert article_page_queries(client, ten) == article_page_queries(client, one)
    assert len(story_body(client, ten).find_all("img")) == 14


def test_a_story_without_pictures_reads_none(client):
    plain = story("<p>Only words.</p>", headline="Words")
    with_one = story("<p>Only words.</p><figure data-picture='1'></figure>", headline="A picture that is gone")
    assert article_page_queries(client, plain) == article_page_queries(client, with_one) - 1


def test_feeds_carry_each_picture_as_one_image_at_an_absolute_address_and_embeds_as_links(client, photo):
    (other,) = copies(photo, 1)
    url = "https://vimeo.com/12345"
    body = (
        f'<p>Intro.</p><figure data-picture="{photo.pk}" data-size="full"></figure>'
        f'<figure data-gallery="{other.pk}"></figure>'
        f'<figure data-embed="vimeo" data-url="{url}"><figcaption>The film</figcaption></figure>'
        "<table><tr><th>A</th></tr><tr><td>1</td></tr></table>"
    )
    story(body)
    for address in ("/feed/", "/feed/atom/"):
        feed = feedparser.parse(client.get(address).content)
        assert not feed.bozo, feed.get("bozo_exception")
        content = BeautifulSoup(feed.entries[0].content[0].value, "html.parser")
        images = content.find_all("img")
        assert [image["alt"] for image in images] == ["Divers at the harbour wall", "Picture 0"]
        assert all(image["src"].startswith(f"{SITE}/media/pictures/") for image in images)
        assert all(image["width"] and image["height"] for image in images)
        assert content.find_all(["picture", "source", "iframe"]) == []
        assert url in [link["href"] for link in content.find_all("a")]
        assert content.table.th.get_text() == "A" and not content.select(".table-scroll")


def feed_queries(client) -> int:
    client.get("/feed/")  # the first request after a change fills the shared page state
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/feed/").status_code == 200
    return len(queries)


def test_a_feed_reads_the_pictures_of_all_its_entries_in_one_query(client, photo):
    pictures = copies(photo, 6)
    story(f'<figure data-picture="{pictures[0].pk}"></figure>', headline="First")
    once = feed_queries(client)
    for n, picture in enumerate(pictures[1:]):
        story(
            f'<figure data-picture="{picture.pk}"></figure><figure data-gallery="{photo.pk}"></figure>',
            headline=f"S{n}",
        )
    assert feed_queries(client) == once


def test_the_words_of_every_block_are_read_and_counted_apart():
    body = (
        "<table><tr><th>Year</th><th>Ferries</th></tr><tr><td>2024</td><td>12</td></tr></table>"
        '<figure data-pullquote=""><blockquote><p>Still</p></blockquote><figcaption>Kari</figcaption></figure>'
        '<aside data-factbox=""><h3>Facts</h3><p>Built</p><ul><li>Old</li></ul></aside>'
        '<figure data-embed="link" data-url="https://example.org/"><figcaption>Linked</figcaption></figure>'
    )
    assert to_text(body) == "Year Ferries 2024 12 Still Kari Facts Built Old Linked"
    assert word_count(body) == 10


def test_picture_ids_are_the_pictures_of_a_body_in_order_of_first_appearance():
    body = '<figure data-picture="7"></figure><figure data-gallery="3 7 9"></figure><figure data-picture="3"></figure>'
    assert picture_ids(body) == [7, 3, 9]
    assert picture_ids('<figure data-picture="1 OR 1"></figure><p data-picture="4">x</p>') == []
