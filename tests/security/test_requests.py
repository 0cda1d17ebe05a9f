"""Forged hosts, open redirects after login, transitions without CSRF tokens or by GET."""

import pytest
from django.test import Client

from articles.models import Article
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def test_a_forged_host_header_answers_400(client):
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_next_after_login_stays_on_the_site(editor, target):
    from django.contrib.auth.hashers import make_password

    editor.password = make_password("a long password for the editor")
    editor.save()
    client = Client()
    response = client.post(
        f"/admin/login/?next={target}",
        {"username": "editor", "password": "a long password for the editor", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_transitions_without_a_csrf_token_are_refused_and_get_is_not_allowed(writer):
    article = make_article("Mine", status=Article.Status.DRAFT, created_by=writer, authors=[make_author()])
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)
    url = f"/admin/articles/article/{article.pk}/transition/submit/"
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 405
    assert Article.objects.get(pk=article.pk).status == "draft"
