"""Pictures in story bodies, on the server: the ids a body names (articles.body.picture_ids), the
reference table kept with every save (ArticlePicture), who may use which picture
(articles.models.usable_pictures) and the story form's refusal of any other, deletion refused
while a story shows a picture, a picture's edit re-rendering every story showing it, and the
sitemap and the ninjs export carrying body pictures and embeds."""

import pytest
from defusedxml import ElementTree
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import ProtectedError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from articles.body import MAX_PICTURES, picture_ids
from articles.models import Article, ArticlePicture, Section, usable_pictures
from newsroom.lib.urls import absolute
from pictures.models import LEAD_CROP, Picture
from tests.factories import form_data, make_article, make_author, make_picture

pytestmark = pytest.mark.django_db


def inline(pk: int, size: str = "inline") -> str:
    return f'<figure data-picture="{pk}" data-size="{size}"></figure>'


def gallery(*pks: int) -> str:
    return f'<figure data-gallery="{" ".join(map(str, pks))}"></figure>'


def small_picture(alt: str = "A picture", **fields):
    picture = make_picture((480, 320), alt=alt)
    if fields:
        for name, value in fields.items():
            setattr(picture, name, value)
        picture.save()
    return picture


def shown(article: Article) -> list[int]:
    return list(
        ArticlePicture.objects.filter(article=article).order_by("position").values_list("picture_id", flat=True)
    )


# The ids a body names.


def test_picture_ids_are_in_order_of_first_appearance_each_once():
    body = f"<p>One</p>{inline(7)}<p>Two</p>{gallery(3, 7, 9)}{inline(3, 'wide')}"
    assert picture_ids(body) == [7, 3, 9]


def test_picture_ids_read_only_figures_not_text_that_looks_like_one():
    body = '<p>data-picture="5"</p><p>&lt;figure data-picture="6"&gt;</p><aside data-gallery="8"></aside>'
    assert picture_ids(body) == []


def test_picture_ids_are_bounded():
    body = "".join(inline(pk) for pk in range(1, MAX_PICTURES + 50))
    assert picture_ids(body) == list(range(1, MAX_PICTURES + 1))


@given(st.text(max_size=300))
def test_picture_ids_of_any_text_are_positive_distinct_integers(text):
    ids = picture_ids(text)
    assert all(isinstance(pk, int) and pk > 0 for pk in ids)
    assert len(ids) == len(set(ids)) <= MAX_PICTURES


# The reference table.


def test_the_reference_table_follows_the_body_in_order():
    first, second, third = small_picture(), small_picture(), small_picture()
    story = make_article(body=f"<p>Text</p>{inline(second.pk)}{gallery(first.pk, second.pk)}")
    assert shown(story) == [second.pk, first.pk]
    story.body = f"{gallery(third.pk, first.pk)}<p>Text</p>"
    story.save()
    assert shown(story) == [third.pk, first.pk]
    story.body = "<p>No pictures now.</p>"
    story.save()
    assert shown(story) == []


def test_the_lead_image_is_not_a_body_picture():
    lead = small_picture()
    story = make_article(lead_image=lead)
    assert shown(story) == []


def test_a_save_with_the_same_pictures_reads_and_writes_nothing_of_the_table():
    picture = small_picture()
    story = Article.objects.get(pk=make_article(body=f"<p>Text</p>{inline(picture.pk)}").pk)
    story.body = f"<p>Other text</p>{inline(picture.pk, 'wide')}"
    story.headline = "A new headline"
    with CaptureQueriesContext(connection) as queries:
        story.save()
    assert not [q["sql"] for q in queries if "articles_articlepicture" in q["sql"]]
    assert shown(story) == [picture.pk]


def test_a_body_naming_a_picture_that_does_not_exist_saves_without_a_row():
    """The wire and the demo write bodies without a user: trusted, never broken by an id."""
    picture = small_picture()
    story = make_article(body=f"{inline(987654)}{inline(picture.pk)}{inline(10**17)}")
    assert shown(story) == [picture.pk]
    assert 'data-picture="987654"' in story.body


