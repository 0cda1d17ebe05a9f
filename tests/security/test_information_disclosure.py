"""Unpublished stories answer 404, not 403; no autocomplete lists staff; no staff enumeration."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "delta"),
    [("draft", None), ("in_review", None), ("published", 3600), ("draft", -3600)],
    ids=["draft", "in-review", "scheduled", "unpublished"],
)
def test_hidden_stories_answer_404_not_403(client, status, delta):
    published_at = timezone.now() + timezone.timedelta(seconds=delta) if delta else None
    article = make_article("Hidden", status=status, published_at=published_at, slug="hidden")
    when = timezone.localtime(article.published_at or timezone.now())
    kwargs = {"year": when.year, "month": when.month, "day": when.day, "slug": "hidden"}
    for name in ["articles:detail", "articles:ninjs"]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404


@pytest.mark.parametrize("field", ["user", "created_by", "edited_by"])
def test_writers_get_no_list_of_staff_users_from_any_autocomplete(client, writer, field):
    model = {"user": ("authors", "author")}.get(field, ("articles", "article"))
    client.force_login(writer)
    response = client.get("/admin/autocomplete/", {"app_label": model[0], "model_name": model[1], "field_name": field})
    assert response.status_code == 403


def test_user_admin_is_closed_to_writers_and_editors(client, writer, editor):
    for user in (writer, editor):
        client.force_login(user)
        assert client.get("/admin/auth/user/").status_code == 403


def test_authors_without_published_stories_are_not_enumerable(client):
    for n in range(3):
        author = make_author(f"Staff Member {n}", slug=f"staff-{n}")
        make_article(f"Draft {n}", status=Article.Status.DRAFT, authors=[author])
    assert "Staff Member" not in client.get("/authors/").content.decode()
    assert [client.get(f"/authors/staff-{n}/").status_code for n in range(3)] == [404, 404, 404]
    assert "staff-" not in client.get("/sitemap.xml").content.decode()
