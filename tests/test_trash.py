"""The trash: deleting a story at the desk moves it there, off every public surface (its share
links and old addresses too), restorable as a draft until purge_trash deletes it for good.
(tests/test_no_draft_leaks.py checks the trashed story on every public surface.)"""

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from articles import workflow
from articles.models import Article, ArticleTransition, ShareLink, WireHold
from tests.factories import make_article, make_author
from wire.importer import import_document

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"
NTB = Path(__file__).resolve().parent / "ninjs" / "examples" / "v2.1-ntb_text.json"
BODY = [{"role": "text", "contenttype": "text/plain", "value": "Google har kjøpt en tomt på 800 mål i Skien."}]


def ntb(**changes) -> bytes:
    return json.dumps({**json.loads(NTB.read_text()), "bodies": BODY, **changes}).encode()


def live_story(**fields) -> Article:
    return make_article("Harbour bridge to close for a year", authors=[make_author("Asha Verma")], **fields)


def own_draft(writer, headline: str = "Notes for a story on the ferry") -> Article:
    return make_article(headline, status=Article.Status.DRAFT, created_by=writer)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def changelist(client, **query) -> str:
    response = client.get(CHANGELIST, query)
    assert response.status_code == 200
    return response.content.decode()


# The workflow


def test_trashing_a_live_story_takes_it_off_the_site_at_once_and_is_logged(editor, changed):
    story = live_story()
    url = story.get_absolute_url()
    assert Client().get(url).status_code == 200  # now in the readers' caches
    changed(lambda: workflow.trash(story, user=editor, comment="Duplicate of the morning story."))
    assert Client().get(url).status_code == 404
    assert not Article.objects.published().filter(pk=story.pk).exists()
    logged = story.transitions.get()
    assert (logged.action, logged.from_status, logged.to_status) == ("trash", "published", "draft")
    assert (logged.user, logged.comment) == (editor, "Duplicate of the morning story.")


def test_trashing_a_live_or_scheduled_story_needs_a_reason(editor):
    scheduled = make_article("Budget to be unveiled", published_at=timezone.now() + timedelta(hours=3))
    for story in [live_story(), scheduled]:
        with pytest.raises(workflow.WorkflowError, match="reason"):
            workflow.trash(story, user=editor, comment="  ")
    assert not Article.objects.in_trash().exists()


def test_a_restored_story_is_a_draft_that_never_goes_live_by_itself(editor):
    story = live_story()
    first_published, url = story.published_at, story.get_absolute_url()
    workflow.trash(story, user=editor, comment="Wrong story.")
    story = workflow.restore(story, user=editor)
    assert (story.state, story.trashed_at, story.trashed_by) == (Article.State.UNPUBLISHED, None, None)
    assert Client().get(url).status_code == 404
    story = workflow.publish(story, user=editor)  # as any unpublished story: same time and address
    assert (story.published_at, story.get_absolute_url()) == (first_published, url)
    assert [t.action for t in story.transitions.all()] == ["publish", "restore", "trash"]


def test_a_trashed_scheduled_story_gives_its_time_back(editor):
    story = make_article("Budget to be unveiled", published_at=timezone.now() + timedelta(hours=3))
    workflow.trash(story, user=editor, comment="Postponed indefinitely.")
    story = workflow.restore(story, user=editor)
    assert (story.state, story.published_at) == (Article.State.DRAFT, None)


def test_nothing_but_restore_can_be_done_to_a_story_in_the_trash(editor, writer):
    story = own_draft(writer)
    workflow.trash(story, user=writer)
    story.refresh_from_db()
    for action in [
        lambda: workflow.publish(story, user=editor),
        lambda: workflow.submit(story, user=writer),
        lambda: workflow.trash(story, user=editor),
    ]:
        with pytest.raises(workflow.WorkflowError, match="in the trash: restore it first"):
            action()
    assert [t.name for t in workflow.available_transitions(story, editor)] == ["restore"]
    assert not story.can_be_edited_by(editor)


