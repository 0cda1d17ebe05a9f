"""Who sees and changes what in the admin: checked on the server for every request."""

import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from reversion.models import Version

from articles import workflow
from articles.models import Article
from authors.models import Author
from tests.factories import make_article, make_author, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign_draft(other_writer):
    return make_article(
        "Other writer's secret draft",
        status=Article.Status.DRAFT,
        created_by=other_writer,
        authors=[make_author("Someone Else")],
    )


def article_urls(article: Article) -> dict[str, str]:
    base = f"/admin/articles/article/{article.pk}"
    version = Version.objects.get_for_object(article).first()
    return {
        "change": f"{base}/change/",
        "history": f"{base}/history/",
        "delete": f"{base}/delete/",
        "preview": f"{base}/preview/",
        "revisions": f"{base}/revisions/",
        "compare": f"{base}/revisions/compare/?from={version.pk if version else 1}&to={version.pk if version else 1}",
        "restore": f"{base}/revisions/{version.pk if version else 1}/restore/",
        "transition": f"{base}/transition/submit/",
        "share": f"{base}/share/",
    }


def test_writer_cannot_reach_another_writers_draft_by_id(client, writer, foreign_draft, editor):
    # Give the draft a revision so the compare and restore URLs name a real one.
    workflow.submit(foreign_draft, user=editor)
    workflow.return_to_draft(foreign_draft, user=editor, comment="Back to you.")
    before = Article.objects.get(pk=foreign_draft.pk).version
    client.force_login(writer)
    for name, url in article_urls(foreign_draft).items():
        method = client.post if name in {"restore", "transition", "share", "delete"} else client.get
        response = method(url, {"headline": "Hijacked", "comment": "x"})
        missing = method(url.replace(f"/{foreign_draft.pk}/", "/987654/"), {"headline": "Hijacked", "comment": "x"})
        # The same answer as for a story that does not exist: no hint that it does.
        assert (response.status_code, response.get("Location")) == (missing.status_code, missing.get("Location")), name
        assert "secret draft" not in response.content.decode(), name
    foreign_draft.refresh_from_db()
    assert (foreign_draft.headline, foreign_draft.status, foreign_draft.version) == (
        "Other writer's secret draft",
        "draft",
        before,
    )


def test_writer_sees_own_articles_and_live_ones_only(client, writer, other_writer):
    make_article("Mine", status=Article.Status.DRAFT, created_by=writer)
    make_article("Theirs in draft", status=Article.Status.DRAFT, created_by=other_writer)
    make_article("Theirs in review", status=Article.Status.IN_REVIEW, created_by=other_writer)
    make_article("Live story", created_by=other_writer)
    client.force_login(writer)
    page = client.get("/admin/articles/article/").content.decode()
    assert "Mine" in page and "Live story" in page
    assert "Theirs in draft" not in page and "Theirs in review" not in page


def test_writer_sees_articles_they_are_bylined_on(client, writer, other_writer):
    me = make_author("Writer Me", user=writer)
    article = make_article("Joint story", status=Article.Status.DRAFT, created_by=other_writer, authors=[me])
    client.force_login(writer)
    assert client.get(f"/admin/articles/article/{article.pk}/change/").status_code == 200


def test_editor_sees_every_article(client, editor, other_writer):
    make_article("Theirs in draft", status=Article.Status.DRAFT, created_by=other_writer)
    client.force_login(editor)
    assert "Theirs in draft" in client.get("/admin/articles/article/").content.decode()


def test_writer_posting_status_by_hand_changes_nothing_but_the_text(client, writer):
    article = make_article("My draft", status=Article.Status.DRAFT, created_by=writer)
    client.force_login(writer)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        {
            "headline": "My draft, edited",
            "slug": article.slug,
            "standfirst": "",
            "body": "<p>Text.</p>",
            "language": "en",
            "opened_version": article.version,
            "status": "published",
            "published_at": "2020-01-01 10:00",
            "bylines-TOTAL_FORMS": "0",
            "bylines-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "My draft, edited"
    assert (article.status, article.published_at) == ("draft", None)


def test_writer_cannot_edit_own_article_once_in_review(client, writer):
    article = make_article("Submitted", status=Article.Status.IN_REVIEW, created_by=writer)
    client.force_login(writer)
    page = client.get(f"/admin/articles/article/{article.pk}/change/")
    assert page.status_code == 200
    assert 'name="headline"' not in page.content.decode(), "shown read-only"
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        {"headline": "Changed", "slug": article.slug, "language": "en", "opened_version": article.version},
    )
    assert response.status_code == 409  # what happened, and their text to copy
    assert "This story is now in review" in response.content.decode()
    article.refresh_from_db()
    assert article.headline == "Submitted"


