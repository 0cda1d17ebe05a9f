"""Going live asks first, in a real browser: one story from its page, several from the list (a
draft only if ticked); a writer withdraws a submission; an editor reschedules, with the site's
time zone named beside the picker."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people():
    return make_staff("writer", "Writers"), make_staff("editor", "Editors")


def story_page(live_server, article) -> str:
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/"


def test_a_publish_shows_the_checklist_and_asks_before_the_story_goes_live(live_server, desk, people, artifacts):
    writer, _ = people
    story = make_article(
        "Council passes the budget", status=Article.Status.IN_REVIEW, created_by=writer, authors=[make_author()]
    )
    page = desk("editor")
    page.goto(story_page(live_server, story))
    page.click("button:has-text('Publish now')")
    assert page.locator("#desk-confirm-title").inner_text() == "Publish now?"
    assert "The publish checklist is complete." in page.inner_text(".desk-confirm")
    summary = page.locator(".desk-confirm__summary")
    for shown in ["Council passes the budget", "News", "Asha Verma", "Now, as soon as you confirm", "UTC"]:
        assert shown in summary.inner_text()
    page.screenshot(path=artifacts / "desk-publish-confirmation.png", full_page=True)

    page.click("text=No, back to the story")  # nothing happens without the answer
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW

    page.click("button:has-text('Publish now')")
    page.fill("textarea[name=comment]", "Lead for the evening.")
    page.click("button:has-text('Yes, publish now')")
    page.wait_for_selector("text=Publish now: done")
    assert page.locator(".desk-panel h2").inner_text().startswith("Live since")
    story.refresh_from_db()
    assert story.is_live and story.transitions.get().comment == "Lead for the evening."
    assert page.blocked == []


def test_a_publish_the_checklist_stops_says_why_at_once(live_server, desk, people):
    story = make_article("Untitled brief", status=Article.Status.IN_REVIEW, body="")
    page = desk("editor")
    page.goto(story_page(live_server, story))
    page.click("button:has-text('Publish now')")
    page.wait_for_selector("text=“Publish now” was not done: Not ready to publish: The body is empty.")
    assert Article.objects.get(pk=story.pk).status == Article.Status.IN_REVIEW


def select_and_publish(page, live_server, articles) -> None:
    page.goto(f"{live_server.url}/admin/articles/article/")
    for article in articles:
        page.check(f"input.action-select[value='{article.pk}']")
    page.select_option("select[name=action]", "publish_selected")
    page.click("button[name=index]")
    page.wait_for_selector("#desk-confirm-title")


def test_bulk_publish_publishes_stories_in_review_and_drafts_only_when_each_is_ticked(
    live_server, desk, people, artifacts
):
    writer, _ = people
    reviewed = make_article(
        "Reviewed story", status=Article.Status.IN_REVIEW, created_by=writer, authors=[make_author()]
    )
    draft = make_article("Unreviewed draft", status=Article.Status.DRAFT, created_by=writer, authors=[make_author("B")])
    empty = make_article("Empty story", status=Article.Status.IN_REVIEW, created_by=writer, body="")
    page = desk("editor")

    select_and_publish(page, live_server, [reviewed, draft, empty])
    rows = page.locator(".desk-confirm__story")
    assert "Will be published." in rows.filter(has_text="Reviewed story").inner_text()
    assert rows.filter(has_text="Unreviewed draft").locator("input[name=publish_draft]").is_visible()
    assert "The body is empty." in rows.filter(has_text="Empty story").inner_text()
    page.screenshot(path=artifacts / "desk-bulk-publish-confirmation.png", full_page=True)
    page.click("button:has-text('Yes, publish')")  # the draft not ticked
    page.wait_for_selector("text=1 story published: “Reviewed story”.")
    assert page.locator("text=1 draft skipped, not confirmed: “Unreviewed draft”.").is_visible()
    assert page.locator("text=“Empty story”: The body is empty.").is_visible()
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT

    select_and_publish(page, live_server, [draft])
    page.check("text=Publish this draft without review")
    page.click("button:has-text('Yes, publish')")
    page.wait_for_selector("text=1 story published: “Unreviewed draft”.")
    assert set(Article.objects.published().values_list("headline", flat=True)) == {"Reviewed story", "Unreviewed draft"}
    assert page.blocked == []


def test_a_writer_withdraws_a_submission_to_fix_a_typo(live_server, desk, people):
    writer, _ = people
    story = make_article("Counsil vote", status=Article.Status.IN_REVIEW, created_by=writer, authors=[make_author()])
    page = desk("writer")
    page.goto(story_page(live_server, story))
    assert page.locator("#id_headline").count() == 0, "in review, the writer cannot edit it"
    page.get_by_label("Withdraw from review: why you withdraw it (optional)").fill("A typo in the headline.")
    page.click("button:has-text('Withdraw from review')")
    page.wait_for_selector("text=Withdraw from review: done")
    assert page.locator(".desk-panel h2").inner_text() == "Draft"
    page.fill("#id_headline", "Council vote")
    page.click("input[name=_continue]")
    page.wait_for_selector("text=was changed successfully")
    story.refresh_from_db()
    assert (story.headline, story.status) == ("Council vote", Article.Status.DRAFT)
    assert story.transitions.filter(action="withdraw", comment="A typo in the headline.").exists()


def test_an_editor_reschedules_with_the_sites_time_zone_named_beside_the_picker(
    live_server, desk, people, settings, artifacts
):
    settings.TIME_ZONE = "America/New_York"
    year = timezone.now().year + 1
    story = make_article("Budget day", published_at=timezone.now() + timedelta(days=1), authors=[make_author()])
    page = desk("editor")
    page.goto(story_page(live_server, story))
    picker = page.locator("#id_action-publish_at")
    assert picker.get_attribute("type") == "datetime-local"
    hint = page.locator(f"#{picker.get_attribute('aria-describedby')}")
    assert hint.inner_text().startswith("Time zone: America/New_York")
    assert hint.is_visible()
    page.screenshot(path=artifacts / "desk-reschedule.png", full_page=True)

    picker.fill(f"{year}-01-15T09:30")
    page.click("button:has-text('Reschedule')")
    page.wait_for_selector("text=Reschedule: done")
    assert page.locator(".desk-panel h2").inner_text() == f"Scheduled for 15 Jan {year}, 09:30"
    story.refresh_from_db()
    assert story.published_at == datetime(year, 1, 15, 14, 30, tzinfo=UTC), "read in the site's time zone"
    assert page.locator(".desk-history").get_by_text(f"Rescheduled for 15 Jan {year}, 09:30").is_visible()
    assert page.blocked == []