def test_writers_trash_and_restore_their_own_drafts_but_not_what_has_been_live(writer, other_writer, editor):
    mine, theirs = own_draft(writer), own_draft(other_writer, "Someone else's draft")
    workflow.trash(mine, user=writer)
    workflow.restore(mine, user=writer)
    with pytest.raises(PermissionDenied):
        workflow.trash(theirs, user=writer)
    was_live = live_story(created_by=writer)
    workflow.unpublish(was_live, user=editor, comment="Checking a fact.")
    with pytest.raises(PermissionDenied):
        workflow.trash(was_live, user=writer)
    assert not Article.objects.in_trash().exists()


def test_a_share_link_stops_working_in_the_trash(editor, writer):
    story = own_draft(writer)
    link = ShareLink.objects.create(article=story, created_by=editor, expires_at=timezone.now() + timedelta(days=1))
    assert Client().get(link.get_absolute_url()).status_code == 200
    workflow.trash(story, user=editor)
    response = Client().get(link.get_absolute_url())
    assert response.status_code == 404
    assert story.headline not in response.content.decode()


def test_an_old_address_stops_redirecting_in_the_trash(editor):
    story = live_story()
    old_url = story.get_absolute_url()
    story.slug = "harbour-bridge-closes"
    story.save()
    assert Client().get(old_url).status_code == 301
    workflow.trash(story, user=editor, comment="Legal.")
    assert Client().get(old_url).status_code == 404


# The purge


def test_purge_trash_deletes_stories_after_thirty_days_and_says_how_many(editor, writer):
    with time_machine.travel(timezone.now() - timedelta(days=31)):
        old = own_draft(writer, "Abandoned in the spring")
        workflow.trash(old, user=writer)
    with time_machine.travel(timezone.now() - timedelta(days=29)):
        recent = own_draft(writer, "Abandoned last month")
        workflow.trash(recent, user=writer)
    kept = own_draft(writer, "Still being written")
    out = StringIO()
    call_command("purge_trash", stdout=out)
    assert out.getvalue() == "Purged 1 story in the trash for more than 30 days.\n"
    assert set(Article.objects.values_list("headline", flat=True)) == {recent.headline, kept.headline}
    assert not Version.objects.get_for_object_reference(Article, old.pk).exists()  # no copy left behind
    assert not ArticleTransition.objects.filter(article_id=old.pk).exists()


def test_the_trash_keeps_stories_as_long_as_newsroom_trash_days_says(settings, writer):
    settings.TRASH_DAYS = 7
    story = own_draft(writer)
    workflow.trash(story, user=writer)
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        call_command("purge_trash", stdout=StringIO())
        assert Article.objects.filter(pk=story.pk).exists()
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        out = StringIO()
        call_command("purge_trash", stdout=out)
        assert not Article.objects.filter(pk=story.pk).exists()
    assert out.getvalue() == "Purged 1 story in the trash for more than 7 days.\n"


# The desk


def test_the_desk_has_no_delete_only_move_to_the_trash(editor):
    story = live_story()
    client = logged_in(editor)
    page = client.get(f"{CHANGELIST}{story.pk}/change/").content.decode()
    assert "Move to the trash" in page
    assert f"{story.pk}/delete/" not in page
    assert 'value="delete_selected"' not in changelist(client)
    # The admin's delete address and action, posted anyway, delete nothing.
    response = client.post(f"{CHANGELIST}{story.pk}/delete/", {"post": "yes"}, follow=True)
    assert "Stories are not deleted" in response.content.decode()
    client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [story.pk], "post": "yes"})
    assert Article.objects.published().filter(pk=story.pk).exists()


def test_not_even_a_superuser_deletes_a_story_at_the_desk():
    story = live_story()
    client = logged_in(User.objects.create_superuser("chief", password="correct horse battery"))
    client.post(f"{CHANGELIST}{story.pk}/delete/", {"post": "yes"})
    client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [story.pk], "post": "yes"})
    assert Article.objects.filter(pk=story.pk, trashed_at=None).exists()