def test_a_picture_a_story_shows_cannot_be_deleted():
    picture = small_picture()
    make_article(body=gallery(picture.pk))
    with pytest.raises(ProtectedError):
        picture.delete()


def test_deleting_the_story_frees_its_pictures():
    picture = small_picture()
    story = make_article(body=inline(picture.pk))
    story.delete()
    picture.delete()


# Who may use which picture.


def test_editors_may_use_every_picture(editor, writer):
    theirs = small_picture()
    theirs.uploaded_by = writer
    theirs.save()
    assert set(usable_pictures(editor)) == {theirs}


def test_writers_may_use_their_own_uploads_and_pictures_on_stories_they_see(writer, other_writer):
    own, on_live, on_their_draft, lead_of_live, elsewhere = (small_picture() for _ in range(5))
    own.uploaded_by = writer
    own.save()
    make_article("Live", created_by=other_writer, body=inline(on_live.pk), lead_image=lead_of_live)
    make_article("Their draft", status=Article.Status.DRAFT, created_by=other_writer, body=inline(on_their_draft.pk))
    assert set(usable_pictures(writer)) == {own, on_live, lead_of_live}
    assert elsewhere not in usable_pictures(writer) and on_their_draft not in usable_pictures(writer)


def test_a_writer_may_use_the_pictures_of_a_draft_they_are_bylined_on(writer, other_writer):
    picture = small_picture()
    me = make_author("Writer Me", user=writer)
    make_article("Joint", status=Article.Status.DRAFT, created_by=other_writer, authors=[me], body=inline(picture.pk))
    assert list(usable_pictures(writer)) == [picture]


# The story form.


def change(client, article: Article, **changes):
    return client.post(f"/admin/articles/article/{article.pk}/change/", form_data(article, **changes))


def body_errors(response) -> list[str]:
    return response.context["adminform"].form.errors.get("body", [])


def test_a_writer_cannot_put_another_writers_unseen_picture_in_a_body(client, writer, other_writer):
    private = small_picture()
    private.uploaded_by = other_writer
    private.save()
    draft = make_article("Mine", status=Article.Status.DRAFT, created_by=writer)
    client.force_login(writer)
    response = change(client, draft, body=f"<p>Forged.</p>{gallery(private.pk)}")
    assert response.status_code == 200
    [error] = body_errors(response)
    assert f"cannot use (not in the library, or not yours to use): {private.pk}." in error
    draft.refresh_from_db()
    assert "Forged" not in draft.body and shown(draft) == []


def test_a_forged_id_in_a_body_written_in_any_quoting_is_refused(client, writer, other_writer):
    private = small_picture()
    draft = make_article("Mine", status=Article.Status.DRAFT, created_by=writer)
    client.force_login(writer)
    response = change(client, draft, body=f"<FIGURE DATA-PICTURE='{private.pk}' onclick=x></FIGURE>")
    assert str(private.pk) in body_errors(response)[0]
    assert shown(draft) == []


def test_an_editor_is_told_which_pictures_do_not_exist(client, editor):
    real = small_picture()
    story = make_article("Live story")
    client.force_login(editor)
    response = change(client, story, body=f"{inline(real.pk)}{gallery(987654, 987655)}{inline(10**17)}")
    [error] = body_errors(response)
    assert f"pictures you cannot use (not in the library, or not yours to use): 987654, 987655, {10**17}." in error
    assert shown(story) == []


def test_a_writer_saves_a_body_with_their_upload_and_a_picture_of_a_live_story(client, writer, other_writer):
    own, from_live = small_picture(), small_picture()
    own.uploaded_by = writer
    own.save()
    make_article("Live", created_by=other_writer, body=inline(from_live.pk))
    draft = make_article("Mine", status=Article.Status.DRAFT, created_by=writer)
    client.force_login(writer)
    response = change(client, draft, body=f"<p>Ours.</p>{inline(own.pk, 'full')}{gallery(from_live.pk, own.pk)}")
    assert response.status_code == 302, body_errors(response) if response.status_code == 200 else ""
    assert shown(draft) == [own.pk, from_live.pk]


