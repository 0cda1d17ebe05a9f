"""Tags typed at the desk: writers create them too, the box reads names as it says (separated
by commas), nothing typed is dropped, and a name that exists already is simply that tag."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from taggit.models import Tag

from articles.models import Article, tag_names
from tests.factories import form_data, make_article, make_author, make_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed, names",
    [
        ("Climate change", ["Climate change"]),  # taggit alone made this "Climate" and "change"
        ("Climate change, floods", ["Climate change", "floods"]),
        ("  Oslo ,, Bergen , ", ["Oslo", "Bergen"]),
        ("Oslo; Bergen", ["Oslo; Bergen"]),
        ("Klimaendring, klimaendring, KLIMAENDRING", ["Klimaendring"]),
        ('"New York" rain', ['"New York" rain']),
        ("Zürich\tbudget", ["Zürich budget"]),
        ("", []),
    ],
)
def test_the_new_tags_box_reads_names_separated_by_commas(typed, names):
    assert tag_names(typed) == names


def save(client, article, **changes):
    article.refresh_from_db()
    return client.post(f"/admin/articles/article/{article.pk}/change/", form_data(article, **changes))


def test_a_writer_creates_tags_on_their_story():
    writer = make_staff("writer", "Writers")
    article = make_article("Council vote", status=Article.Status.DRAFT, created_by=writer, authors=[make_author()])
    client = Client()
    client.force_login(writer)
    page = BeautifulSoup(client.get(f"/admin/articles/article/{article.pk}/change/").content, "html.parser")
    assert page.select_one("input[name=new_tags]") is not None, "writers have the new-tags box"
    response = save(client, article, new_tags="Climate change, Bergen")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(article.tags.names()) == ["Bergen", "Climate change"]


def test_a_name_that_exists_already_is_that_tag_and_the_answer_is_the_same(client, editor):
    Tag.objects.create(name="Climate change")
    client.force_login(editor)
    existing = make_article("One", status=Article.Status.DRAFT, authors=[make_author()])
    new = make_article("Two", status=Article.Status.DRAFT, authors=[make_author("Other")])
    answers = [
        save(client, existing, new_tags="climate CHANGE"),
        save(client, new, new_tags="Sea level"),
    ]
    assert [answer.status_code for answer in answers] == [302, 302]
    assert [answer.url for answer in answers] == ["/admin/articles/article/"] * 2
    assert list(existing.tags.names()) == ["Climate change"], "no second tag differing in case"
    assert Tag.objects.filter(name__iexact="climate change").count() == 1
    assert list(new.tags.names()) == ["Sea level"]


def test_every_name_typed_is_kept_with_those_chosen(client, editor):
    chosen = Tag.objects.create(name="Weather")
    client.force_login(editor)
    article = make_article("Storm", status=Article.Status.DRAFT, authors=[make_author()])
    assert (
        save(client, article, tags=[chosen.pk], new_tags="Storm Øyvind, weather, Coastal flooding").status_code == 302
    )
    assert sorted(article.tags.names()) == ["Coastal flooding", "Storm Øyvind", "Weather"]


def test_a_tag_typed_in_the_autocomplete_is_created_and_kept_if_the_form_comes_back(client, editor):
    existing = Tag.objects.create(name="Weather")
    client.force_login(editor)
    article = make_article("Storm", status=Article.Status.DRAFT, authors=[make_author()])
    page = BeautifulSoup(client.get(f"/admin/articles/article/{article.pk}/change/").content, "html.parser")
    assert page.select_one("select[name=tags]")["data-tags"] == "true", "tagging is on for who may create tags"

    # The form comes back (an empty headline): the typed name is still chosen, nothing dropped.
    back = save(client, article, headline="", tags=[str(existing.pk), "Storm  Øyvind"])
    assert back.status_code == 200
    chosen = BeautifulSoup(back.content, "html.parser").select("select[name=tags] option[selected]")
    assert [(option["value"], option.get_text()) for option in chosen] == [
        (str(existing.pk), "Weather"),
        ("Storm  Øyvind", "Storm  Øyvind"),
    ]
    assert save(client, article, tags=[str(existing.pk), "Storm  Øyvind", "weather"]).status_code == 302
    assert sorted(article.tags.names()) == ["Storm Øyvind", "Weather"]


@pytest.mark.parametrize("name", ["!!!", "Storm\x01", "x" * 101])
def test_a_tag_typed_in_the_autocomplete_follows_the_rule_of_every_new_tag(client, editor, name):
    client.force_login(editor)
    article = make_article("Storm", status=Article.Status.DRAFT, authors=[make_author()])
    response = save(client, article, tags=[name])
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["tags"]
    assert list(article.tags.names()) == []
