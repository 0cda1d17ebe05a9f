"""Autosave keeps each user's unsaved edits on the server (not a revision, not a save, never seen
by readers) and offers them back; presence says who else has a story open."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from desk.models import MAX_VALUE_LENGTH, Autosave, Presence
from tests.factories import form_data, make_article, make_author, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(writer):
    return make_article("Council vote", status=Article.Status.DRAFT, created_by=writer, authors=[make_author()])


def change(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def autosave(article) -> str:
    return f"/admin/articles/article/{article.pk}/autosave/"


def test_an_autosave_is_kept_for_its_user_without_saving_the_story(client, writer, draft):
    client.force_login(writer)
    response = client.post(autosave(draft), form_data(draft, headline="Council votes tonight"))
    assert response.status_code == 200 and "saved_at" in response.json()
    draft.refresh_from_db()
    assert (draft.headline, draft.version) == ("Council vote", 1), "not a save, and the version does not move"
    assert not Version.objects.get_for_object(draft).exists(), "not a revision"
    assert Autosave.objects.get(user=writer, article=draft).data["headline"] == ["Council votes tonight"]


def test_each_autosave_overwrites_the_users_last(client, writer, draft):
    client.force_login(writer)
    for headline in ["One", "Two", "Three"]:
        client.post(autosave(draft), form_data(draft, headline=headline))
    assert Autosave.objects.get().data["headline"] == ["Three"]


def test_reopening_offers_the_unsaved_changes_with_what_differs(client, writer, draft):
    client.force_login(writer)
    client.post(autosave(draft), form_data(draft, headline="Council votes tonight"))
    page = client.get(change(draft)).content.decode()
    assert "Restore your unsaved changes from" in page
    assert "<ins>votes tonight</ins>" in page


def test_restoring_fills_the_form_and_saves_nothing_until_the_user_saves(client, writer, draft):
    client.force_login(writer)
    client.post(autosave(draft), form_data(draft, headline="Council votes tonight", body="<p>Typed, never saved.</p>"))
    restored = client.post(change(draft), {"_restore_autosave": "1"})
    assert restored.status_code == 200
    page = restored.content.decode()
    assert "These are your unsaved changes from" in page and "Typed, never saved." in page
    assert "Please correct the error" not in page
    draft.refresh_from_db()
    assert draft.headline == "Council vote"
    form = restored.context["adminform"].form
    assert client.post(change(draft), {**form.data.dict(), "_continue": "1"}).status_code == 302
    draft.refresh_from_db()
    assert draft.headline == "Council votes tonight"
    assert not Autosave.objects.exists(), "saving clears the autosave"


def test_discarding_clears_the_autosave(client, writer, draft):
    client.force_login(writer)
    client.post(autosave(draft), form_data(draft, headline="Council votes tonight"))
    assert client.post(f"/admin/articles/article/{draft.pk}/autosave/discard/").status_code == 302
    assert not Autosave.objects.exists()
    assert "Restore your unsaved changes" not in client.get(change(draft)).content.decode()


def test_a_new_story_never_saved_is_offered_on_the_dashboard_and_the_add_page(client, writer):
    client.force_login(writer)
    post = {"headline": "A story I never saved", "body": "<p>Half a lede</p>", "language": "en"}
    assert client.post("/admin/articles/article/autosave/", post).status_code == 200
    assert "You have an unsaved new story from" in client.get("/admin/").content.decode()
    add = client.get("/admin/articles/article/add/").content.decode()
    assert "Restore your unsaved changes from" in add and "<ins>A story I never saved</ins>" in add
    restored = client.post("/admin/articles/article/add/", {"_restore_autosave": "1"})
    assert "A story I never saved" in restored.content.decode() and not Article.objects.exists()


def test_autosave_is_only_for_stories_the_user_may_see(client, other_writer, draft):
    client.force_login(other_writer)
    assert client.post(autosave(draft), form_data(draft, headline="Mine now")).status_code == 404
    assert not Autosave.objects.exists()


def test_autosave_keeps_non_ascii_cuts_absurd_lengths_and_drops_control_characters(client, writer, draft):
    client.force_login(writer)
    body = "<p>Kjøpt: ø, 中文, é</p>" + "x" * (MAX_VALUE_LENGTH + 10)
    client.post(autosave(draft), form_data(draft, headline="Bl\x01åbær 中文", body=body, not_ours="dropped"))
    data = Autosave.objects.get().data
    assert data["headline"] == ["Blåbær 中文"]
    assert data["body"][0].startswith("<p>Kjøpt: ø, 中文, é</p>") and len(data["body"][0]) == MAX_VALUE_LENGTH
    assert "not_ours" not in data


def test_more_values_than_any_form_sends_are_refused_and_nothing_is_kept(client, writer, draft):
    client.force_login(writer)
    rows = {f"bylines-{n}-role": "x" for n in range(999)}
    assert client.post(autosave(draft), {**form_data(draft), **rows}).status_code == 400
    assert not Autosave.objects.exists()


def test_a_refused_save_is_kept_as_the_users_autosave(client, writer, draft):
    opened = form_data(draft)
    from articles import workflow

    workflow.submit(draft, user=writer)
    client.force_login(writer)
    response = client.post(change(draft), {**opened, "headline": "My better headline"})
    assert response.status_code == 409
    assert "kept as your unsaved draft of this story" in response.content.decode()
    assert Autosave.objects.get(user=writer, article=draft).data["headline"] == ["My better headline"]


def test_the_second_editor_sees_who_else_has_the_story_open(draft):
    maya, ben = make_staff("maya", "Editors"), make_staff("ben", "Editors")
    maya.first_name, maya.last_name = "Maya", "Fernandes"
    maya.save()
    first, second = Client(), Client()
    first.force_login(maya)
    second.force_login(ben)
    assert "is editing this story" not in first.get(change(draft)).content.decode()
    page = second.get(change(draft)).content.decode()
    assert "Maya Fernandes is editing this story (since" in page
    assert first.post(f"/admin/articles/article/{draft.pk}/presence/").json()["others"][0]["name"] == "ben"


def test_presence_ends_when_the_page_is_left_or_its_heartbeats_stop(draft):
    maya, ben = make_staff("maya", "Editors"), make_staff("ben", "Editors")
    first, second = Client(), Client()
    first.force_login(maya)
    second.force_login(ben)
    first.get(change(draft))
    assert [p.user for p in Presence.others(ben, draft)] == [maya]
    first.post(f"/admin/articles/article/{draft.pk}/presence/leave/")
    assert Presence.others(ben, draft) == []
    first.get(change(draft))
    with time_machine.travel(timezone.now() + Presence.EXPIRES + timedelta(seconds=1)):
        assert "is editing this story" not in second.get(change(draft)).content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_autosaves_and_heartbeats_at_the_same_moment_on_postgresql_keep_one_row_each():
    """Real transactions: two tabs of one user autosave and beat for the same new rows at once."""
    writer = make_staff("writer", "Writers")
    article = make_article("Shared", status=Article.Status.DRAFT, created_by=writer, authors=[make_author()])
    barrier, errors = threading.Barrier(4), []

    def tab(headline):
        try:
            client = Client()
            client.force_login(writer)
            barrier.wait()
            assert client.post(autosave(article), form_data(article, headline=headline)).status_code == 200
            assert client.post(f"/admin/articles/article/{article.pk}/presence/").status_code == 200
        except Exception as error:  # noqa: BLE001 - reported below, from the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=tab, args=(f"Tab {n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert Autosave.objects.filter(user=writer, article=article).count() == 1
    assert Presence.objects.filter(user=writer, article=article).count() == 1
