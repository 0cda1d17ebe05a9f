"""Two people editing one story: what only one changed is kept, what both changed is offered side
by side, and the byline, the tags and the body merge piece by piece."""

import pytest
import reversion
from django.test import Client

from articles import merge
from articles.models import Article
from tests.factories import form_data, make_article, make_author, make_staff

pytestmark = pytest.mark.django_db

BODY = "<p>The council met on Monday.</p><p>It voted on the budget.</p><p>The mayor spoke last.</p>"


@pytest.fixture
def story():
    """A bylined, tagged draft with a revision of the version both editors open."""
    article = make_article(
        "Council vote", status=Article.Status.DRAFT, body=BODY, standfirst="A long night.", tags=["Budget"],
        authors=[make_author("Asha Verma")],
    )  # fmt: skip
    with reversion.create_revision():
        reversion.add_to_revision(article)
    return Article.objects.get(pk=article.pk)


@pytest.fixture
def editors():
    first, second = Client(), Client()
    first.force_login(make_staff("maya", "Editors"))
    second.force_login(make_staff("ben", "Editors"))
    return first, second


def url(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def test_each_editor_changing_a_different_field_of_a_bylined_story_keeps_both_changes(story, editors):
    first, second = editors
    opened = form_data(story)
    assert first.post(url(story), {**opened, "headline": "Council passes the budget"}).status_code == 302
    response = second.post(url(story), {**opened, "standfirst": "After a long night, a vote."}, follow=True)
    story.refresh_from_db()
    assert (story.headline, story.standfirst) == ("Council passes the budget", "After a long night, a vote.")
    assert [author.name for author in story.byline_authors] == ["Asha Verma"]
    assert "their changes to the headline are kept, and yours are applied." in response.content.decode()


def test_paragraphs_changed_by_each_editor_merge_block_by_block(story, editors):
    first, second = editors
    opened = form_data(story)
    theirs = BODY.replace("on Monday", "on Monday night")
    mine = BODY.replace("spoke last", "spoke first")
    assert first.post(url(story), {**opened, "body": theirs}).status_code == 302
    assert second.post(url(story), {**opened, "body": mine}).status_code == 302
    story.refresh_from_db()
    assert story.body == (
        "<p>The council met on Monday night.</p><p>It voted on the budget.</p><p>The mayor spoke first.</p>"
    )


def test_the_same_paragraph_changed_by_both_is_offered_side_by_side_and_the_choice_is_saved(story, editors):
    first, second = editors
    opened = form_data(story)
    first.post(url(story), {**opened, "body": BODY.replace("on the budget", "31 to 9 on the budget")})
    mine = {**opened, "body": BODY.replace("on the budget", "on the budget on Tuesday"), "headline": "Budget night"}
    offered = second.post(url(story), mine)
    assert offered.status_code == 200
    page = offered.content.decode()
    assert "maya saved this article at" in page
    assert 'name="merge-body-0" value="theirs"' in page and 'name="merge-body-0" value="mine" checked' in page
    assert "<del>31 to 9</del>" in page and "<ins>budget on Tuesday.</ins>" in page, "the versions are compared"
    story.refresh_from_db()
    assert story.headline == "Council vote", "nothing is saved before the choice"

    form = offered.context["adminform"].form
    resubmit = {**form.data.dict(), "tags": form.data.getlist("tags"), "merge-body-0": "theirs"}
    assert second.post(url(story), resubmit).status_code == 302
    story.refresh_from_db()
    assert story.body == BODY.replace("on the budget", "31 to 9 on the budget")
    assert story.headline == "Budget night", "the field only this editor changed is applied"


def test_a_choice_made_for_conflicts_nobody_was_shown_does_not_count(story, editors):
    first, second = editors
    opened = form_data(story)
    first.post(url(story), {**opened, "standfirst": "Theirs."})
    response = second.post(url(story), {**opened, "standfirst": "Mine.", "merge-standfirst": "mine"})
    assert response.status_code == 200
    story.refresh_from_db()
    assert story.standfirst == "Theirs."


def test_tags_merge_as_sets_and_bylines_by_author(story, editors):
    first, second = editors
    priya, ben = make_author("Priya Raman"), make_author("Ben Ito")
    opened = form_data(story)
    budget = story.tags.get().pk
    theirs = {**opened, "tags": [budget], "new_tags": "Council", "bylines-TOTAL_FORMS": "2",
              "bylines-1-author": priya.pk, "bylines-1-position": 1, "bylines-1-article": story.pk}  # fmt: skip
    assert first.post(url(story), theirs).status_code == 302
    mine = {**opened, "tags": [], "new_tags": "Elections", "bylines-TOTAL_FORMS": "2",
            "bylines-1-author": ben.pk, "bylines-1-position": 1, "bylines-1-article": story.pk}  # fmt: skip
    assert second.post(url(story), mine).status_code == 302
    story.refresh_from_db()
    assert sorted(tag.name for tag in story.tags.all()) == ["Council", "Elections"], "Budget was removed by one"
    assert [author.name for author in story.byline_authors] == ["Asha Verma", "Priya Raman", "Ben Ito"]


def test_byline_rows_keep_their_identity_when_saved_again(story, editors):
    first, _ = editors
    row = story.bylines.get()
    assert first.post(url(story), {**form_data(story), "bylines-0-role": "Additional reporting"}).status_code == 302
    assert story.bylines.get().pk == row.pk


def test_a_form_naming_a_byline_row_another_save_removed_still_saves(story, editors):
    first, second = editors
    opened = form_data(story)
    story.set_byline([make_author("Priya Raman")])  # the row the form names is gone
    assert second.post(url(story), {**opened, "headline": "Budget night"}).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Budget night"


def test_lists_merge_item_by_item():
    base = "<ul><li>One</li><li>Two</li><li>Three</li></ul>"
    result = merge.merge(
        {"body": base, "tags": set(), **dict.fromkeys(merge.SCALAR_FIELDS), "also_in": set()},
        {"body": base.replace("One", "First"), "tags": set(), **dict.fromkeys(merge.SCALAR_FIELDS), "also_in": set()},
        {"body": base.replace("Three", "Third"), "tags": set(), **dict.fromkeys(merge.SCALAR_FIELDS), "also_in": set()},
    )
    assert not result.has_conflicts
    assert result.body() == "<ul><li>First</li><li>Two</li><li>Third</li></ul>"


def test_the_change_form_carries_each_byline_rows_id(story, editors):
    first, _ = editors
    page = first.get(url(story)).content.decode()
    assert f'name="bylines-0-id" value="{story.bylines.get().pk}"' in page


def test_body_blocks_merge_as_blocks_through_the_desk(editors):
    """Two editors at once: one resizes a picture and reorders a gallery, the other changes a table
    cell and a pull quote's attribution; both saves keep every block whole and both changes."""
    from tests.factories import make_picture

    a, b = (make_picture((320, 200), alt=f"Picture {n}").pk for n in range(2))
    body = (
        f'<p>Intro.</p><figure data-picture="{a}" data-size="inline"></figure>'
        f'<figure data-gallery="{a} {b}"></figure>'
        "<p>Between the changes (changes with no block between them are one passage, as in any diff3).</p>"
        '<figure data-pullquote=""><blockquote><p>We slept.</p></blockquote><figcaption>A resident</figcaption></figure>'
        "<table><thead><tr><th>Winter</th></tr></thead><tbody><tr><td>7</td></tr></tbody></table>"
    )
    story = make_article("Blocks", status=Article.Status.DRAFT, body=body, authors=[make_author("Asha Verma")])
    with reversion.create_revision():
        reversion.add_to_revision(story)
    story = Article.objects.get(pk=story.pk)
    first, second = editors
    opened = form_data(story)
    theirs = story.body.replace('data-size="inline"', 'data-size="wide"').replace(
        f'data-gallery="{a} {b}"', f'data-gallery="{b} {a}"'
    )
    mine = story.body.replace("<td>7</td>", "<td>8</td>").replace("A resident", "Aisha Bello")
    assert first.post(url(story), {**opened, "body": theirs}).status_code == 302
    assert second.post(url(story), {**opened, "body": mine}).status_code == 302
    story.refresh_from_db()
    assert f'<figure data-picture="{a}" data-size="wide"></figure>' in story.body
    assert f'<figure data-gallery="{b} {a}"></figure>' in story.body
    assert "<td>8</td>" in story.body and "<figcaption>Aisha Bello</figcaption>" in story.body
    assert list(story.body_pictures.values_list("picture_id", flat=True)) == [a, b]


def test_a_picture_both_changed_is_offered_by_its_id_and_size_not_as_an_empty_box(editors):
    from bs4 import BeautifulSoup

    from tests.factories import make_picture

    pk = make_picture((320, 200), alt="Quay").pk
    body = f'<p>Intro.</p><figure data-picture="{pk}" data-size="inline"></figure>'
    story = make_article("Quay", status=Article.Status.DRAFT, body=body, authors=[make_author("Asha Verma")])
    with reversion.create_revision():
        reversion.add_to_revision(story)
    first, second = editors
    opened = form_data(Article.objects.get(pk=story.pk))
    assert first.post(url(story), {**opened, "body": body.replace("inline", "wide")}).status_code == 302
    offered = second.post(url(story), {**opened, "body": body.replace("inline", "full")})
    assert offered.status_code == 200
    sides = [
        s.get_text(" ", strip=True) for s in BeautifulSoup(offered.content, "html.parser").select(".desk-merge__side")
    ]
    assert sides == [f"Theirs Picture: #{pk} wide", f"Yours Picture: #{pk} full"]
