"""The kicker, the section and the further sections at the desk: merged, restored, compared and
autosaved like every other field, so no typed word and no choice is lost."""

import pytest
import reversion
from bs4 import BeautifulSoup
from django.test import Client
from reversion.models import Version

from articles import diff, merge, revisions
from articles.models import Article, Section
from desk.forms import ArticleAdminForm, form_field
from desk.models import AUTOSAVED, Autosave
from tests.factories import form_data, make_article, make_author, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections():
    world = Section.objects.create(name="World", slug="world", position=1)
    return {
        "world": world,
        "asia": Section.objects.create(name="Asia", slug="asia", parent=world),
        "politics": Section.objects.create(name="Politics", slug="politics", position=2),
        "business": Section.objects.create(name="Business", slug="business", position=3),
    }


@pytest.fixture
def story(sections):
    """A draft in World with a revision of the version both editors open."""
    article = make_article(
        "Summit ends", status=Article.Status.DRAFT, section=sections["world"], authors=[make_author()]
    )
    with reversion.create_revision():
        reversion.add_to_revision(article)
    return Article.objects.get(pk=article.pk)


@pytest.fixture
def two_editors(editor):
    first, second = Client(), Client()
    first.force_login(make_staff("other_editor", "Editors"))
    second.force_login(editor)
    return first, second


