"""The desk asks before a story goes live: one story from its page, or several from the list.
The question shows the publish checklist and what will go live; the server publishes nothing
without the answer."""

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.utils import timezone

from articles.models import Article
from tests.factories import form_data, make_article, make_author

pytestmark = pytest.mark.django_db

LIST = "/admin/articles/article/"


def change(article) -> str:
    return f"{LIST}{article.pk}/change/"


def confirm(article, action: str = "publish") -> str:
    return f"{LIST}{article.pk}/confirm/{action}/"


def transition(article, action: str = "publish") -> str:
    return f"{LIST}{article.pk}/transition/{action}/"


@pytest.fixture
def in_review(writer):
    return make_article(
        "Council votes on the budget",
        status=Article.Status.IN_REVIEW,
        created_by=writer,
        authors=[make_author("Asha Verma")],
    )


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_publish_posted_without_the_confirmation_only_asks(client, editor, in_review):
    client.force_login(editor)
    response = client.post(transition(in_review), {"comment": "Lead story."})
    assert response.status_code == 302
    assert response["Location"] == confirm(in_review)
    in_review.refresh_from_db()
    assert (in_review.status, in_review.transitions.count()) == ("in_review", 0)


def test_the_confirmation_shows_the_checklist_and_what_will_go_live(client, editor, in_review):
    client.force_login(editor)
    comment = "Lead story. Légende vérifiée, « citations » confirmées. " * 30  # too long for an address
    page = soup(client.get(client.post(transition(in_review), {"comment": comment})["Location"]))
    assert page.select_one("#desk-confirm-title").get_text() == "Publish now?"
    assert "The publish checklist is complete." in page.get_text()
    summary = {row.th.get_text(): row.td.get_text() for row in page.select(".desk-confirm__summary tr")}
    assert summary == {
        "Headline": "Council votes on the budget",
        "Section": "News",
        "Byline": "Asha Verma",
        "Lead image": "None",
        "Goes live": "Now, as soon as you confirm",
        "Time zone": "UTC",
    }
    form = page.select_one("form.desk-confirm__form")
    assert form["action"] == transition(in_review)
    assert form.select_one("textarea[name=comment]").get_text().strip() == comment.strip()
    assert form.select_one("button[type=submit]").get_text() == "Yes, publish now"


def test_publishing_on_confirmation(client, editor, in_review):
    client.force_login(editor)
    response = client.post(transition(in_review), {"comment": "Lead story.", "_confirmed": "1"}, follow=True)
    assert "Publish now: done for “Council votes on the budget”." in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.is_live and in_review.transitions.get().comment == "Lead story."


def test_the_publish_button_on_the_story_saves_the_edits_then_asks(client, editor, in_review):
    client.force_login(editor)
    data = {**form_data(in_review, headline="Council passes the budget"), "_transition": "publish"}
    response = client.post(change(in_review), data)
    assert response.status_code == 302 and response["Location"] == confirm(in_review)
    assert said(response) == ["Your changes are saved."]
    in_review.refresh_from_db()
    assert (in_review.headline, in_review.status) == ("Council passes the budget", "in_review")


def test_a_draft_published_alone_is_marked_as_not_reviewed(client, editor, writer):
    draft = make_article("Quick brief", status=Article.Status.DRAFT, created_by=writer, authors=[make_author()])
    client.force_login(editor)
    assert "It has not been through review." in soup(client.get(confirm(draft))).get_text()


def test_a_story_the_checklist_stops_is_not_offered_to_confirm(client, editor, writer):
    story = make_article("No byline", status=Article.Status.IN_REVIEW, created_by=writer, body="")
    client.force_login(editor)
    page = soup(client.get(confirm(story)))
    assert [item.get_text() for item in page.select(".desk-checklist li")] == [
        "The body is empty.",
        "Add a byline or a credit.",
    ]
    assert page.select("form.desk-confirm__form") == []
    # Pressed on the story, it says why at once: there is nothing to confirm.
    response = client.post(change(story), {**form_data(story), "_transition": "publish"}, follow=True)
    assert "“Publish now” was not done: Not ready to publish: The body is empty." in response.content.decode()
    assert Article.objects.get(pk=story.pk).status == "in_review"