def test_bulk_submit_of_own_and_foreign_ids_leaves_foreign_rows_untouched(client, writer, foreign_draft):
    mine = make_article("My draft", status=Article.Status.DRAFT, created_by=writer, authors=[make_author()])
    live = make_article("Someone's live story")
    client.force_login(writer)
    client.post(
        "/admin/articles/article/",
        {"action": "submit_selected", "_selected_action": [mine.pk, foreign_draft.pk, live.pk]},
    )
    assert Article.objects.get(pk=mine.pk).status == "in_review"
    assert Article.objects.get(pk=foreign_draft.pk).status == "draft"
    assert Article.objects.get(pk=live.pk).status == "published"
    assert not foreign_draft.transitions.exists() and not live.transitions.exists()


def test_writer_cannot_use_publish_or_delete_bulk_actions(client, writer):
    mine = make_article("My draft", status=Article.Status.DRAFT, created_by=writer, authors=[make_author()])
    client.force_login(writer)
    for action in ["publish_selected", "delete_selected"]:
        client.post("/admin/articles/article/", {"action": action, "_selected_action": [mine.pk], "post": "yes"})
    mine.refresh_from_db()
    assert mine.status == "draft"


def test_editor_can_bulk_publish(client, editor, writer):
    drafts = [
        make_article(f"Draft {n}", status=Article.Status.IN_REVIEW, created_by=writer, authors=[make_author(f"R {n}")])
        for n in range(3)
    ]
    client.force_login(editor)
    chosen = {"action": "publish_selected", "_selected_action": [a.pk for a in drafts]}
    client.post("/admin/articles/article/", chosen)  # asks first (tests/test_publish_confirmation.py)
    assert Article.objects.published().count() == 0
    client.post("/admin/articles/article/", {**chosen, "post": "yes"})
    assert Article.objects.published().count() == 3


def test_view_only_staff_cannot_change_anything(client, writer):
    from django.contrib.auth.models import Permission

    viewer = make_staff("viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    article = make_article("Live story")
    client.force_login(viewer)
    assert client.get(f"/admin/articles/article/{article.pk}/change/").status_code == 200
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        {"headline": "Changed", "slug": article.slug, "language": "en", "opened_version": article.version},
    )
    # Refused with what happened and the text they typed, never a bare 403.
    assert response.status_code == 409
    assert "Your changes were not saved" in response.content.decode() and "Changed" in response.content.decode()
    refused = client.post(f"/admin/articles/article/{article.pk}/transition/unpublish/", {"comment": "x"}, follow=True)
    assert "You may not use “Unpublish” on this article." in refused.content.decode()
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Live story", "published")


def test_transitions_need_a_csrf_token_and_get_never_changes_state(writer):
    article = make_article("My draft", status=Article.Status.DRAFT, created_by=writer, authors=[make_author()])
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)
    url = f"/admin/articles/article/{article.pk}/transition/submit/"
    assert client.post(url, {"comment": ""}).status_code == 403
    assert client.get(url).status_code == 405
    article.refresh_from_db()
    assert article.status == "draft" and not article.transitions.exists()


def test_workflow_buttons_are_only_those_the_user_may_use(client, writer, editor):
    article = make_article("In review", status=Article.Status.IN_REVIEW, created_by=writer, authors=[make_author()])
    client.force_login(writer)
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    # Their own submission, which they may pull back, and nothing else.
    assert re.findall(r"/transition/(\w+)/", page) == ["withdraw"] and 'name="_transition"' not in page
    client.force_login(editor)
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert 'name="_transition" value="publish"' in page  # the next action; the others to choose from
    for action in ["return", "schedule"]:
        assert f'<option value="{action}"' in page
    for action in ["submit", "unpublish", "correct"]:
        assert f'value="{action}"' not in page


def test_desk_queues_on_the_admin_index(client, writer, editor):
    make_article("Waiting", status=Article.Status.IN_REVIEW, created_by=writer)
    make_article("Mine", status=Article.Status.DRAFT, created_by=editor)
    client.force_login(editor)
    page = client.get("/admin/").content.decode()
    assert "Awaiting review (1)" in page
    assert (
        '<a href="/admin/articles/article/?state=draft&amp;mine=1"><span class="desk-states__count">1</span> Draft</a>'
        in page
    )
    review = client.get("/admin/articles/article/?state=in_review").content.decode()
    assert "Waiting" in review and ">Mine<" not in review


