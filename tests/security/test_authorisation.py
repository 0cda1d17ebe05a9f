"""A writer cannot reach another writer's draft by any admin URL, by bulk actions or by hand-made POSTs."""

import pytest
from reversion.models import Version

from articles import workflow
from articles.models import Article, ShareLink
from tests.factories import form_data, make_article, make_author, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign(other_writer, editor):
    article = make_article(
        "Their confidential draft",
        status=Article.Status.DRAFT,
        created_by=other_writer,
        authors=[make_author("Their Byline")],
    )
    workflow.submit(article, user=other_writer)
    workflow.return_to_draft(article, user=editor, comment="More.")  # so it has revisions
    ShareLink.objects.create(article=article, created_by=editor, expires_at="2099-01-01T00:00Z")
    return Article.objects.get(pk=article.pk)


def every_admin_url(article: Article) -> list[tuple[str, str]]:
    base = f"/admin/articles/article/{article.pk}"
    version = Version.objects.get_for_object(article).first().pk
    link = article.share_links.get().pk
    return [
        ("get", f"{base}/change/"),
        ("post", f"{base}/change/"),
        ("get", f"{base}/history/"),
        ("get", f"{base}/delete/"),
        ("post", f"{base}/delete/"),
        ("get", f"{base}/preview/"),
        ("get", f"{base}/revisions/"),
        ("get", f"{base}/revisions/compare/?from={version}&to={version}"),
        ("post", f"{base}/revisions/{version}/restore/"),
        ("post", f"{base}/share/"),
        ("post", f"{base}/share/{link}/revoke/"),
        ("get", f"{base}/confirm/publish/"),
        *[
            ("post", f"{base}/transition/{name}/")
            for name in ["submit", "withdraw", "return", "publish", "schedule", "reschedule", "unpublish", "correct"]
        ],
    ]


def untouched(article: Article) -> tuple:
    fresh = Article.objects.get(pk=article.pk)
    return (
        fresh.headline,
        fresh.status,
        fresh.version,
        fresh.transitions.count(),
        fresh.share_links.filter(revoked_at=None).count(),
    )


def test_writer_cannot_change_preview_compare_restore_or_delete_another_writers_draft_by_id(client, writer, foreign):
    before = untouched(foreign)
    client.force_login(writer)
    for method, url in every_admin_url(foreign):
        data = {**form_data(foreign, headline="Hijacked"), "comment": "x", "post": "yes", "_confirmed": "1"}
        data = data if method == "post" else None
        response = getattr(client, method)(url, data)
        missing = getattr(client, method)(url.replace(f"/{foreign.pk}/", "/987654/"), data)
        # The same answer as for a story that does not exist: no hint that it does.
        assert (response.status_code, response.get("Location")) == (missing.status_code, missing.get("Location")), url
        assert "confidential" not in response.content.decode(), (method, url)
    assert untouched(foreign) == before


def test_bulk_actions_on_a_mix_of_own_and_foreign_ids_leave_the_foreign_rows_untouched(client, writer, foreign):
    mine = make_article("My draft", status=Article.Status.DRAFT, created_by=writer, authors=[make_author("Me")])
    before = untouched(foreign)
    client.force_login(writer)
    for action in ["submit_selected", "publish_selected", "delete_selected"]:
        client.post(
            "/admin/articles/article/", {"action": action, "_selected_action": [mine.pk, foreign.pk], "post": "yes"}
        )
    assert untouched(foreign) == before
    assert Article.objects.get(pk=mine.pk).status == Article.Status.IN_REVIEW, "their own draft was submitted"


def test_writer_cannot_set_status_publication_time_or_owner_by_hand(client, writer, other_writer):
    mine = make_article("My draft", status=Article.Status.DRAFT, created_by=writer)
    client.force_login(writer)
    data = {
        **form_data(mine),
        "status": "published",
        "published_at": "2020-01-01T00:00:00Z",
        "created_by": other_writer.pk,
    }
    assert client.post(f"/admin/articles/article/{mine.pk}/change/", data).status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.published_at, mine.created_by) == ("draft", None, writer)


def test_writer_cannot_put_a_byline_on_another_writers_article_through_their_own_form(client, writer, foreign):
    mine = make_article("My draft", status=Article.Status.DRAFT, created_by=writer)
    before = list(foreign.bylines.values_list("author_id", flat=True))
    client.force_login(writer)
    data = {
        **form_data(mine),
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-0-author": make_author("Planted").pk,
        "bylines-0-article": foreign.pk,
    }
    client.post(f"/admin/articles/article/{mine.pk}/change/", data)
    assert list(foreign.bylines.values_list("author_id", flat=True)) == before


def test_a_view_only_staff_members_posts_change_nothing(client):
    from django.contrib.auth.models import Permission

    viewer = make_staff("viewer")
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=["view_article", "view_author"]))
    article = make_article("Live story", authors=[make_author()])
    before = untouched(article)
    client.force_login(viewer)
    for method, url in every_admin_url_for_live(article):
        data = {**form_data(article, headline="Changed"), "comment": "x", "post": "yes", "_confirmed": "1"}
        getattr(client, method)(url, data)
    assert untouched(article) == before


def every_admin_url_for_live(article: Article) -> list[tuple[str, str]]:
    base = f"/admin/articles/article/{article.pk}"
    return [("post", f"{base}/change/"), ("post", f"{base}/delete/"), ("post", f"{base}/share/")] + [
        ("post", f"{base}/transition/{name}/") for name in ["unpublish", "correct"]
    ]
