"""A story a writer may not open gets one answer, whether it is someone else's hidden story or
no story at all: the same status and the same message at every desk address of a story."""

import uuid

import pytest
from bs4 import BeautifulSoup

from articles.models import Article
from desk.admin import STORY_NOT_FOUND
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

MISSING = 987654

# Every desk address of a story, and how it is asked for.
ADDRESSES = [
    ("get", "change/"),
    ("post", "change/"),
    ("get", "history/"),
    ("get", "revisions/"),
    ("get", "revisions/compare/?from=1&to=2"),
    ("post", "revisions/1/restore/"),
    ("post", "transition/submit/"),
    ("post", "transition/return/"),
    ("post", "share/"),
    ("post", f"share/{uuid.UUID(int=1)}/revoke/"),
    ("post", "autosave/"),
    ("post", "autosave/discard/"),
    ("post", "presence/"),
    ("post", "presence/leave/"),
    ("get", "preview/"),
    ("get", "agency-update/1/"),
]


def answer(client, method: str, pk, address: str) -> tuple[int, str]:
    response = getattr(client, method)(f"/admin/articles/article/{pk}/{address}")
    page = BeautifulSoup(response.content, "html.parser")
    alert = page.select_one("[role=alert] h2")
    return response.status_code, alert.get_text(strip=True) if alert else ""


@pytest.mark.parametrize(("method", "address"), ADDRESSES, ids=[f"{m} {a}" for m, a in ADDRESSES])
def test_someone_elses_hidden_story_and_a_missing_one_get_the_same_answer(
    client, writer, other_writer, method, address
):
    hidden = make_article("Their draft", status=Article.Status.DRAFT, created_by=other_writer)
    client.force_login(writer)
    assert answer(client, method, hidden.pk, address) == (404, STORY_NOT_FOUND)
    assert answer(client, method, MISSING, address) == (404, STORY_NOT_FOUND)
    assert answer(client, method, "not-a-number", address) == (404, STORY_NOT_FOUND)


@pytest.mark.parametrize("address", ["revisions/", "revisions/compare/?from=1&to=2"])
def test_the_history_of_someone_elses_live_story_is_answered_as_missing(client, writer, other_writer, address):
    live = make_article("Their live story", created_by=other_writer, authors=[make_author()])
    client.force_login(writer)
    assert client.get(f"/admin/articles/article/{live.pk}/change/").status_code == 200  # they may read the story
    assert answer(client, "get", live.pk, address) == (404, STORY_NOT_FOUND)


def test_deleting_a_hidden_story_and_a_missing_one_get_the_same_answer(client, writer, other_writer):
    hidden = make_article("Their draft", status=Article.Status.DRAFT, created_by=other_writer)
    client.force_login(writer)
    assert answer(client, "get", hidden.pk, "delete/") == answer(client, "get", MISSING, "delete/")
    assert answer(client, "post", hidden.pk, "delete/") == answer(client, "post", MISSING, "delete/")


def test_the_answer_offers_the_way_back_to_the_list(client, writer):
    client.force_login(writer)
    page = BeautifulSoup(client.get(f"/admin/articles/article/{MISSING}/change/").content, "html.parser")
    assert page.select_one("[role=alert] a.button")["href"] == "/admin/articles/article/"
    assert "Perhaps it was deleted" not in page.get_text()


def test_restoring_an_autosave_of_a_hidden_story_gets_the_same_answer(client, writer, other_writer):
    hidden = make_article("Their draft", status=Article.Status.DRAFT, created_by=other_writer)
    client.force_login(writer)
    for pk in (hidden.pk, MISSING):
        response = client.post(f"/admin/articles/article/{pk}/change/", {"_restore_autosave": "1"})
        alert = BeautifulSoup(response.content, "html.parser").select_one("[role=alert] h2")
        assert (response.status_code, alert.get_text(strip=True)) == (404, STORY_NOT_FOUND)


@pytest.mark.parametrize(
    "odd_id",
    ["0", "-1", "1e3", "%00", "%E2%80%AE7", "x" * 2000, "99999999999999999999999999", "%F0%9F%93%B0"],
)
def test_an_odd_address_gets_the_same_answer(client, writer, odd_id):
    client.force_login(writer)
    assert answer(client, "get", odd_id, "change/") == (404, STORY_NOT_FOUND)
    assert answer(client, "get", odd_id, "revisions/") == (404, STORY_NOT_FOUND)
    assert answer(client, "post", odd_id, "transition/submit/") == (404, STORY_NOT_FOUND)
