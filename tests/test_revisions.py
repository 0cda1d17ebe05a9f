"""Every save keeps a revision; editors list, compare and restore them without losing anything."""

import pytest
from bs4 import BeautifulSoup
from reversion.models import Version

from articles.models import Article
from tests.factories import form_data, make_article, make_author, make_picture

pytestmark = pytest.mark.django_db


def edit(client, article: Article, **changes):
    article.refresh_from_db()
    response = client.post(f"/admin/articles/article/{article.pk}/change/", form_data(article, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def edited(client, editor):
    """An article saved three times through the admin by an editor."""
    client.force_login(editor)
    reporter = make_author("Asha Verma")
    article = make_article("Floods close the valley road", status=Article.Status.DRAFT, authors=[reporter])
    edit(client, article, body="<p>The valley road closed on Monday.</p>", **{"tags": []})
    edit(client, article, body="<p>The valley road closed on Monday after heavy rain.</p>")
    edit(client, article, headline="Floods close the valley road for a week")
    return article


def test_every_save_keeps_a_revision_with_who_and_when(edited, editor):
    versions = list(Version.objects.get_for_object(edited))
    assert len(versions) == 3
    assert {version.revision.user for version in versions} == {editor}


def test_revision_list_and_field_by_field_compare(client, edited):
    versions = list(Version.objects.get_for_object(edited))
    listing = client.get(f"/admin/articles/article/{edited.pk}/revisions/")
    assert listing.status_code == 200
    assert listing.content.decode().count("Restore this version") == 2

    response = client.get(
        f"/admin/articles/article/{edited.pk}/revisions/compare/", {"from": versions[-1].pk, "to": versions[0].pk}
    )
    assert response.status_code == 200
    rows = BeautifulSoup(response.content, "html.parser").select(".desk-diff tr")
    changed = {row.th.get_text(): str(row.td) for row in rows}
    assert sorted(changed) == ["Body", "Headline"], "only the changed fields are listed"
    assert "<ins>for a week</ins>" in changed["Headline"]
    assert "<del>Monday.</del> <ins>Monday after heavy rain.</ins>" in changed["Body"]


def test_compare_rejects_revisions_of_another_article(client, edited):
    other = make_article("Other")
    client.post(f"/admin/articles/article/{other.pk}/change/", form_data(other, headline="Other, edited"))
    foreign = Version.objects.get_for_object(other).first()
    mine = Version.objects.get_for_object(edited).first()
    response = client.get(
        f"/admin/articles/article/{edited.pk}/revisions/compare/", {"from": foreign.pk, "to": mine.pk}
    )
    assert response.status_code == 404
    assert client.get(f"/admin/articles/article/{edited.pk}/revisions/compare/", {"from": "x"}).status_code == 404


def test_restore_brings_back_the_text_as_a_new_revision(client, edited):
    oldest = list(Version.objects.get_for_object(edited))[-1]
    response = client.post(f"/admin/articles/article/{edited.pk}/revisions/{oldest.pk}/restore/")
    assert response.status_code == 302
    edited.refresh_from_db()
    assert edited.headline == "Floods close the valley road"
    assert edited.body == "<p>The valley road closed on Monday.</p>"
    assert edited.byline_authors[0].name == "Asha Verma", "bylines come back too"
    versions = list(Version.objects.get_for_object(edited))
    assert len(versions) == 4, "restoring is itself a revision; nothing was overwritten"
    assert versions[0].revision.comment.startswith("Restored the version of")


def test_restore_needs_post_and_edit_rights(client, edited, writer):
    oldest = list(Version.objects.get_for_object(edited))[-1]
    assert client.get(f"/admin/articles/article/{edited.pk}/revisions/{oldest.pk}/restore/").status_code == 405
    client.force_login(writer)
    assert client.post(f"/admin/articles/article/{edited.pk}/revisions/{oldest.pk}/restore/").status_code == 404
    edited.refresh_from_db()
    assert edited.headline == "Floods close the valley road for a week"


def test_diffs_escape_what_they_show(client, editor):
    client.force_login(editor)
    article = make_article("Plain", status=Article.Status.DRAFT)
    edit(client, article, headline="Plain")
    edit(client, article, headline='"><img src=x onerror=alert(1)>')
    versions = list(Version.objects.get_for_object(article))
    page = client.get(
        f"/admin/articles/article/{article.pk}/revisions/compare/", {"from": versions[-1].pk, "to": versions[0].pk}
    ).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_revision_holds_what_was_saved_byline_and_tags_included(client, editor):
    from taggit.models import Tag

    from articles.revisions import article_snapshot, version_snapshot

    client.force_login(editor)
    article = make_article("Tagged later", status=Article.Status.DRAFT, authors=[make_author("Asha Verma")])
    tag = Tag.objects.create(name="Weather")
    edit(client, article, tags=[tag.pk], new_tags="Floods, Rain")
    latest = Version.objects.get_for_object(article).first()
    article.refresh_from_db()
    assert version_snapshot(latest) == article_snapshot(article)
    assert version_snapshot(latest)["tags"] == "Floods, Rain, Weather"
    assert version_snapshot(latest)["byline"] == "Asha Verma"


def compare_body(client, article, *bodies) -> BeautifulSoup:
    for body in bodies:
        edit(client, article, body=body)
    versions = list(Version.objects.get_for_object(article))
    page = client.get(
        f"/admin/articles/article/{article.pk}/revisions/compare/", {"from": versions[-1].pk, "to": versions[0].pk}
    )
    assert page.status_code == 200
    rows = BeautifulSoup(page.content, "html.parser").select(".desk-diff tr")
    return {row.th.get_text(): row.td for row in rows}["Body"]


def test_compare_keeps_paragraph_and_heading_boundaries(client, editor):
    client.force_login(editor)
    article = make_article("Overnight", status=Article.Status.DRAFT)
    body = compare_body(
        client,
        article,
        "<h2>What happened overnight</h2><p>Water levels rose.</p><p>Roads closed.</p>",
        "<h2>What happened overnight</h2><p>Water levels rose by a metre.</p><p>Roads closed.</p><ul><li>Bring water</li></ul>",
    )
    blocks = [block.get_text(" ", strip=True) for block in body.select(".desk-diff-block")]
    assert blocks == [
        "Heading: What happened overnight",
        "Water levels rose. rose by a metre.",  # the old word struck, then the new ones
        "Roads closed.",
        "List item: Bring water",
    ], "each block on its own, never run together ('What happened overnightWater levels…')"
    changed = body.select(".desk-diff-block")[1]
    assert [d.get_text() for d in changed.select("del")] == ["rose."]
    assert [i.get_text() for i in changed.select("ins")] == ["rose by a metre."]
    assert "desk-diff-added" in body.select(".desk-diff-block")[3]["class"]


def test_compare_shows_a_change_of_formatting_alone(client, editor):
    client.force_login(editor)
    article = make_article("Bold", status=Article.Status.DRAFT)
    body = compare_body(
        client,
        article,
        "<p>The council voted on Monday.</p>",
        '<p>The council voted on <strong>Monday</strong>. <a href="https://example.org/vote">Results</a></p>',
    )
    assert body.select_one("del").get_text() == "Monday."
    inserted = body.select_one("ins")
    assert inserted.strong.get_text() == "Monday", "the new formatting is shown"
    assert inserted.a["href"] == "https://example.org/vote"


def test_compare_of_hostile_body_markup_shows_only_text(client, editor):
    client.force_login(editor)
    article = make_article("Hostile", status=Article.Status.DRAFT)
    body = compare_body(
        client,
        article,
        "<p>Calm</p>",
        '<p>Calm <a href="javascript:alert(1)">x</a> &lt;img src=x onerror=alert(1)&gt; Ünïcødé\x07</p>',
    )
    html = str(body)
    assert "javascript:" not in html and "<img" not in html
    assert "&lt;img" in html and "Ünïcødé" in html


def test_compare_reads_body_blocks_as_blocks(client, editor):
    """A picture, a gallery, a pull quote, a fact box, a table and an embed each compare as one
    block of their own kind: a gallery reordered, a table cell changed, an embed's address
    changed show as changes of that block, and nothing else is marked."""
    client.force_login(editor)
    article = make_article("Blocks", status=Article.Status.DRAFT)
    a, b, c = (make_picture((320, 200), alt=f"Picture {n}").pk for n in range(3))
    before = (
        f'<p>Intro.</p><figure data-picture="{a}" data-size="wide"></figure>'
        f'<figure data-gallery="{a} {b} {c}"></figure>'
        '<figure data-pullquote=""><blockquote><p>We slept through it.</p></blockquote>'
        "<figcaption>Aisha Bello</figcaption></figure>"
        '<aside data-factbox=""><h3>In numbers</h3><ul><li>6 gates</li></ul></aside>'
        "<table><thead><tr><th>Winter</th><th>Floods</th></tr></thead>"
        "<tbody><tr><td>2023</td><td>7</td></tr></tbody></table>"
        '<figure data-embed="youtube" data-url="https://www.youtube.com/watch?v=M7lc1UVf-VE"><figcaption>Gates rise</figcaption></figure>'
    )
    after = (
        before.replace(f'data-gallery="{a} {b} {c}"', f'data-gallery="{c} {a} {b}"')
        .replace("<td>7</td>", "<td>8</td>")
        .replace("watch?v=M7lc1UVf-VE", "watch?v=aqz-KE-bpKQ")
    )
    body = compare_body(client, article, before, after)
    blocks = {block.get_text(" ", strip=True): block["class"] for block in body.select(".desk-diff-block")}
    assert f"Picture: #{a} wide" in blocks and "desk-diff-changed" not in blocks[f"Picture: #{a} wide"]
    assert "Pull quote: We slept through it." in blocks and "Attribution: Aisha Bello" in blocks
    assert "Fact box title: In numbers" in blocks and "Fact box: 6 gates" in blocks
    assert "Table header: Winter | Floods" in blocks
    changed = [block for block in body.select(".desk-diff-block") if "desk-diff-changed" in block["class"]]
    assert sorted(block.select_one(".desk-diff-kind").get_text() for block in changed) == [
        "Embed:",
        "Gallery:",
        "Table row:",
    ]
    row = next(block for block in changed if "Table row" in block.get_text())
    assert [d.get_text() for d in row.select("del")] == ["7"] and [i.get_text() for i in row.select("ins")] == ["8"]
