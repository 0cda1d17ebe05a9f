"""Text fields set to markup are escaped everywhere they appear."""

import json

import pytest
from django.test import Client

from articles import workflow
from articles.models import Article
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

ATTACK = '"><img src=x onerror=alert(1)>'


@pytest.fixture
def story(editor):
    author = make_author(ATTACK, slug="attacker", bio=f"<p>{ATTACK}</p>")
    article = make_article(ATTACK, standfirst=ATTACK, authors=[author], tags=[ATTACK], slug="attack")
    workflow.add_correction(article, user=editor, kind="correction", text=ATTACK)
    return article


def raw_markup_in(text: str) -> bool:
    return "<img src=x onerror" in text


def test_markup_in_text_fields_is_escaped_on_every_public_surface(client, story):
    tag_slug = story.tags.get().slug
    for url in [
        "/",
        story.get_absolute_url(),
        "/tags/",
        f"/tags/{tag_slug}/",
        "/authors/",
        "/authors/attacker/",
        "/search/?q=img",
        "/feed/",
        "/feed/atom/",
        f"/tags/{tag_slug}/feed/",
        "/authors/attacker/feed/",
        "/sitemap.xml",
        "/news-sitemap.xml",
        f"{story.get_absolute_url()}ninjs.json",
        "/ninjs/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not raw_markup_in(response.content.decode()), url


def test_json_ld_and_ninjs_carry_the_text_as_data(client, story):
    page = client.get(story.get_absolute_url()).content.decode()
    start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    data = json.loads(page[start : page.index("</script>", start)])
    assert data["headline"] == ATTACK, "escaped for HTML, intact as data"
    assert client.get(f"{story.get_absolute_url()}ninjs.json").json()["headlines"][0]["value"] == ATTACK


def test_markup_is_escaped_in_the_admin_lists_forms_messages_and_history(client, editor, story):
    client.force_login(editor)
    for url in [
        "/admin/articles/article/",
        f"/admin/articles/article/{story.pk}/change/",
        f"/admin/articles/article/{story.pk}/revisions/",
        "/admin/authors/author/",
        "/admin/taggit/tag/",
    ]:
        assert not raw_markup_in(client.get(url).content.decode()), url
    workflow.unpublish(story, user=editor, comment=ATTACK)
    response = client.post(
        f"/admin/articles/article/{story.pk}/transition/publish/", {"comment": ATTACK, "_confirmed": "1"}, follow=True
    )
    page = response.content.decode()
    assert "done for" in page, "the success message names the headline"
    assert not raw_markup_in(page)


def test_share_link_preview_escapes_too(client, editor, story):
    workflow.unpublish(story, user=editor, comment="Check.")
    client.force_login(editor)
    client.post(f"/admin/articles/article/{story.pk}/share/")
    url = Article.objects.get(pk=story.pk).share_links.get().get_absolute_url()
    assert not raw_markup_in(Client().get(url).content.decode())