def test_pictures_already_on_a_story_stay_usable_to_its_writer(client, writer, editor):
    """An editor put a picture in the writer's draft: the writer's next save keeps it."""
    editors_picture = small_picture()
    draft = make_article("Mine", status=Article.Status.DRAFT, created_by=writer, body=inline(editors_picture.pk))
    client.force_login(writer)
    response = change(client, draft, body=f"<p>More text.</p>{inline(editors_picture.pk)}")
    assert response.status_code == 302
    assert shown(draft) == [editors_picture.pk]


def test_anonymous_readers_never_reach_the_form(writer):
    draft = make_article("Mine", status=Article.Status.DRAFT, created_by=writer)
    response = change(Client(), draft, body=inline(1))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# A picture's edit shows on every story showing it.


@pytest.fixture
def page_cache(settings, fragment_cache):
    settings.PAGE_CACHE = True


def get(url: str):
    return Client().get(url)


def describe(picture, **fields):
    def run():
        for name, value in fields.items():
            setattr(picture, name, value)
        picture.save()

    return run


def test_a_picture_edit_re_renders_every_story_showing_it_in_one_update(page_cache, changed):
    picture = small_picture("Ferry")
    inline_story = make_article("Ferry returns", body=f"<p>Text.</p>{inline(picture.pk)}")
    gallery_story = make_article("Harbour week", body=gallery(small_picture().pk, picture.pk))
    # Of another section and topic: no "More in" list of its page shows the stories above.
    other = make_article("Budget passes", section=Section.objects.create(name="City", slug="city"), tags=["Ports"])
    urls = [story.get_absolute_url() for story in (inline_story, gallery_story, other)]
    for url in urls:
        get(url)
        assert get(url)["X-Page-Cache"] == "hit", url
    revisions = {story.pk: story.public_revision for story in (inline_story, gallery_story, other)}

    with CaptureQueriesContext(connection) as queries:
        changed(describe(picture, caption="The first crossing since May"))

    touched = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "articles_article"')]
    assert len(touched) == 1, touched
    for story in (inline_story, gallery_story):
        story.refresh_from_db()
        assert story.public_revision > revisions[story.pk]
    assert get(urls[0])["X-Page-Cache"] == "miss" and get(urls[1])["X-Page-Cache"] == "miss"
    other.refresh_from_db()
    assert other.public_revision == revisions[other.pk]
    assert get(urls[2])["X-Page-Cache"] == "hit"


def test_a_picture_edit_shows_its_new_caption_on_the_story_page(page_cache, changed):
    picture = small_picture("Ferry", caption="Old caption")
    story = make_article("Ferry returns", body=f"<p>Text.</p>{inline(picture.pk)}")
    get(story.get_absolute_url())
    changed(describe(picture, caption="The first crossing since May", credit="Ana Lima"))
    page = get(story.get_absolute_url()).content.decode()
    assert "The first crossing since May" in page and "Ana Lima" in page and "Old caption" not in page


# The sitemap's image entries.

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
IMAGE = "{http://www.google.com/schemas/sitemap-image/1.1}"


def sitemap_images(document: str) -> dict[str, list[str]]:
    root = ElementTree.fromstring(document.encode())
    return {
        url.findtext(f"{SITEMAP}loc"): [entry.findtext(f"{IMAGE}loc") for entry in url.findall(f"{IMAGE}image")]
        for url in root
    }


def largest_url(picture) -> str:
    return absolute(default_storage.url(picture.largest(LEAD_CROP)["name"]))


def test_the_sitemap_gives_the_lead_picture_then_the_body_pictures_of_each_story(client):
    lead, first, second = small_picture(), small_picture(), small_picture()
    story = make_article(lead_image=lead, body=f"{inline(first.pk)}<p>Text.</p>{gallery(lead.pk, second.pk, first.pk)}")
    only_body = make_article("Only the body", body=inline(second.pk))
    secret = small_picture()
    make_article("A draft", status=Article.Status.DRAFT, body=inline(secret.pk))
    month = f"/sitemap-articles-{timezone.localtime(story.published_at):%Y-%m}.xml"
    for address in ("/sitemap.xml", month):
        document = client.get(address).content.decode()
        found = sitemap_images(document)
        assert found[absolute(story.get_absolute_url())] == [largest_url(p) for p in (lead, first, second)], address
        assert found[absolute(only_body.get_absolute_url())] == [largest_url(second)], address
        assert str(secret.key) not in document, "a draft's picture is on no public surface"