def test_a_writer_cannot_open_the_confirmation(client, writer, in_review):
    client.force_login(writer)
    response = client.get(confirm(in_review), follow=True)
    assert "You may not use “Publish now” on this article." in response.content.decode()


def test_a_transition_that_asks_nothing_has_no_confirmation(client, editor, in_review):
    client.force_login(editor)
    assert client.get(confirm(in_review, "return")).status_code == 404


def test_a_schedule_asks_with_the_time_read_in_the_sites_time_zone(client, editor, in_review, settings):
    settings.TIME_ZONE = "America/New_York"
    year = timezone.now().year + 1
    client.force_login(editor)
    data = {**form_data(in_review), "_transition": "schedule", "action-publish_at": f"{year}-01-15T09:30"}
    asked = client.post(change(in_review), data)
    assert asked["Location"] == confirm(in_review, "schedule")
    page = soup(client.get(asked["Location"]))
    summary = {row.th.get_text(): row.td.get_text() for row in page.select(".desk-confirm__summary tr")}
    assert (summary["Goes live"], summary["Time zone"]) == (f"15 Jan {year}, 09:30", "America/New_York")
    picker = page.select_one("input[name=publish_at]")
    assert (picker["type"], picker["value"]) == ("datetime-local", f"{year}-01-15T09:30")
    assert "Time zone: America/New_York" in page.select_one(f"#{picker['aria-describedby']}").get_text()

    client.post(transition(in_review, "schedule"), {"publish_at": f"{year}-01-15T09:30", "_confirmed": "1"})
    in_review.refresh_from_db()
    assert (in_review.state, in_review.published_at) == ("scheduled", datetime(year, 1, 15, 14, 30, tzinfo=UTC))


def test_the_story_page_names_the_time_zone_beside_each_picker(client, editor, writer):
    scheduled = make_article("Budget day", published_at=timezone.now() + timedelta(days=1), authors=[make_author()])
    client.force_login(editor)
    page = soup(client.get(change(scheduled)))
    picker = page.select_one("input[name=action-publish_at]")
    assert (picker["type"], picker["value"]) == ("datetime-local", f"{scheduled.published_at:%Y-%m-%dT%H:%M}")
    hint = page.select_one(f"#{picker['aria-describedby']}").get_text()
    assert hint.startswith("Time zone: UTC") and "2026-12-08 09:30" in hint


@pytest.mark.parametrize(
    "typed",
    [
        "tomorrow",
        "2031-02-30T10:00",
        "demain à 10 h",
        "2031-01-01T10:00\x00",
        "2031-01-01",  # not midnight by default
        "2031-01-01T10:00+05:00",  # a time is read in the site's time zone, as the hint says
        "9" * 5000,
    ],
)
def test_a_time_that_cannot_be_read_is_a_clear_error(client, editor, in_review, typed):
    client.force_login(editor)
    response = client.post(transition(in_review, "schedule"), {"publish_at": typed, "_confirmed": "1"}, follow=True)
    assert "Schedule: Publish at – Enter a date and time, such as 2026-12-08 09:30." in response.content.decode()
    assert Article.objects.get(pk=in_review.pk).status == "in_review"


def test_a_time_the_clocks_skip_is_a_clear_error(client, editor, in_review, settings):
    settings.TIME_ZONE = "Europe/London"
    year = timezone.now().year + 1
    march_31 = datetime(year, 3, 31)
    last_sunday = march_31 - timedelta(days=(march_31.weekday() + 1) % 7)  # 01:00 to 02:00 does not exist
    client.force_login(editor)
    response = client.post(
        transition(in_review, "schedule"),
        {"publish_at": f"{last_sunday:%Y-%m-%d}T01:30", "_confirmed": "1"},
        follow=True,
    )
    assert "couldn’t be interpreted in time zone Europe/London" in response.content.decode()


# Bulk publish.


def bulk(client, articles, **fields):
    return client.post(LIST, {"action": "publish_selected", "_selected_action": [a.pk for a in articles], **fields})


@pytest.fixture
def selection(writer, in_review):
    draft = make_article("Draft brief", status=Article.Status.DRAFT, created_by=writer, authors=[make_author("B")])
    empty = make_article("Empty story", status=Article.Status.IN_REVIEW, created_by=writer, body="")
    return in_review, draft, empty


