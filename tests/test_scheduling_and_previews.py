"""Scheduled stories appear on time by themselves; previews and share links show drafts safely."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from articles import workflow
from articles.models import Article, ShareLink
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

TEN = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_scheduled_story_is_hidden_before_its_time_and_visible_at_it(client, editor, writer):
    with time_machine.travel(TEN - timedelta(hours=2), tick=False):
        article = make_article(
            "Budget day", status=Article.Status.IN_REVIEW, created_by=writer, authors=[make_author()]
        )
        workflow.publish(article, user=editor, at=TEN)
        article.refresh_from_db()
        url = article.get_absolute_url()

    with time_machine.travel(TEN - timedelta(seconds=1), tick=False):
        assert client.get(url).status_code == 404
        assert "Budget day" not in client.get("/").content.decode()
        assert not Article.objects.published().exists()

    with time_machine.travel(TEN, tick=False):
        assert client.get(url).status_code == 200
        assert "Budget day" in client.get("/").content.decode()

    assert list(article.transitions.values_list("action", flat=True)) == ["schedule"], "logged once, when scheduled"


def test_admin_shows_scheduled_for_until_the_time(client, editor):
    with time_machine.travel(TEN - timedelta(hours=1), tick=False):
        article = make_article("Budget day", published_at=TEN)
        client.force_login(editor)
        assert "Scheduled for 02 Mar 2026, 10:00" in client.get("/admin/articles/article/").content.decode()
        assert "Scheduled for" in client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    with time_machine.travel(TEN + timedelta(minutes=1), tick=False):
        assert "Scheduled for" not in client.get("/admin/articles/article/").content.decode()


def test_preview_shows_a_draft_to_staff_with_a_banner_and_no_caching(client, writer):
    article = make_article("Unfinished story", status=Article.Status.DRAFT, created_by=writer)
    client.force_login(writer)
    response = client.get(f"/admin/articles/article/{article.pk}/preview/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview – not published" in page
    assert "Unfinished story" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_preview_is_for_staff_only(writer):
    article = make_article("Unfinished story", status=Article.Status.DRAFT, created_by=writer)
    response = Client().get(f"/admin/articles/article/{article.pk}/preview/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_writer_cannot_preview_another_writers_draft(client, writer, other_writer):
    article = make_article("Their story", status=Article.Status.DRAFT, created_by=other_writer)
    client.force_login(writer)
    response = client.get(f"/admin/articles/article/{article.pk}/preview/")
    assert response.status_code == 404
    assert "Their story" not in response.content.decode()


@pytest.fixture
def draft(writer):
    return make_article("Embargoed story", status=Article.Status.IN_REVIEW, created_by=writer, authors=[make_author()])


def share(client, editor, article) -> str:
    client.force_login(editor)
    assert client.post(f"/admin/articles/article/{article.pk}/share/").status_code == 302
    return ShareLink.objects.get(article=article).get_absolute_url()


def test_share_link_shows_the_draft_without_login_never_cached_or_indexed(client, editor, draft):
    url = share(client, editor, draft)
    response = Client().get(url)
    assert response.status_code == 200
    assert "Embargoed story" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "Set-Cookie" not in response


def test_share_link_expires_after_48_hours(client, editor, draft):
    url = share(client, editor, draft)
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=47)):
        assert Client().get(url).status_code == 200
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=49)):
        assert Client().get(url).status_code == 404


def test_tampered_share_link_answers_404(client, editor, draft):
    url = share(client, editor, draft)
    token = url.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert Client().get(f"/preview/{tampered}/").status_code == 404
    assert Client().get("/preview/not-a-token/").status_code == 404


def test_revoked_share_link_answers_404(client, editor, draft):
    url = share(client, editor, draft)
    link = ShareLink.objects.get()
    assert client.post(f"/admin/articles/article/{draft.pk}/share/{link.pk}/revoke/").status_code == 302
    assert Client().get(url).status_code == 404


def test_share_link_leads_to_the_live_page_after_publication(client, editor, draft):
    url = share(client, editor, draft)
    workflow.publish(draft, user=editor)
    draft.refresh_from_db()
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()


def test_writers_cannot_create_share_links(client, writer, draft):
    client.force_login(writer)
    assert client.post(f"/admin/articles/article/{draft.pk}/share/").status_code == 403
    assert not ShareLink.objects.exists()