@pytest.mark.parametrize("address", ["/sitemap.xml", "MONTH"])
def test_the_sitemap_reads_body_pictures_in_one_query_however_many_stories(client, address):
    pictures = [small_picture() for _ in range(3)]

    def queries_with(stories: int) -> int:
        for n in range(stories):
            make_article(f"Story {n}-{stories}", body="".join(inline(p.pk) for p in pictures))
        url = address.replace("MONTH", f"/sitemap-articles-{timezone.localtime():%Y-%m}.xml")
        client.get(url)  # the shared page state
        with CaptureQueriesContext(connection) as queries:
            document = client.get(url).content.decode()
        assert document.count("<image:image>") >= 3 * stories
        return len(queries)

    assert queries_with(1) == queries_with(6)


# The ninjs export.

EMBEDS = (
    '<figure data-embed="youtube" data-url="https://www.youtube.com/watch?v=M7lc1UVf-VE&amp;t=3">'
    "<figcaption>The launch, “live” &amp; loud</figcaption></figure>"
    '<figure data-embed="link" data-url="https://example.org/report"></figure>'
)


def exported_story() -> Article:
    lead, first, second = (small_picture(alt) for alt in ("The lead", "Ferry at dawn", "Crowd on the quay"))
    Picture.objects.filter(pk=first.pk).update(caption="The first crossing", credit="Ana Lima")
    story = make_article("Ferry returns", lead_image=lead, body=f"<p>Text.</p>{inline(first.pk)}{gallery(second.pk)}")
    # The embeds as the sanitiser stores them (/tmp/lead/blocks.md), written past this branch's stand-in.
    Article.objects.filter(pk=story.pk).update(body=story.body + EMBEDS)
    return story


@pytest.mark.parametrize(("version", "major"), [("2.2", "2"), ("3.1", "3")])
def test_the_ninjs_export_gives_body_pictures_as_associations_and_embeds_as_links(client, version, major):
    from wire import schema

    story = exported_story()
    first, second = (row.picture for row in story.body_pictures.order_by("position"))
    document = client.get(f"{story.get_absolute_url()}ninjs.json?version={version}").json()
    assert schema.first_error(document, major) is None
    names = [item["name"] for item in document["associations"]]
    assert names == ["featureimage", f"picture-{first.pk}", f"picture-{second.pk}", "embed-1", "embed-2"]
    pictured = document["associations"][1]
    assert pictured["type"] == "picture" and pictured["headlines"][0]["value"] == "Ferry at dawn"
    assert pictured["descriptions"][0]["value"] == "The first crossing" and pictured["by"] == "Ana Lima"
    assert pictured["renditions"][0]["href"] == absolute(first.file.url)
    video, link = document["associations"][3:]
    assert video["type"] == "video" and video["headlines"][0]["value"] == "The launch, “live” & loud"
    assert [r["href"] for r in video["renditions"]] == ["https://www.youtube.com/watch?v=M7lc1UVf-VE&t=3"]
    assert video["uri"] == f"{absolute(story.get_absolute_url())}#embed-1"
    assert link["type"] == "text" and [r["href"] for r in link["renditions"]] == ["https://example.org/report"]


def test_the_ninjs_feed_reads_body_pictures_in_one_query_however_many_stories(client):
    def queries_with(stories: int) -> int:
        for _ in range(stories):
            exported_story()
        client.get("/ninjs/")
        with CaptureQueriesContext(connection) as queries:
            items = client.get("/ninjs/").json()["items"]
        assert sum(len(item["associations"]) for item in items) >= 5 * stories
        return len(queries)

    assert queries_with(1) == queries_with(4)
