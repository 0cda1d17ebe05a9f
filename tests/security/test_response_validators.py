"""What readers' responses reveal: validators change only when readers can see a change, and a
hidden tag or author answers exactly as an unknown one (same status, body and queries)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import workflow
from articles.models import Article
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def validators(client, path: str) -> tuple[str, str]:
    response = client.get(path)
    assert response.status_code == 200
    return response["ETag"], response["Last-Modified"]


def test_a_submit_or_a_return_changes_no_public_validator(
    client, writer, editor, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to("2026-06-01 09:00:00+00:00", tick=False)
    make_article("Bridge reopens", authors=[make_author()], tags=["Bridges"])
    draft = make_article(
        "Secret merger talks",
        status=Article.Status.DRAFT,
        created_by=writer,
        authors=[make_author("Noor")],
        tags=["Bridges"],
    )
    pages = ["/", "/tags/bridges/", "/feed/", "/sitemap.xml"]
    before = {path: validators(client, path) for path in pages}

    time_machine.move_to("2026-06-01 09:05:00+00:00", tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(draft, user=writer)
    assert {path: validators(client, path) for path in pages} == before
    time_machine.move_to("2026-06-01 09:10:00+00:00", tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_to_draft(draft, user=editor, comment="Needs a second source.")
    assert {path: validators(client, path) for path in pages} == before

    time_machine.move_to("2026-06-01 09:15:00+00:00", tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(draft, user=writer)
        workflow.publish(Article.objects.get(pk=draft.pk), user=editor)
    after = {path: validators(client, path) for path in pages}
    assert all(after[path] != before[path] for path in pages)


def answer(client, path: str) -> tuple[int, bytes, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, response.content, len(queries)


@pytest.mark.parametrize("kind", ["tags", "authors"])
def test_a_hidden_tag_or_author_answers_as_an_unknown_one(client, writer, kind):
    hidden = make_author("Noor Haddad")
    make_article("Secret merger talks", status=Article.Status.DRAFT, authors=[hidden], tags=["Secret merger"])
    make_article("Bridge reopens", authors=[make_author()], tags=["Bridges"])
    slug = "secret-merger" if kind == "tags" else hidden.slug
    client.get("/")  # the page state is read once; both lookups below start from it
    seen, unknown = answer(client, f"/{kind}/{slug}/"), answer(client, f"/{kind}/no-such-{kind}/")
    assert seen[0] == unknown[0] == 404
    assert seen[1] == unknown[1]
    assert seen[2] == unknown[2]
    for path in (f"/{kind}/{slug}/feed/",):
        assert client.get(path).status_code == 404
