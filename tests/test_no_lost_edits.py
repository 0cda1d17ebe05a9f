"""Two people editing the same article: a later save over a conflict is shown again, and nothing is lost."""

import threading

import pytest
from django.db import connection
from django.test import Client

from articles.models import Article
from tests.factories import form_data, make_article, make_author, make_staff


@pytest.mark.django_db
def test_second_save_is_refused_with_who_and_when_and_keeps_the_users_text(client, editor):
    other = make_staff("other_editor", "Editors")
    article = make_article("Council vote", status=Article.Status.DRAFT, body="<p>The council voted.</p>")
    opened = form_data(article)  # both open the form at the same version

    first = Client()
    first.force_login(other)
    assert (
        first.post(
            f"/admin/articles/article/{article.pk}/change/", {**opened, "body": "<p>The council voted 31 to 9.</p>"}
        ).status_code
        == 302
    )

    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        {**opened, "headline": "Council vote: my headline", "body": "<p>The council voted on Tuesday.</p>"},
    )
    assert response.status_code == 200, "refused, shown again"
    page = response.content.decode()
    assert "other_editor saved this article at" in page
    assert "Council vote: my headline" in page, "the user's headline is still in the form"
    assert "The council voted on Tuesday." in page, "the user's body is still in the form"
    assert "<ins>on Tuesday.</ins>" in page and "<del>31 to 9.</del>" in page, "the difference is shown"

    article.refresh_from_db()
    assert article.body == "<p>The council voted 31 to 9.</p>", "the first save is intact"
    assert article.headline == "Council vote"


@pytest.mark.django_db
def test_after_seeing_the_conflict_the_user_may_overwrite_deliberately(client, editor):
    other = make_staff("other_editor", "Editors")
    article = make_article("Council vote", status=Article.Status.DRAFT)
    opened = form_data(article)
    first = Client()
    first.force_login(other)
    first.post(f"/admin/articles/article/{article.pk}/change/", {**opened, "standfirst": "Theirs."})

    client.force_login(editor)
    url = f"/admin/articles/article/{article.pk}/change/"
    # Ticking "overwrite" without having seen the conflict does not help.
    refused = client.post(url, {**opened, "standfirst": "Mine.", "overwrite": "on"})
    assert refused.status_code == 200
    seen = refused.context["adminform"].form.data["conflict_seen"]
    assert (
        client.post(url, {**opened, "standfirst": "Mine.", "overwrite": "on", "conflict_seen": seen}).status_code == 302
    )
    article.refresh_from_db()
    assert article.standfirst == "Mine."


@pytest.mark.django_db
def test_a_stale_form_cannot_overwrite_a_transition(client, writer, editor):
    article = make_article("Draft", status=Article.Status.DRAFT, created_by=writer, authors=[make_author()])
    opened = form_data(article)
    from articles import workflow

    workflow.submit(article, user=editor)
    workflow.return_to_draft(article, user=editor, comment="Needs work.")
    client.force_login(writer)
    response = client.post(f"/admin/articles/article/{article.pk}/change/", {**opened, "headline": "Stale"})
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.headline == "Draft"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_at_once_on_postgresql_lose_nothing():
    """Real transactions and row locks: two threads post the same version at the same moment."""
    first_editor, second_editor = make_staff("first", "Editors"), make_staff("second", "Editors")
    article = make_article("Shared story", status=Article.Status.DRAFT)
    opened = form_data(article)
    barrier = threading.Barrier(2)
    results = {}

    def save(user, body):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            results[user.username] = client.post(
                f"/admin/articles/article/{article.pk}/change/", {**opened, "body": body}
            ).status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(first_editor, "<p>First.</p>")),
        threading.Thread(target=save, args=(second_editor, "<p>Second.</p>")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results.values()) == [200, 302], "one save, one refusal"
    winner = next(name for name, status in results.items() if status == 302)
    article.refresh_from_db()
    assert article.body == ("<p>First.</p>" if winner == "first" else "<p>Second.</p>")
    assert article.version == opened["opened_version"] + 1
