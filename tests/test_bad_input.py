"""Bad input found on review: each gets a clear answer (a 404, a form error, a rejected file) and
leaves nothing half-written. None of these may be a 500.

Bad wire copy (files, zip archives, control characters in ninjs) is in tests/security/test_wire_copy.py."""

from datetime import timedelta

import pytest
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from tests.factories import form_data, make_article, make_author

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/?before=1.²",
        "/?after=²",
        "/tags/climate/?before=1.²",
        "/search/?q=story&page=²",
        "/sitemap-articles.xml?p=²",
        "/?before=١٢٣.٤",  # Arabic-Indic digits: int() reads them, but no cursor we make has them
    ],
)
def test_digits_that_are_not_ascii_in_a_query_string_answer_404(client, url):
    make_article("Climate story", authors=[make_author()], tags=["Climate"])
    assert client.get(url).status_code == 404


def test_a_new_tag_without_a_letter_or_digit_is_a_form_error(client, editor):
    article = make_article("Storm warning", status=Article.Status.DRAFT, created_by=editor, authors=[make_author()])
    client.force_login(editor)
    response = client.post(f"/admin/articles/article/{article.pk}/change/", form_data(article, new_tags="!!!"))
    assert response.status_code == 200
    assert "The tag “!!!” needs at least one letter or digit." in response.content.decode()
    assert not Tag.objects.exists()


def test_a_control_character_in_a_headline_is_a_form_error(client, editor):
    article = make_article("Storm warning", status=Article.Status.DRAFT, created_by=editor, authors=[make_author()])
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/", form_data(article, headline="Storm\x08 warning")
    )
    assert response.status_code == 200
    assert "invisible control character (U+0008)" in response.content.decode()
    article.refresh_from_db()
    assert article.headline == "Storm warning"


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("bylines-0-author", "Select a valid choice"),
        ("credit", "Select a valid choice"),
    ],
)
def test_a_tampered_autocomplete_id_is_a_form_error(client, editor, field, message):
    article = make_article("Storm warning", status=Article.Status.DRAFT, created_by=editor, authors=[make_author()])
    client.force_login(editor)
    response = client.post(f"/admin/articles/article/{article.pk}/change/", form_data(article, **{field: "abc"}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert article.bylines.get().author.name == "Asha Verma"


def test_a_tag_id_that_does_not_exist_is_a_form_error(client, editor):
    """In the tags autocomplete a name is a new tag (typed there); a number is an id, and one of
    no tag is a form error, not a tag named after it."""
    article = make_article("Storm warning", status=Article.Status.DRAFT, created_by=editor, authors=[make_author()])
    client.force_login(editor)
    response = client.post(f"/admin/articles/article/{article.pk}/change/", form_data(article, tags=["99999999"]))
    assert response.status_code == 200
    assert "Select a valid choice. 99999999 is not one of the available choices." in response.content.decode()
    assert list(article.tags.names()) == []


def test_a_tampered_user_id_on_an_author_is_a_form_error(client, admin_user):
    author = make_author("Asha Verma")
    client.force_login(admin_user)
    data = {"name": "Asha Verma", "slug": "asha-verma", "kind": "person", "user": "abc", "is_active": "on"}
    response = client.post(f"/admin/authors/author/{author.pk}/change/", data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("years", [6, 7_973])
def test_a_schedule_years_away_is_a_form_error(client, editor, settings, years):
    settings.TIME_ZONE = "America/New_York"
    article = make_article("Storm warning", status=Article.Status.IN_REVIEW, authors=[make_author()])
    client.force_login(editor)
    later = (
        timezone.localtime() + timedelta(days=366 * years) if years < 100 else timezone.localtime().replace(year=9999)
    )
    response = client.post(
        f"/admin/articles/article/{article.pk}/transition/schedule/",
        {"publish_at": later.strftime("%Y-%m-%dT23:59")},
        follow=True,
    )
    assert response.status_code == 200
    assert "Choose a time within the next five years." in response.content.decode()
    article.refresh_from_db()
    assert (article.status, article.published_at) == ("in_review", None)
