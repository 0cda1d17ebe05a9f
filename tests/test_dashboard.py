"""The desk's dashboard (the admin index): a writer's stories by state and what came back to them
with the editor's comment; for editors also the review queue (who submitted, when, their note)
and what is scheduled; what was published lately and the desk's latest activity. Each row is
one click from its story; everyone reaches the desk's sections, superusers every application."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.utils import timezone

from articles import workflow
from articles.models import Article
from tests.factories import desk_at_work, make_article, make_author

pytestmark = pytest.mark.django_db


def board(client, user) -> BeautifulSoup:
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def rows(page: BeautifulSoup, card: str) -> list[dict]:
    """Each row of a card of the dashboard: its headline, link, line of detail and note."""
    found = []
    for row in page.select(f"#{card} .desk-row"):
        title = row.select_one(".desk-row__title")
        meta = row.select_one(".desk-row__meta")
        note = row.select_one(".desk-row__note, .desk-row__quote")
        found.append(
            {
                "headline": title.get_text(strip=True),
                "href": title["href"],
                "meta": " ".join(meta.get_text().split()) if meta else "",
                "note": note.get_text(strip=True) if note else "",
            }
        )
    return found


def change_url(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def test_the_review_queue_says_who_submitted_what_when_and_why(client, writer, editor):
    make_author("Maya Fernandes", user=writer)
    first = make_article("Flood defences hold", status=Article.Status.DRAFT, created_by=writer)
    second = make_article("Ferry returns", status=Article.Status.DRAFT, created_by=writer)
    workflow.submit(first, user=writer, comment="Checked with the council.")
    workflow.submit(second, user=writer)
    queue = rows(board(client, editor), "review-queue")
    assert [row["headline"] for row in queue] == ["Flood defences hold", "Ferry returns"], "the longest waiting first"
    when = timezone.localtime(first.transitions.get().created_at)
    assert queue[0]["meta"] == f"Submitted by Maya Fernandes, {when:%-d %b, %H:%M}"
    assert queue[0]["note"] == "Checked with the council."
    assert queue[1]["note"] == ""
    assert queue[0]["href"] == change_url(first)


def test_a_story_submitted_again_shows_its_latest_note(client, writer, editor):
    story = make_article("Budget vote", status=Article.Status.DRAFT, created_by=writer)
    workflow.submit(story, user=writer, comment="First go")
    workflow.return_to_draft(story, user=editor, comment="Add the figures")
    workflow.submit(story, user=writer, comment="Figures added")
    assert [row["note"] for row in rows(board(client, editor), "review-queue")] == ["Figures added"]


def test_a_writer_sees_what_was_returned_to_them_with_the_editors_comment(client, writer, editor, other_writer):
    make_author("Lena Park", user=editor)
    mine = make_article("Council budget", status=Article.Status.DRAFT, created_by=writer)
    theirs = make_article("Their story", status=Article.Status.DRAFT, created_by=other_writer)
    for story in (mine, theirs):
        workflow.submit(story, user=story.created_by)
        workflow.return_to_draft(story, user=editor, comment="Needs a second source.")
    returned = rows(board(client, writer), "returned")
    assert [(row["headline"], row["note"]) for row in returned] == [("Council budget", "Needs a second source.")]
    assert returned[0]["meta"].startswith("Returned by Lena Park, ")
    assert returned[0]["href"] == change_url(mine)


def test_a_returned_story_leaves_the_list_once_it_is_submitted_again(client, writer, editor):
    story = make_article("Council budget", status=Article.Status.DRAFT, created_by=writer)
    workflow.submit(story, user=writer)
    workflow.return_to_draft(story, user=editor, comment="Needs a second source.")
    workflow.submit(story, user=writer, comment="Source added")
    page = board(client, writer)
    assert rows(page, "returned") == []
    assert page.select_one("#returned") is None


def test_a_bylined_writer_sees_what_was_returned_on_a_story_someone_else_created(client, writer, editor):
    story = make_article("Wire rewrite", status=Article.Status.DRAFT, created_by=editor)
    story.bylines.create(author=make_author("Maya Fernandes", user=writer), position=0)
    workflow.submit(story, user=editor)
    workflow.return_to_draft(story, user=editor, comment="Rewrite the top.")
    assert [row["note"] for row in rows(board(client, writer), "returned")] == ["Rewrite the top."]


def test_scheduled_stories_with_their_times_the_next_first(client, editor):
    now = timezone.now()
    later = make_article("Later", published_at=now + timedelta(days=2))
    sooner = make_article("Sooner", published_at=now + timedelta(hours=3))
    make_article("Already live")
    scheduled = rows(board(client, editor), "scheduled")
    assert [row["headline"] for row in scheduled] == ["Sooner", "Later"]
    when = timezone.localtime(sooner.published_at)
    assert scheduled[0]["meta"] == f"Goes live {when:%a %-d %b, %H:%M} UTC"
    assert scheduled[1]["href"] == change_url(later)


def test_an_embargo_later_than_the_time_set_is_when_it_goes_live(client, editor):
    now = timezone.now()
    make_article("Held", published_at=now + timedelta(hours=1), embargoed_until=now + timedelta(hours=5))
    make_article("Next", published_at=now + timedelta(hours=2))
    scheduled = rows(board(client, editor), "scheduled")
    assert [row["headline"] for row in scheduled] == ["Next", "Held"]
    assert scheduled[1]["meta"].endswith("(embargoed)")


def test_writers_see_their_own_stories_by_state_and_no_review_queue_or_schedule(client, writer, editor):
    made = desk_at_work(writer, editor, 2)
    make_article("Someone else's draft", status=Article.Status.DRAFT, created_by=editor)
    page = board(client, writer)
    assert page.select_one("#review-queue") is None and page.select_one("#scheduled") is None
    states = {" ".join(link.get_text().split()): link["href"] for link in page.select("#my-stories .desk-states a")}
    assert states == {
        "2 Draft": "/admin/articles/article/?state=draft&mine=1",
        "2 In review": "/admin/articles/article/?state=in_review&mine=1",
        "2 Scheduled": "/admin/articles/article/?state=scheduled&mine=1",
        "2 Live": "/admin/articles/article/?state=live&mine=1",
        "0 Unpublished": "/admin/articles/article/?state=unpublished&mine=1",
    }
    mine = rows(page, "my-stories")
    assert len(mine) == 8 and "Someone else's draft" not in [row["headline"] for row in mine]
    assert mine[0]["headline"] == made["live"][-1].headline, "the latest edited first"
    assert mine[0]["meta"].startswith("Live since ")


def test_each_state_link_lists_those_stories(client, writer, editor):
    desk_at_work(writer, editor, 1)
    page = board(client, writer)
    for link in page.select("#my-stories .desk-states a"):
        count = int(link.select_one(".desk-states__count").get_text())
        listed = BeautifulSoup(client.get(link["href"]).content, "html.parser")
        assert len(listed.select("#result_list tbody tr")) == count, link.get_text()


def test_editors_see_the_review_queue_and_the_schedule_with_counts(client, writer, editor):
    desk_at_work(writer, editor, 3)
    page = board(client, editor)
    assert page.select_one("#review-title").get_text(strip=True) == "Awaiting review (3)"
    assert page.select_one("#scheduled-title").get_text(strip=True) == "Scheduled (3)"
    assert len(rows(page, "review-queue")) == 3 and len(rows(page, "scheduled")) == 3


def test_recently_published_lists_what_is_live_the_newest_first(client, writer):
    now = timezone.now()
    make_article("Yesterday", published_at=now - timedelta(days=1))
    make_article("An hour ago")
    make_article("Tomorrow", published_at=now + timedelta(days=1))
    make_article("A draft", status=Article.Status.DRAFT)
    published = rows(board(client, writer), "recently-published")
    assert [row["headline"] for row in published] == ["An hour ago", "Yesterday"]


def test_the_latest_activity_shows_only_what_the_user_may_see(client, writer, other_writer, editor):
    hidden = make_article("Their secret draft", status=Article.Status.DRAFT, created_by=other_writer)
    workflow.submit(hidden, user=other_writer, comment="Embargoed source")
    mine = make_article("My story", status=Article.Status.DRAFT, created_by=writer)
    workflow.submit(mine, user=writer, comment="Have a look")
    activity = rows(board(client, writer), "activity")
    assert [(row["headline"], row["note"]) for row in activity] == [("My story", "“Have a look”")]
    assert activity[0]["meta"].startswith("Submitted for review · writer, ")
    seen_by_editor = [row["headline"] for row in rows(board(client, editor), "activity")]
    assert seen_by_editor == ["My story", "Their secret draft"]


def test_every_row_is_one_click_from_its_story(client, writer, editor):
    desk_at_work(writer, editor, 1)
    for user in (writer, editor):
        page = board(client, user)
        links = [link["href"] for link in page.select(".desk-row__title")]
        assert links
        for href in set(links):
            assert client.get(href).status_code == 200, href


def test_everyone_reaches_the_desk_sections_they_may_use_and_superusers_every_application(client, writer):
    page = board(client, writer)
    sections = [link.get_text(strip=True) for link in page.select(".desk-sections a")]
    assert "Articles" in sections and "Users" not in sections
    assert page.select_one(".desk-apps") is None
    admin = User.objects.create_superuser("boss", password="correct horse battery")
    page = board(client, admin)
    assert "Users" in [link.get_text(strip=True) for link in page.select(".desk-sections a")]
    assert "Authentication and Authorization" in page.select_one(".desk-apps").get_text()


def test_a_story_headline_is_escaped(client, writer):
    make_article("<script>alert(1)</script> & more", status=Article.Status.DRAFT, created_by=writer)
    client.force_login(writer)
    page = client.get("/admin/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page


def test_the_dashboard_carries_no_inline_style_or_script(client, writer, editor):
    desk_at_work(writer, editor, 1)
    for user in (writer, editor):
        page = board(client, user)
        assert not page.select("[style]")
        assert not [script for script in page.select("script") if not script.get("src")]