def change(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def test_a_kicker_and_a_section_changed_by_two_editors_are_both_kept(story, sections, two_editors):
    first, second = two_editors
    opened = form_data(story)
    assert first.post(change(story), {**opened, "kicker": "Analysis"}).status_code == 302
    response = second.post(
        change(story), {**opened, "section": sections["asia"].pk, "also_in": [sections["politics"].pk]}
    )
    assert response.status_code == 302, "merged, not refused"
    story.refresh_from_db()
    assert (story.kicker, story.section) == ("Analysis", sections["asia"])
    assert list(story.also_in.all()) == [sections["politics"]]


def test_further_sections_added_by_two_editors_merge_as_a_set(story, sections, two_editors):
    first, second = two_editors
    opened = form_data(story)
    first.post(change(story), {**opened, "also_in": [sections["politics"].pk]})
    assert second.post(change(story), {**opened, "also_in": [sections["business"].pk]}).status_code == 302
    assert set(story.also_in.all()) == {sections["politics"], sections["business"]}


def test_the_same_kicker_changed_differently_is_shown_side_by_side_as_the_headline_is(story, two_editors):
    first, second = two_editors
    opened = form_data(story)
    first.post(change(story), {**opened, "kicker": "Exclusive"})
    response = second.post(change(story), {**opened, "kicker": "Analysis"})
    assert response.status_code == 200, "refused, shown again"
    legends = [
        legend.get_text() for legend in BeautifulSoup(response.content, "html.parser").select(".desk-merge legend")
    ]
    assert legends == ["Kicker"]
    page = response.content.decode()
    assert "<del>Exclusive</del> <ins>Analysis</ins>" in page
    story.refresh_from_db()
    assert story.kicker == "Exclusive", "the first save is intact"

    seen = response.context["adminform"].form.data["conflict_seen"]
    chosen = {**opened, "kicker": "Analysis", "conflict_seen": seen, "merge-kicker": "theirs"}
    assert second.post(change(story), chosen).status_code == 302
    story.refresh_from_db()
    assert story.kicker == "Exclusive", "their kicker, as chosen"


def test_two_sections_chosen_differently_are_a_conflict_named_by_section(story, sections, two_editors):
    first, second = two_editors
    opened = form_data(story)
    first.post(change(story), {**opened, "section": sections["politics"].pk})
    response = second.post(change(story), {**opened, "section": sections["asia"].pk})
    assert response.status_code == 200
    sides = [
        side.get_text(" ", strip=True)
        for side in BeautifulSoup(response.content, "html.parser").select(".desk-merge__side")
    ]
    assert sides == ["Theirs Politics", "Yours World › Asia"]
    story.refresh_from_db()
    assert story.section == sections["politics"]


def test_restore_brings_back_the_kicker_and_both_kinds_of_section(client, editor, story, sections):
    client.force_login(editor)
    saved = form_data(story, kicker="Analysis", also_in=[sections["politics"].pk])
    assert client.post(change(story), saved).status_code == 302
    story.refresh_from_db()
    later = form_data(story, kicker="", section=sections["business"].pk, also_in=[])
    assert client.post(change(story), later).status_code == 302

    older = list(Version.objects.get_for_object(story))[1]  # newest first: the save with the kicker
    assert client.post(f"/admin/articles/article/{story.pk}/revisions/{older.pk}/restore/").status_code == 302
    story.refresh_from_db()
    assert (story.kicker, story.section) == ("Analysis", sections["world"])
    assert list(story.also_in.all()) == [sections["politics"]]


def test_restoring_a_version_whose_section_is_gone_keeps_the_current_one(client, editor, sections):
    client.force_login(editor)
    gone = Section.objects.create(name="Gone", slug="gone")
    story = make_article("Summit ends", status=Article.Status.DRAFT, section=gone)
    assert client.post(change(story), form_data(story, kicker="First")).status_code == 302
    story.refresh_from_db()
    assert client.post(change(story), form_data(story, section=sections["world"].pk)).status_code == 302
    gone.delete()
    older = list(Version.objects.get_for_object(story))[-1]
    client.post(f"/admin/articles/article/{story.pk}/revisions/{older.pk}/restore/")
    story.refresh_from_db()
    assert (story.kicker, story.section) == ("First", sections["world"])


def test_compare_shows_the_kicker_and_the_sections(client, editor, story, sections):
    client.force_login(editor)
    client.post(change(story), form_data(story, kicker="News"))
    story.refresh_from_db()
    moved = form_data(story, kicker="Analysis", section=sections["asia"].pk, also_in=[sections["business"].pk])
    client.post(change(story), moved)
    versions = list(Version.objects.get_for_object(story))
    response = client.get(
        f"/admin/articles/article/{story.pk}/revisions/compare/", {"from": versions[1].pk, "to": versions[0].pk}
    )
    rows = BeautifulSoup(response.content, "html.parser").select(".desk-diff tr")
    changed = {row.th.get_text(): row.td.get_text(" ", strip=True) for row in rows}
    assert changed == {
        "Kicker": "News Analysis",
        "Section": "World › Asia",
        "Further sections": "Business",
    }
    assert "<del>News</del> <ins>Analysis</ins>" in str(rows[0].td)
    assert "World <ins>› Asia</ins>" in str(rows[1].td)


def test_an_autosave_keeps_a_typed_kicker_and_section_and_offers_them_back(client, writer, sections):
    client.force_login(writer)
    story = make_article("Summit ends", status=Article.Status.DRAFT, created_by=writer, section=sections["world"])
    typed = form_data(story, kicker="Über-Analyse", section=sections["politics"].pk, also_in=[sections["asia"].pk])
    client.post(f"/admin/articles/article/{story.pk}/autosave/", typed)
    kept = Autosave.objects.get(user=writer, article=story).data
    assert (kept["kicker"], kept["section"], kept["also_in"]) == (
        ["Über-Analyse"],
        [str(sections["politics"].pk)],
        [str(sections["asia"].pk)],
    )

    offer = BeautifulSoup(client.get(change(story)).content, "html.parser").select(".desk-autosave-offer tr")
    assert {row.th.get_text(): row.td.get_text(" ", strip=True) for row in offer} == {
        "Kicker": "Über-Analyse",
        "Section": "World Politics",
        "Further sections": "World › Asia",
    }
    restored = client.post(change(story), {"_restore_autosave": "1"})
    form = restored.context["adminform"].form
    assert form["kicker"].value() == "Über-Analyse"
    assert str(form["section"].value()) == str(sections["politics"].pk)


def test_every_field_of_the_article_form_is_merged_restored_compared_and_autosaved():
    """A field added to the desk form that the merge, the restore, the compare page or the
    autosave forgets fails here: each keeps its list from the one in articles.merge."""
    # A file cannot be kept (nor its removal; the picture's own fields are); a conflict once seen is seen again.
    not_kept = {"image", "image_remove", "social_picture", "social_picture_remove", "conflict_seen"}
    merged = {form_field(name) for name in merge.SCALAR_FIELDS} | set(merge.SET_FIELDS) | {"body", "tags"}
    form_fields = set(ArticleAdminForm.base_fields) - not_kept
    for name in form_fields:
        assert AUTOSAVED.match(name), f"{name} is not autosaved"
    own = set(ArticleAdminForm._meta.fields)
    assert own <= merged, f"not merged: {own - merged}"
    restored = {form_field(name) for name in revisions.RESTORED_FIELDS}
    assert own - {"also_in", "tags"} <= restored, "the row's fields are restored (the sets and tags apart)"
    compared = {name for name, _ in diff.COMPARED_FIELDS}
    assert own <= compared, f"not compared: {own - compared}"


def test_a_conflict_shown_again_holds_both_editors_further_sections(story, sections, two_editors):
    first, second = two_editors
    opened = form_data(story)
    first.post(change(story), {**opened, "kicker": "Exclusive", "also_in": [sections["politics"].pk]})
    response = second.post(change(story), {**opened, "kicker": "Analysis", "also_in": [sections["business"].pk]})
    assert response.status_code == 200
    ticked = BeautifulSoup(response.content, "html.parser").select("#id_also_in input[checked]")
    assert {int(box["value"]) for box in ticked} == {sections["politics"].pk, sections["business"].pk}
