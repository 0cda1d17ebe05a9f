"""Editors manage the paper's sections at the desk, and find, file and publish stories by section."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Section
from tests.factories import form_data, make_article, make_author

pytestmark = pytest.mark.django_db

ADD = "/admin/articles/section/add/"


@pytest.fixture
def world():
    return Section.objects.create(name="World", slug="world", position=1)


@pytest.fixture
def asia(world):
    return Section.objects.create(name="Asia", slug="asia", parent=world)


def section_form(**changes) -> dict:
    return {"name": "Culture", "slug": "culture", "parent": "", "description": "", "position": "5", **changes}


def errors(response) -> str:
    return " ".join(
        e.get_text(" ", strip=True) for e in BeautifulSoup(response.content, "html.parser").select(".errorlist")
    )


def test_the_list_shows_each_sections_parent_order_state_and_live_stories(client, editor, world, asia):
    Section.objects.create(name="Opinion", slug="opinion", position=0, is_active=False)
    make_article("Live in Asia", section=asia)
    make_article("Live in World", section=world)
    make_article("Draft in World", section=world, status=Article.Status.DRAFT)
    make_article("Tomorrow in World", section=world, published_at=timezone.now() + timedelta(days=1))
    client.force_login(editor)
    rows = BeautifulSoup(client.get("/admin/articles/section/").content, "html.parser").select("#result_list tbody tr")
    shown = [
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")[1:]]
        for row in rows  # the first cell is the row's checkbox
    ]
    names = [(row[0], row[1], row[-1]) for row in shown]
    assert names == [("Opinion", "-", "0"), ("World", "-", "1"), ("Asia", "World", "1")], (
        "in the navigation's order, each subsection under its parent; only live stories count"
    )


def test_the_list_reads_its_counts_with_its_rows_however_many_sections(client, editor, django_assert_num_queries):
    for n in range(30):
        make_article(f"Story {n}", section=Section.objects.create(name=f"Section {n}", slug=f"section-{n}"))
    client.force_login(editor)
    client.get("/admin/articles/section/")
    # Session, user, two for permissions, two counts of sections (all, and matching), the rows with
    # their parents and counts, the site settings for the menu: no COUNT per row.
    with django_assert_num_queries(8):
        page = client.get("/admin/articles/section/")
    assert page.content.decode().count("?section=") >= 30


@pytest.mark.parametrize(
    "slug",
    [
        "admin",
        "tags",
        "authors",
        "search",
        "feed",
        "ninjs",
        "preview",
        "media",
        "static",
        "latest",
        "sitemap",
        "robots",
    ],
)
def test_a_section_cannot_take_an_address_the_site_already_uses(client, editor, slug):
    client.force_login(editor)
    response = client.post(ADD, section_form(name=slug.title(), slug=slug))
    assert response.status_code == 200
    assert f"The address “{slug}” is already used by the site" in errors(response)
    assert not Section.objects.filter(slug=slug).exists()


def test_robots_txt_is_no_slug_at_all(client, editor):
    client.force_login(editor)
    response = client.post(ADD, section_form(slug="robots.txt"))
    assert "Enter a valid “slug”" in errors(response)


def test_a_subsection_cannot_take_the_address_of_its_parents_feed(world):
    """/world/feed/ is World's feed (the readers' `section-feed`): no subsection may be called feed."""
    with pytest.raises(ValidationError) as refused:
        Section(name="Feed", slug="feed", parent=world).full_clean()
    assert "already used by the site" in str(refused.value.message_dict["slug"])


def test_subsections_go_one_level_deep(client, editor, asia):
    client.force_login(editor)
    response = client.post(ADD, section_form(name="Japan", slug="japan", parent=asia.pk))
    assert "Select a valid choice" in errors(response), "only top-level sections are offered as parents"
    with pytest.raises(ValidationError, match="one level deep"):
        Section(name="Japan", slug="japan", parent=asia).full_clean()


def test_a_section_with_subsections_cannot_become_one(client, editor, world, asia):
    Section.objects.create(name="Europe", slug="europe")
    client.force_login(editor)
    europe = Section.objects.get(slug="europe")
    response = client.post(
        f"/admin/articles/section/{world.pk}/change/", section_form(name="World", slug="world", parent=europe.pk)
    )
    assert "This section has subsections" in errors(response)


def test_non_ascii_names_and_slugs_are_welcome(client, editor):
    client.force_login(editor)
    response = client.post(ADD, section_form(name="Économie et société", slug="économie"))
    assert response.status_code == 302, errors(response)
    assert Section.objects.get(slug="économie").name == "Économie et société"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "Cul\x07ture"}, "invisible control character (U+0007)"),
        ({"description": "A page\x00 of"}, "Null characters are not allowed"),
        ({"name": "C" * 10_000}, "Ensure this value has at most 60 characters"),
        ({"slug": "c" * 10_000}, "Ensure this value has at most 60 characters"),
        ({"description": "Words " * 1_000}, "Ensure this value has at most 500 characters"),
        ({"slug": "cul\x07ture"}, "Enter a valid “slug”"),
    ],
    ids=["control-in-name", "null-in-description", "long-name", "long-slug", "long-description", "control-in-slug"],
)
def test_bad_text_is_refused_with_a_clear_message_and_nothing_saved(client, editor, changes, message):
    client.force_login(editor)
    response = client.post(ADD, section_form(**changes))
    assert response.status_code == 200
    assert message in errors(response)
    assert not Section.objects.exists()


def test_a_section_holding_stories_cannot_be_deleted_and_says_why(client, editor, world, asia):
    make_article("Filed in World", section=world, status=Article.Status.DRAFT)
    client.force_login(editor)
    page = client.get(f"/admin/articles/section/{world.pk}/delete/")
    assert page.status_code == 200
    text = BeautifulSoup(page.content, "html.parser").get_text(" ", strip=True)
    assert "World: 1 story is filed in it. Move them to another section first." in text
    assert "its subsections (Asia) must be moved or deleted first" in text
    assert client.post(f"/admin/articles/section/{world.pk}/delete/", {"post": "yes"}).status_code == 200
    assert Section.objects.filter(pk=world.pk).exists()

    bulk = client.post(
        "/admin/articles/section/", {"action": "delete_selected", "_selected_action": [world.pk], "post": "yes"}
    )
    assert bulk.status_code == 200 and Section.objects.filter(pk=world.pk).exists()


def test_an_empty_section_can_be_deleted(client, editor):
    empty = Section.objects.create(name="Empty", slug="empty")
    client.force_login(editor)
    assert client.post(f"/admin/articles/section/{empty.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Section.objects.filter(pk=empty.pk).exists()


def test_the_story_list_shows_each_section_and_filters_by_it_subsections_included(client, editor, world, asia):
    make_article("Summit in Tokyo", section=asia)
    make_article("Summit in Paris", section=world)
    make_article("Council budget")  # in News
    client.force_login(editor)
    page = BeautifulSoup(client.get("/admin/articles/article/").content, "html.parser")
    assert page.select_one("#changelist-filter").find("a", string="World › Asia") is not None
    rows = {
        row.select_one("th").get_text(strip=True): row.select_one("td.field-section_name").get_text()
        for row in page.select("#result_list tbody tr")
    }
    assert rows == {"Summit in Tokyo": "World › Asia", "Summit in Paris": "World", "Council budget": "News"}

    in_world = client.get("/admin/articles/article/", {"section": world.pk}).content.decode()
    assert "Summit in Tokyo" in in_world and "Summit in Paris" in in_world and "Council budget" not in in_world
    in_asia = client.get("/admin/articles/article/", {"section": asia.pk}).content.decode()
    assert "Summit in Tokyo" in in_asia and "Summit in Paris" not in in_asia
    assert client.get("/admin/articles/article/", {"section": "²"}).status_code == 200


def test_the_desk_shows_the_missing_section_before_publish_is_pressed(client, editor, world):
    story = make_article("Summit ends", status=Article.Status.DRAFT, section=None, authors=[make_author()])
    client.force_login(editor)
    url = f"/admin/articles/article/{story.pk}/change/"
    checklist = BeautifulSoup(client.get(url).content, "html.parser").select_one(".desk-checklist")
    assert [item.get_text() for item in checklist.select("li")] == ["Choose a section."]

    refused = client.post(url, form_data(story, _transition="publish"), follow=True)
    assert "“Publish now” was not done: Not ready to publish: Choose a section." in refused.content.decode()
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT

    story.refresh_from_db()
    data = form_data(story, section=world.pk, _transition="publish", _confirmed="1")  # as the confirmation posts
    published = client.post(url, data, follow=True)
    assert published.status_code == 200
    story.refresh_from_db()
    assert (story.status, story.section) == (Article.Status.PUBLISHED, world)
    assert BeautifulSoup(published.content, "html.parser").select_one(".desk-checklist") is None


def test_the_story_form_offers_sections_in_order_with_no_query_per_subsection(client, editor, world, asia):
    story = make_article("Summit ends", status=Article.Status.DRAFT, section=asia, authors=[make_author()])
    client.force_login(editor)
    url = f"/admin/articles/article/{story.pk}/change/"

    def queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
        options = BeautifulSoup(page.content, "html.parser").select("#id_section option")
        assert [option.get_text() for option in options][:3] == ["---------", "World", "World › Asia"]
        return len(captured)

    few = queries()
    for n in range(10):
        Section.objects.create(name=f"Region {n}", slug=f"region-{n}", parent=world)
    assert queries() == few


def test_a_story_filed_while_the_delete_page_was_open_stops_the_delete_with_a_message(
    client, editor, world, monkeypatch
):
    from desk.admin import SectionAdmin

    client.force_login(editor)
    # The confirmation page was shown while the section was empty; the story comes after it.
    monkeypatch.setattr(SectionAdmin, "get_deleted_objects", lambda self, objs, request: ([], {}, set(), []))
    make_article("Filed meanwhile", section=world)
    for post in [
        (f"/admin/articles/section/{world.pk}/delete/", {"post": "yes"}),
        ("/admin/articles/section/", {"action": "delete_selected", "_selected_action": [world.pk], "post": "yes"}),
    ]:
        response = client.post(*post, follow=True)
        assert response.status_code == 200
        assert "Nothing was deleted: a story was filed in the section meanwhile." in response.content.decode()
        assert Section.objects.filter(pk=world.pk).exists()
