"""URLs: a story's address is compared in one encoding everywhere (newsroom.lib.urls.is_canonical),
so a slug that is not ASCII answers 200 at its own address, not a 301 to itself for ever; and an
old address that still redirects cannot be taken by another story."""

from urllib.parse import unquote, urlencode, urlsplit

import feedparser
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Article
from newsroom.lib.urls import absolute
from tests.factories import form_data, make_article, make_author

pytestmark = pytest.mark.django_db

HEADLINES = {
    "norwegian": "Kjøpte ærlig øl på Ålesund",
    "german": "Größte Brücke über die Mosel eröffnet",
    "arabic": "انتخابات البلدية في بيروت",
    "chinese": "北京发布新的空气质量报告",
}


@pytest.fixture(params=list(HEADLINES), ids=list(HEADLINES))
def story(request):
    headline = HEADLINES[request.param]
    author = make_author("Åse Ødegård")
    return make_article(headline, authors=[author], tags=[headline.split()[0]])


def test_the_slug_is_not_ascii(story):
    assert not story.slug.isascii()


def test_the_page_and_its_ninjs_answer_200_encoded_or_not(client, story):
    url = story.get_absolute_url()
    for address in (url, unquote(url)):
        assert client.get(address).status_code == 200
        assert client.get(f"{address}ninjs.json").status_code == 200


def test_every_link_readers_and_machines_are_given_answers_200(client, story):
    links = []
    for feed in ("/feed/", "/feed/atom/"):
        links += [entry.link for entry in feedparser.parse(client.get(feed).content).entries]
    sitemap = client.get("/sitemap.xml").content.decode()
    links += [part.split("</loc>")[0] for part in sitemap.split("<loc>")[1:]]
    news = client.get("/news-sitemap.xml").content.decode()
    links += [part.split("</loc>")[0] for part in news.split("<loc>")[1:]]
    page = client.get(story.get_absolute_url()).content.decode()
    canonical = page.split('rel="canonical" href="')[1].split('"')[0]
    links.append(canonical)
    assert any(story.slug in unquote(link) for link in links)
    for link in links:
        response = client.get(urlsplit(link).path)
        assert response.status_code == 200, link


def test_an_old_slug_redirects_once_to_the_new_address(client, story):
    old = story.get_absolute_url()
    story.slug = f"{story.slug}-2"
    story.save()
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200
    assert client.get(f"{unquote(old)}").status_code == 301


def test_an_address_that_still_redirects_cannot_be_taken_by_another_story(client, editor, story):
    old_slug = story.slug
    story.slug = f"{old_slug}-moved"
    story.save()
    newcomer = make_article("Something else", status=Article.Status.DRAFT, created_by=editor, authors=[make_author()])
    newcomer.slug = old_slug
    with pytest.raises(ValidationError, match="belonged to another story"):
        newcomer.full_clean()
    client.force_login(editor)
    response = client.post(f"/admin/articles/article/{newcomer.pk}/change/", form_data(newcomer, slug=old_slug))
    assert "belonged to another story" in response.content.decode()
    assert Article.objects.get(pk=newcomer.pk).slug != old_slug
    assert Article.free_slug(HEADLINES["norwegian"] if "kj" in old_slug else old_slug) != old_slug


def test_the_story_itself_may_take_its_old_address_back(client, story):
    old_slug = story.slug
    story.slug = f"{old_slug}-moved"
    story.save()
    story.slug = old_slug
    story.full_clean()
    story.save()
    assert client.get(story.get_absolute_url()).status_code == 200


def test_tag_and_author_pages_with_names_that_are_not_ascii_answer_200(client, story):
    tag = story.tags.get()
    assert client.get(f"/tags/{tag.slug}/").status_code == 200
    author = story.bylines.get().author
    assert client.get(f"/authors/{author.slug}/").status_code == 200


def canonical_of(response) -> str:
    return response.content.decode().split('rel="canonical" href="')[1].split('"')[0]


def test_the_canonical_link_carries_only_what_chooses_the_page_and_encodes_it(client, story):
    # A parameter a listing does not read (page=: listings page by position) stays out of it.
    assert canonical_of(client.get("/", {"page": '"><script>'})) == absolute("/")
    tag = reverse("articles:tag", kwargs={"slug": story.tags.get().slug})
    assert canonical_of(client.get(tag, {"page": '"><script>'})) == absolute(tag)
    # What chooses the page (a position, search's words, in any script) is kept, percent-encoded.
    position = "9999999999999999.1"
    response = client.get(tag, {"before": position, "utm_source": '"><script>'})
    assert canonical_of(response) == absolute(f"{tag}?before={position}")
    words = f'{story.headline} "><script>'
    response = client.get("/search/", {"q": words, "fbclid": "x"})
    assert canonical_of(response) == absolute(f"/search/?{urlencode({'q': words})}")
    assert "<script>" not in response.content.decode().split("</head>")[0]
