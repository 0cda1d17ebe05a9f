"""A new story's byline starts with the writer's own name when their account has an author."""

import pytest
from bs4 import BeautifulSoup

from articles.models import Article
from tests.factories import make_author, make_staff

pytestmark = pytest.mark.django_db


def new_story_form(client):
    page = client.get("/admin/articles/article/add/")
    assert page.status_code == 200
    return BeautifulSoup(page.content, "html.parser")


def test_the_add_form_starts_the_byline_with_the_writers_author(client):
    writer = make_staff("writer", "Writers")
    make_author("Asha Verma", user=writer)
    client.force_login(writer)
    form = new_story_form(client)
    chosen = form.select_one("select[name=bylines-0-author] option[selected]")
    assert chosen.get_text() == "Asha Verma"
    assert form.select_one("input[name=bylines-TOTAL_FORMS]")["value"] == "1"


def test_a_story_saved_with_the_prefilled_byline_has_it_and_one_removed_has_none(client):
    writer = make_staff("writer", "Writers")
    asha = make_author("Asha Verma", user=writer)
    client.force_login(writer)
    base = {"headline": "Bus network trial", "slug": "bus-network-trial", "language": "en", "body": "<p>Text.</p>"}
    base["opened_version"] = "1"
    row = {
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-0-author": asha.pk,
        "bylines-0-position": "0",
    }
    assert client.post("/admin/articles/article/add/", {**base, **row}).status_code == 302
    assert [a.name for a in Article.objects.get(slug="bus-network-trial").byline_authors] == ["Asha Verma"]
    removed = {**row, "bylines-0-DELETE": "on"}
    base = {**base, "headline": "Second", "slug": "second"}
    assert client.post("/admin/articles/article/add/", {**base, **removed}).status_code == 302
    assert Article.objects.get(slug="second").byline_authors == []


def test_an_account_without_an_author_starts_with_an_empty_byline(client, editor):
    client.force_login(editor)
    form = new_story_form(client)
    assert form.select_one("input[name=bylines-TOTAL_FORMS]")["value"] == "0"
