"""The editors' desk runs a fixed number of queries per page, whatever the number of stories,
bylines, tags and revisions."""

import pytest
from reversion.models import Version

from articles import workflow
from articles.models import AgencyUpdate
from tests.factories import desk_at_work, form_data, make_article, make_picture, populate

pytestmark = pytest.mark.django_db

# The most queries each admin page may run for an editor. The dashboard: see DASHBOARD below. The Add page for the user's autosave, the
# change form also for who else has it open (and records that this user does), for agency
# updates waiting and for what came with the agency's package. The article list reads the
# sections for its sidebar (one query; each row's section comes joined with the row).
PAGES = {
    "/admin/": 17,
    "/admin/articles/article/": 13,
    "/admin/articles/article/?state=draft": 13,
    # + the section choices and the further sections' choices, and the site settings with their
    # share image (the search and social preview falls back on it)
    "/admin/articles/article/add/": 12,  # + the account's own author, who starts the byline
    "CHANGE": 25,  # + those and the story's further sections (a draft's also runs the publish checklist)
    "HISTORY": 9,
    "PREVIEW": 13,
    "REVISIONS": 9,
    "COMPARE": 20,  # + each version's sections by name
    "/admin/articles/article/import-ninjs/": 5,
    "/admin/authors/author/": 8,
    "/admin/taggit/tag/": 8,
    "BY_AUTHOR": 12,  # + the sections for the sidebar
    "BY_TAG": 12,
    "BY_SECTION": 12,
    "AGENCY_UPDATE": 14,  # + the story's sections by name, for the desk's side of the compare
    "/admin/articles/section/": 8,  # each section's count of live stories comes with its row
    "SECTION": 7,
}


def story_with_revisions(size, editor):
    """The newest story of `populate(*size)`, live, with as many substantive updates as stories."""
    article = populate(*size)
    for n in range(size[0]):
        article.standfirst = f"Update {n}"
        article.save()
        article = workflow.record_update(article, user=editor, substantive=True, comment=f"Update {n}")
    return article


@pytest.mark.parametrize("size", [(1, 0, 0), (12, 4, 8)], ids=["small", "large"])
@pytest.mark.parametrize("url", PAGES)
def test_admin_query_count_is_fixed_whatever_the_data_size(client, editor, django_assert_max_num_queries, url, size):
    article = story_with_revisions(size, editor)
    versions = list(Version.objects.get_for_object(article).values_list("pk", flat=True))
    base = f"/admin/articles/article/{article.pk}"
    names = [author.name for author in article.byline_authors] + [f"Agency writer {n}" for n in range(size[1])]
    update = AgencyUpdate.objects.create(
        article=article,
        version="2",
        values={
            "headline": "Agency headline",
            "body": "<p>Agency body.</p>",
            "byline": names,
            "tags": ["Agency"] * size[2],
        },
    )
    path = {
        "BY_AUTHOR": f"/admin/articles/article/?author={article.byline_authors[0].pk}",
        "BY_TAG": f"/admin/articles/article/?tag={article.sorted_tags[0].pk}",
        "BY_SECTION": f"/admin/articles/article/?section={article.section_id}",
        "SECTION": f"/admin/articles/section/{article.section_id}/change/",
        "AGENCY_UPDATE": f"{base}/agency-update/{update.pk}/",
        "CHANGE": f"{base}/change/",
        "HISTORY": f"{base}/history/",
        "PREVIEW": f"{base}/preview/",
        "REVISIONS": f"{base}/revisions/",
        "COMPARE": f"{base}/revisions/compare/?from={versions[-1]}&to={versions[0]}",
    }.get(url, url)
    client.force_login(editor)
    client.get(path)
    with django_assert_max_num_queries(PAGES[url]):
        response = client.get(path)
    assert response.status_code == 200
    if url == "CHANGE":
        # Every bylined author is shown, chosen, in the byline rows.
        page = response.content.decode()
        for author in article.byline_authors:
            assert f'<option value="{author.pk}" selected>{author.name}</option>' in page


# The dashboard with every list full: the session and the user, their permissions (two queries),
# the counts of their stories by state, their latest stories, the stories returned to them and
# those returns, the latest published, the latest activity, the unsaved new story, and whether
# the site settings exist (asked by the list of desk sections, twice: Django's index builds it for
# the page and for its navigation); for an editor also the review queue with its submissions and
# its count, the schedule and its count, and the wire desk's alerts.
DASHBOARD = {"writer": 13, "editor": 18}


@pytest.mark.parametrize("size", [1, 6], ids=["small", "large"])
@pytest.mark.parametrize("who", DASHBOARD)
def test_dashboard_query_count_is_fixed_whatever_the_number_of_stories(
    client, writer, editor, django_assert_num_queries, who, size
):
    desk_at_work(writer, editor, size)
    user = {"writer": writer, "editor": editor}[who]
    client.force_login(user)
    client.get("/admin/")
    with django_assert_num_queries(DASHBOARD[who]):
        response = client.get("/admin/")
    page = response.content.decode()
    assert page.count('class="desk-row"') >= 3 * size, "the lists are full"


# Saving a story's change form (an editor, a live story): the body's pictures cost one query to
# check that the user may use them (articles.models.usable_pictures) when the body names any,
# and the reference table (ArticlePicture) is read and written only when the body names other
# pictures than before (read its rows, delete, renumber, check the new ids exist, insert).
SAVE = {"no pictures": 51, "same pictures": 52, "other pictures": 57}


@pytest.mark.parametrize("case", SAVE)
def test_saving_a_story_runs_a_fixed_number_of_queries(client, editor, django_assert_num_queries, case):
    pictures = [make_picture((100, 80)) for _ in range(3)]

    def body(text: str, *shown) -> str:
        return f"<p>{text}</p>" + "".join(f'<figure data-picture="{p.pk}" data-size="inline"></figure>' for p in shown)

    before = body("Before.") if case == "no pictures" else body("Before.", *pictures[:2])
    after = {
        "no pictures": body("After."),
        "same pictures": body("After.", *pictures[:2]),
        "other pictures": body("After.", pictures[2], pictures[0]),
    }[case]
    story = make_article(body=before)
    client.force_login(editor)
    client.get(f"/admin/articles/article/{story.pk}/change/")
    with django_assert_num_queries(SAVE[case]):
        response = client.post(f"/admin/articles/article/{story.pk}/change/", form_data(story, body=after))
    assert response.status_code == 302
    story.refresh_from_db()
    assert "After." in story.body