def test_an_editor_moves_stories_to_the_trash_and_restores_them_from_it(editor, writer):
    draft, live = own_draft(writer), live_story()
    client = logged_in(editor)
    response = client.post(
        CHANGELIST, {"action": "trash_selected", "_selected_action": [draft.pk, live.pk]}, follow=True
    )
    page = response.content.decode()
    assert "1 article(s) moved to the trash." in page
    assert "A reason for taking the story down is required." in page  # a live one goes from its page
    assert draft.headline not in changelist(client)
    trash = changelist(client, state="trashed")
    assert draft.headline in trash and "In the trash since" in trash and live.headline not in trash
    assert "deleted for good 30 days after it was moved here" in trash
    assert 'value="restore_selected"' in trash and 'value="trash_selected"' not in trash
    response = client.post(
        f"{CHANGELIST}?state=trashed", {"action": "restore_selected", "_selected_action": [draft.pk]}, follow=True
    )
    assert "1 article(s) restored as drafts." in response.content.decode()
    assert draft.headline in changelist(client, state="draft")


def test_a_live_story_is_trashed_from_its_page_with_a_reason(editor, changed):
    story = live_story()
    client = logged_in(editor)
    url = story.get_absolute_url()
    response = client.post(f"{CHANGELIST}{story.pk}/transition/trash/", {"comment": "Legal advice."}, follow=True)
    page = response.content.decode()
    assert "Move to the trash: done" in page
    assert "it will be deleted for good on" in page and "Restore from the trash" in page
    assert Client().get(url).status_code == 404


def test_a_writer_finds_their_trashed_draft_in_the_trash_and_restores_it(writer):
    draft = own_draft(writer)
    client = logged_in(writer)
    client.post(f"{CHANGELIST}{draft.pk}/transition/trash/", {"comment": ""}, follow=True)
    assert draft.headline not in changelist(client, state="draft", mine="1")
    assert not Article.objects.drafts().filter(pk=draft.pk).exists()  # the dashboard's "My drafts" too
    assert draft.headline in changelist(client, state="trashed")
    client.post(f"{CHANGELIST}{draft.pk}/transition/restore/", {"comment": ""})
    assert Article.objects.drafts().filter(pk=draft.pk).exists()


# The wire


def test_a_wire_reimport_of_a_trashed_story_says_so_and_makes_no_second_story(editor):
    story = import_document("ntb.json", ntb(), user=editor).article
    workflow.trash(story, user=editor)
    outcome = import_document("ntb.json", ntb(version="7"), user=editor)
    assert outcome.status == "trashed"
    assert f"“{story.headline}” is in the trash: nothing was imported" in outcome.message
    assert Article.objects.count() == 1 and Article.objects.get().is_trashed
    page = logged_in(editor).post(
        f"{CHANGELIST}import-ninjs/", {"files": [SimpleUploadedFile("ntb.json", ntb(version="8"))]}
    )
    assert "is in the trash: nothing was imported" in page.content.decode()
    assert Article.objects.count() == 1


def test_a_kill_of_a_trashed_story_is_kept_for_if_it_is_restored(editor):
    story = import_document("ntb.json", ntb(), user=editor).article
    workflow.trash(story, user=editor)
    outcome = import_document("ntb.json", ntb(version="7", pubstatus="canceled"), user=editor)
    assert outcome.status == "trashed"
    story = workflow.restore(story, user=editor)
    assert story.wire_hold == WireHold.KILLED


def test_a_fronts_pin_autocomplete_offers_no_story_in_the_trash(editor, writer):
    kept, trashed = live_story(), own_draft(writer, "Harbour ferry timetable")
    workflow.trash(trashed, user=editor)
    query = {"app_label": "fronts", "model_name": "block", "field_name": "pinned", "term": "Harbour"}
    response = logged_in(editor).get("/admin/autocomplete/", query)
    assert [item["text"] for item in response.json()["results"]] == [kept.headline]


def test_a_section_holding_a_trashed_story_says_where_the_story_is(editor, writer):
    story = own_draft(writer)
    workflow.trash(story, user=editor)
    page = logged_in(editor).get(f"/admin/articles/section/{story.section_id}/delete/").content.decode()
    assert "1 story is filed in it. Move them to another section first. (1 in the trash:" in page


def test_a_trashed_story_cannot_be_shared(editor, writer):
    story = own_draft(writer)
    workflow.trash(story, user=editor)
    response = logged_in(editor).post(f"{CHANGELIST}{story.pk}/share/", follow=True)
    assert "The story is in the trash: restore it first." in response.content.decode()
    assert not ShareLink.objects.exists()