def test_bulk_publish_first_lists_each_story_with_its_state_and_checklist(client, editor, selection):
    in_review, draft, empty = selection
    client.force_login(editor)
    response = bulk(client, selection)
    assert response.status_code == 200
    page = soup(response)
    stories = {item.strong.get_text(): item for item in page.select(".desk-confirm__story")}
    assert set(stories) == {"Council votes on the budget", "Draft brief", "Empty story"}
    assert "Will be published." in stories["Council votes on the budget"].get_text()
    assert stories["Draft brief"].select_one("input[name=publish_draft]")["value"] == str(draft.pk)
    assert [li.get_text() for li in stories["Empty story"].select("li")] == [
        "The body is empty.",
        "Add a byline or a credit.",
    ]
    assert Article.objects.published().count() == 0, "nothing is published before the answer"


def test_bulk_publish_publishes_stories_in_review_and_skips_unticked_drafts(client, editor, selection):
    in_review, draft, empty = selection
    client.force_login(editor)
    response = bulk(client, selection, post="yes")
    assert said(response) == [
        "1 story published: “Council votes on the budget”.",
        "1 draft skipped, not confirmed: “Draft brief”. A draft that has not been through review is "
        "published only when you tick it on the confirmation.",
        "1 story refused:",
        "“Empty story”: The body is empty. Add a byline or a credit.",
    ]
    assert list(Article.objects.published().values_list("headline", flat=True)) == ["Council votes on the budget"]


def test_bulk_publish_publishes_a_draft_the_editor_ticked(client, editor, selection):
    in_review, draft, empty = selection
    client.force_login(editor)
    response = bulk(client, [in_review, draft], post="yes", publish_draft=[draft.pk])
    [message] = said(response)
    assert message.startswith("2 stories published: ")
    assert "“Council votes on the budget”" in message and "“Draft brief”" in message
    assert Article.objects.published().count() == 2


def test_bulk_publish_refuses_what_is_already_live_or_embargoed(client, editor, writer):
    live = make_article("Live story", authors=[make_author()])
    embargoed = make_article(
        "Embargoed story",
        status=Article.Status.IN_REVIEW,
        authors=[make_author("C")],
        embargoed_until=timezone.now() + timedelta(hours=2),
    )
    client.force_login(editor)
    messages = said(bulk(client, [live, embargoed], post="yes"))
    assert messages[0] == "2 stories refused:"
    assert "“Live story”: It is live already." in messages
    assert any(message.startswith("“Embargoed story”: Embargoed until") for message in messages)
    assert Article.objects.get(pk=embargoed.pk).status == "in_review"


def test_a_writer_cannot_bulk_publish_even_with_every_box_ticked(client, writer, in_review):
    client.force_login(writer)
    bulk(client, [in_review], post="yes", publish_draft=[in_review.pk])
    assert Article.objects.get(pk=in_review.pk).status == "in_review"


def test_bulk_publish_of_too_many_stories_at_once_publishes_nothing(client, editor, writer, monkeypatch):
    from desk import publishing

    monkeypatch.setattr(publishing, "MOST_AT_ONCE", 2)
    stories = [
        make_article(f"Story {n}", status=Article.Status.IN_REVIEW, authors=[make_author(f"R {n}")]) for n in range(3)
    ]
    client.force_login(editor)
    assert said(bulk(client, stories, post="yes")) == [
        "Nothing was published: choose at most 2 stories to publish at once."
    ]
    assert Article.objects.published().count() == 0


@pytest.mark.parametrize("size", [1, 12])
def test_the_confirmations_read_a_fixed_number_of_queries(client, editor, size, django_assert_max_num_queries):
    stories = [
        make_article(
            f"Story {n}", status=Article.Status.IN_REVIEW, authors=[make_author(f"R {n}"), make_author(f"S {n}")]
        )
        for n in range(size)
    ]
    client.force_login(editor)
    # The list's own (session, user, permissions, sections, count), the stories with their
    # bylines and tags in three, the site settings: none per story.
    with django_assert_max_num_queries(11):
        assert bulk(client, stories).status_code == 200
    # The session, the user and permissions, the story with its byline and tags, its section, the site settings.
    with django_assert_max_num_queries(9):
        assert client.get(confirm(stories[0])).status_code == 200