def test_admin_list_shows_scheduled_state(client, editor):
    from datetime import timedelta

    from django.utils import timezone

    make_article("Tomorrow's story", published_at=timezone.now() + timedelta(days=1))
    client.force_login(editor)
    assert "Scheduled for" in client.get("/admin/articles/article/").content.decode()


def test_writer_edits_own_author_bio_and_no_one_elses(client, writer):
    mine = make_author("Writer Me", user=writer, job_title="Reporter")
    other = make_author("Someone Else")
    client.force_login(writer)
    response = client.post(
        f"/admin/authors/author/{mine.pk}/change/",
        {"bio": "<p>New bio</p>", "name": "Renamed", "job_title": "Editor-in-chief"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.bio, mine.name, mine.job_title) == ("<p>New bio</p>", "Writer Me", "Reporter")
    assert client.post(f"/admin/authors/author/{other.pk}/change/", {"bio": "Hacked"}).status_code == 403
    assert Author.objects.get(pk=other.pk).bio == ""


def test_writers_get_no_list_of_staff_users_from_autocomplete(client, writer):
    client.force_login(writer)
    response = client.get(
        "/admin/autocomplete/", {"app_label": "authors", "model_name": "author", "field_name": "user", "term": ""}
    )
    assert response.status_code == 403


def test_tag_autocomplete_works_for_writers(client, writer):
    make_article("Tagged", tags=["Elections"])
    client.force_login(writer)
    response = client.get(
        "/admin/autocomplete/", {"app_label": "articles", "model_name": "article", "field_name": "tags", "term": "ele"}
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Elections"]


def test_byline_order_is_edited_inline_and_can_be_swapped(client, editor):
    first, second = make_author("Ana First"), make_author("Ben Second")
    article = make_article("Joint", status=Article.Status.DRAFT, authors=[first, second])
    bylines = list(article.bylines.all())
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        {
            "headline": "Joint",
            "slug": article.slug,
            "body": article.body,
            "language": "en",
            "opened_version": article.version,
            "bylines-TOTAL_FORMS": "3",
            "bylines-INITIAL_FORMS": "2",
            "bylines-0-id": bylines[0].pk,
            "bylines-0-article": article.pk,
            "bylines-0-author": first.pk,
            "bylines-0-position": "1",
            "bylines-1-id": bylines[1].pk,
            "bylines-1-article": article.pk,
            "bylines-1-author": second.pk,
            "bylines-1-position": "0",
            "bylines-2-article": article.pk,
            "bylines-2-author": make_author("Cy Third").pk,
            "bylines-2-position": "1",
            "bylines-2-role": "Additional reporting",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(b.author.name, b.position, b.role) for b in article.bylines.select_related("author")] == [
        ("Ben Second", 0, ""),
        ("Ana First", 1, ""),
        ("Cy Third", 2, "Additional reporting"),
    ]


def test_the_same_author_twice_in_a_byline_is_a_form_error(client, editor):
    author = make_author("Ana First")
    article = make_article("Solo", status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        {
            "headline": "Solo",
            "slug": article.slug,
            "body": article.body,
            "language": "en",
            "opened_version": article.version,
            "bylines-TOTAL_FORMS": "2",
            "bylines-INITIAL_FORMS": "0",
            "bylines-0-author": author.pk,
            "bylines-1-author": author.pk,
        },
    )
    assert response.status_code == 200
    assert "An author can appear only once in the byline." in response.content.decode()
    assert not article.bylines.exists()


def test_a_duplicate_slug_is_a_form_error(client, editor):
    make_article("First", slug="taken")
    article = make_article("Second", status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        {
            "headline": "Second",
            "slug": "taken",
            "language": "en",
            "opened_version": article.version,
            "bylines-TOTAL_FORMS": "0",
            "bylines-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Article with this Slug already exists." in response.content.decode()
    article.refresh_from_db()
    assert article.slug == "second"


def test_a_story_shown_read_only_renders_its_body_instead_of_showing_html(client, writer):
    article = make_article(
        "Submitted",
        status=Article.Status.IN_REVIEW,
        created_by=writer,
        body="<h2>What happened</h2><p>Water &amp; mud <strong>rose</strong>.</p><script>alert(1)</script>",
    )
    client.force_login(writer)
    page = BeautifulSoup(client.get(f"/admin/articles/article/{article.pk}/change/").content, "html.parser")
    body = page.select_one(".desk-body-read")
    assert body.h2.get_text() == "What happened"
    assert body.strong.get_text() == "rose"
    assert body.p.get_text() == "Water & mud rose."
    assert "&lt;p&gt;" not in str(body) and body.script is None
