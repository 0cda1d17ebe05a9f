"""The picture library at the desk (desk.picture_library): its list, search, edits and deletion,
and the two JSON calls of the story editor (the chooser and the upload), each for whom it is meant
and nobody else; bad uploads are refused with messages and leave nothing behind."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from articles.models import Article
from pictures.models import Picture
from tests.factories import make_article, make_picture, make_staff

pytestmark = pytest.mark.django_db

CHOOSER, UPLOAD = "/admin/pictures/picture/chooser/", "/admin/pictures/picture/upload/"
LIBRARY = "/admin/pictures/picture/"


def jpeg(size=(400, 300), colour=(20, 120, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(content: bytes = b"", name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or jpeg(), content_type="image/jpeg")


def picture(alt: str = "A picture", *, by=None, **fields) -> Picture:
    made = make_picture((400, 300), alt=alt)
    Picture.objects.filter(pk=made.pk).update(uploaded_by=by, **fields)
    made.refresh_from_db()
    return made


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def inline(pk: int) -> str:
    return f'<figure data-picture="{pk}" data-size="inline"></figure>'


def ids_of(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


# Who may call them.


@pytest.mark.parametrize("address", [CHOOSER, f"{CHOOSER}?ids=1"])
def test_anonymous_visitors_are_sent_to_log_in_by_the_chooser(address):
    response = Client().get(address)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_anonymous_visitors_cannot_upload(settings):
    response = Client().post(UPLOAD, {"file": upload(), "alt_text": "A bridge"})
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert Picture.objects.count() == 0 and stored_files(settings) == []


def test_staff_without_the_pictures_permission_are_refused(client, settings):
    client.force_login(make_staff("intern"))
    assert client.get(CHOOSER).status_code == 403
    assert client.post(UPLOAD, {"file": upload(), "alt_text": "A bridge"}).status_code == 403
    assert Picture.objects.count() == 0 and stored_files(settings) == []


def test_an_upload_needs_the_csrf_token(writer, settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)
    assert client.post(UPLOAD, {"file": upload(), "alt_text": "A bridge"}).status_code == 403
    assert Picture.objects.count() == 0 and stored_files(settings) == []


def test_the_chooser_answers_only_get_and_the_upload_only_post(client, writer):
    client.force_login(writer)
    assert client.post(CHOOSER).status_code == 405
    assert client.get(UPLOAD).status_code == 405


# The chooser.


def test_a_writer_chooses_only_pictures_they_may_use(client, writer, other_writer):
    own = picture("My own upload", by=writer)
    on_live = picture("On a live story", by=other_writer)
    make_article("Live", created_by=other_writer, body=inline(on_live.pk))
    private = picture("Their private upload", by=other_writer)
    on_draft = picture("On their draft", by=other_writer)
    make_article("Draft", status=Article.Status.DRAFT, created_by=other_writer, body=inline(on_draft.pk))
    client.force_login(writer)
    response = client.get(CHOOSER)
    assert response.status_code == 200
    assert ids_of(response) == [on_live.pk, own.pk]  # newest first
    assert response.json()["more"] is False
    asked = client.get(f"{CHOOSER}?ids={private.pk},{own.pk},{on_draft.pk},{on_live.pk},x,-3,{10**30}")
    assert ids_of(asked) == [own.pk, on_live.pk]


def test_an_editor_chooses_from_every_picture(client, editor, other_writer):
    theirs = picture("Their private upload", by=other_writer)
    client.force_login(editor)
    assert ids_of(client.get(CHOOSER)) == [theirs.pk]


def test_the_chooser_gives_each_picture_as_the_editor_shows_it(client, editor):
    chosen = picture("Ferry at dawn", caption="The first crossing", credit="Ana Lima")
    client.force_login(editor)
    [item] = client.get(CHOOSER).json()["results"]
    assert item == {
        "id": chosen.pk,
        "alt": "Ferry at dawn",
        "caption": "The first crossing",
        "credit": "Ana Lima",
        "thumb": chosen.url_of(chosen.best("4x3", "jpeg", at_least=320)),
        "width": 400,
        "height": 300,
    }
    assert item["thumb"].endswith(".jpg") and "4x3-" in item["thumb"]


def test_the_chooser_searches_alt_text_caption_and_credit(client, editor):
    ferry = picture("Ferry at dawn")
    market = picture("Market stalls", caption="Fish sold at the harbour")
    credited = picture("Crowd", credit="Harbour Photo Agency")
    picture("Something else")
    client.force_login(editor)
    assert ids_of(client.get(CHOOSER, {"q": "harbour"})) == [credited.pk, market.pk]
    assert ids_of(client.get(CHOOSER, {"q": "FERRY dawn"})) == [ferry.pk]
    assert ids_of(client.get(CHOOSER, {"q": "ferry\x00" + "x" * 5000})) == []


def test_the_chooser_pages_by_24(client, editor):
    made = [
        Picture.objects.create(file=f"pictures/x/{n}.jpg", width=10, height=10, alt_text=f"P {n}") for n in range(30)
    ]
    client.force_login(editor)
    first, second = client.get(CHOOSER).json(), client.get(CHOOSER, {"page": "2"}).json()
    assert len(first["results"]) == 24 and first["more"] is True
    assert [item["id"] for item in second["results"]] == [p.pk for p in reversed(made[:6])]
    assert second["more"] is False
    assert ids_of(client.get(CHOOSER, {"page": "999999999999"})) == ids_of(client.get(CHOOSER))
    assert client.get(CHOOSER, {"page": "1000"}).json() == {"results": [], "more": False}


# Uploading.


def test_an_upload_stores_the_picture_and_answers_with_it(client, writer, settings):
    client.force_login(writer)
    alt = "Фонтан на площади, 夜 — café ☕"
    response = client.post(
        UPLOAD, {"file": upload(jpeg((640, 480))), "alt_text": alt, "caption": "Évora", "credit": ""}
    )
    assert response.status_code == 201
    item = response.json()
    stored = Picture.objects.get()
    assert (stored.alt_text, stored.caption, stored.uploaded_by) == (alt, "Évora", writer)
    assert item["id"] == stored.pk and item["alt"] == alt and (item["width"], item["height"]) == (640, 480)
    assert client.get(CHOOSER, {"ids": str(stored.pk)}).json()["results"][0]["alt"] == alt
    assert stored_files(settings), "the original and its renditions"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"file": upload(b"<svg onload=alert(1)></svg>", "x.jpg"), "alt_text": "A"}, "file", "not a picture we accept"),
        ({"file": upload(b"GIF89a" + b"\0" * 100, "x.gif"), "alt_text": "A"}, "file", "not a picture we accept"),
        ({"alt_text": "A bridge"}, "file", "Choose a picture to upload."),
        ({"file": upload(), "alt_text": ""}, "alt_text", "Describe the picture for readers who cannot see it."),
        ({"file": upload(), "alt_text": "   "}, "alt_text", "Describe the picture for readers who cannot see it."),
        ({"file": upload(), "alt_text": "A bridge\x07 at night"}, "alt_text", "character"),
        ({"file": upload(), "alt_text": "x" * 10_000}, "alt_text", "at most 300 characters"),
        ({"file": upload(), "alt_text": "A", "caption": "c" * 501}, "caption", "at most 500 characters"),
    ],
    ids=["svg", "gif", "no-file", "no-alt", "blank-alt", "control-character", "10000-characters", "long-caption"],
)
def test_a_bad_upload_is_refused_with_a_message_and_leaves_nothing(client, writer, settings, fields, field, message):
    client.force_login(writer)
    response = client.post(UPLOAD, fields)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert message in " ".join(errors[field]), errors
    assert Picture.objects.count() == 0 and stored_files(settings) == []


def test_a_file_too_large_is_refused_and_leaves_nothing(client, writer, settings):
    settings.IMAGE_MAX_BYTES = 2_000
    client.force_login(writer)
    response = client.post(UPLOAD, {"file": upload(jpeg((900, 700), colour=(1, 2, 3))), "alt_text": "A bridge"})
    assert response.status_code == 400
    assert "larger than" in response.json()["errors"]["file"][0]
    assert Picture.objects.count() == 0 and stored_files(settings) == []


def test_a_failure_while_storing_leaves_no_file(client, writer, settings, monkeypatch):
    from newsroom.lib import images

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(images, "renditions", broken)
    client.force_login(writer)
    with pytest.raises(OSError):
        client.post(UPLOAD, {"file": upload(), "alt_text": "A bridge"})
    assert Picture.objects.count() == 0 and stored_files(settings) == []


# The library's pages.


def test_the_library_lists_pictures_with_their_use(client, editor, writer):
    used = picture("Ferry at dawn", by=writer, caption="First crossing", credit="Ana Lima")
    make_article("One", body=inline(used.pk))
    make_article("Two", body=inline(used.pk), lead_image=used)
    picture("Unused")
    client.force_login(editor)
    page = client.get(LIBRARY).content.decode()
    assert "Ferry at dawn" in page and "First crossing" in page and "Ana Lima" in page and "writer" in page
    assert "2 stories, lead or social image of 1" in page and "No story" in page
    assert page.count('class="picture-thumbnail"') == 2
    assert "Ferry at dawn" in client.get(LIBRARY, {"q": "crossing"}).content.decode()
    assert "Ferry at dawn" not in client.get(LIBRARY, {"q": "unused"}).content.decode()


def test_a_writer_sees_in_the_library_only_what_they_may_use(client, writer, other_writer):
    picture("My own upload", by=writer)
    private = picture("Their private upload", by=other_writer)
    client.force_login(writer)
    page = client.get(LIBRARY).content.decode()
    assert "My own upload" in page and "Their private upload" not in page
    assert client.get(f"{LIBRARY}{private.pk}/change/").status_code == 302  # as for one that does not exist


def test_a_writer_reads_but_does_not_edit_a_picture_someone_else_uploaded(client, writer, other_writer):
    shown = picture("On a live story", by=other_writer)
    make_article("Live", created_by=other_writer, body=inline(shown.pk))
    client.force_login(writer)
    page = client.get(f"{LIBRARY}{shown.pk}/change/").content.decode()
    assert "On a live story" in page and 'name="alt_text"' not in page
    response = client.post(f"{LIBRARY}{shown.pk}/change/", {"alt_text": "Hijacked", "picture_focal_x": 50})
    assert response.status_code == 403
    shown.refresh_from_db()
    assert shown.alt_text == "On a live story"


def test_the_add_page_uploads_through_the_same_validation(client, editor, settings):
    client.force_login(editor)
    response = client.post(f"{LIBRARY}add/", {"file": upload(b"not an image"), "alt_text": "A"})
    assert response.status_code == 200 and "not a picture we accept" in response.content.decode()
    assert Picture.objects.count() == 0 and stored_files(settings) == []
    response = client.post(f"{LIBRARY}add/", {"file": upload(), "alt_text": "A bridge", "caption": "", "credit": ""})
    assert response.status_code == 302
    stored = Picture.objects.get()
    assert stored.alt_text == "A bridge" and stored.uploaded_by.username == "editor" and stored.renditions


def edit(client, shown: Picture, **changes):
    data = {
        "alt_text": shown.alt_text,
        "caption": shown.caption,
        "credit": shown.credit,
        "picture_focal_x": round(shown.focal_x * 100),
        "picture_focal_y": round(shown.focal_y * 100),
        **changes,
    }
    return client.post(f"{LIBRARY}{shown.pk}/change/", data)


def test_an_editor_describes_a_picture_and_moves_its_focal_point(client, editor):
    shown = picture("Ferry")
    before = {record["name"] for record in shown.renditions}
    client.force_login(editor)
    response = edit(client, shown, alt_text="Ferry at dawn, Évora", caption="Crossing", picture_focal_x=10)
    assert response.status_code == 302
    shown.refresh_from_db()
    assert (shown.alt_text, shown.caption, shown.focal_x) == ("Ferry at dawn, Évora", "Crossing", 0.1)
    assert {record["name"] for record in shown.renditions} != before, "the crops are made again"


def test_an_edit_with_bad_text_is_refused_and_changes_nothing(client, editor):
    shown = picture("Ferry")
    client.force_login(editor)
    for bad in ({"alt_text": ""}, {"alt_text": "x" * 10_000}, {"caption": "a\x1bb"}, {"picture_focal_x": 101}):
        response = edit(client, shown, **bad)
        assert response.status_code == 200 and response.context["adminform"].form.errors, bad
    shown.refresh_from_db()
    assert shown.alt_text == "Ferry" and shown.caption == ""


def test_replacing_the_file_keeps_the_picture_and_its_stories(
    client, editor, settings, django_capture_on_commit_callbacks
):
    shown = picture("Ferry")
    story = make_article("Live", body=inline(shown.pk))
    old_files = {shown.file.name, *(record["name"] for record in shown.renditions)}
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(client, shown, replacement=upload(jpeg((800, 600), colour=(200, 10, 10)), "new.jpg"))
    assert response.status_code == 302
    shown.refresh_from_db()
    assert (shown.width, shown.height) == (800, 600)
    assert Article.objects.get(pk=story.pk).body_pictures.get().picture == shown
    names = {str(path.relative_to(settings.MEDIA_ROOT)) for path in stored_files(settings)}
    assert names.isdisjoint(old_files) and shown.file.name in names


def test_a_bad_replacement_is_refused_and_changes_nothing(client, editor, settings):
    shown = picture("Ferry")
    files = stored_files(settings)
    client.force_login(editor)
    response = edit(client, shown, replacement=upload(b"<html>", "x.jpg"))
    assert response.status_code == 200 and "not a picture we accept" in response.content.decode()
    assert stored_files(settings) == files


# Deleting.


def test_a_picture_a_story_shows_is_not_deleted_and_the_stories_are_named(client, editor):
    shown = picture("Ferry")
    one = make_article("Ferry returns", body=inline(shown.pk))
    two = make_article("Harbour at night", status=Article.Status.DRAFT, lead_image=shown)
    client.force_login(editor)
    response = client.post(f"{LIBRARY}{shown.pk}/delete/", {"post": "yes"}, follow=True)
    page = response.content.decode()
    assert "“Ferry” was not deleted: these stories show it" in page
    assert f'<a href="/admin/articles/article/{one.pk}/change/">Ferry returns</a>' in page
    assert f'<a href="/admin/articles/article/{two.pk}/change/">Harbour at night</a>' in page
    assert Picture.objects.filter(pk=shown.pk).exists()
    assert "was not deleted" in client.get(f"{LIBRARY}{shown.pk}/delete/", follow=True).content.decode()


def test_a_picture_no_story_shows_is_deleted(client, editor):
    unused = picture("Unused")
    client.force_login(editor)
    response = client.post(f"{LIBRARY}{unused.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Picture.objects.filter(pk=unused.pk).exists()


def test_writers_cannot_delete_pictures(client, writer):
    own = picture("Mine", by=writer)
    client.force_login(writer)
    assert client.post(f"{LIBRARY}{own.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Picture.objects.filter(pk=own.pk).exists()


def test_the_upload_answers_json_a_browser_script_can_read(client, writer):
    client.force_login(writer)
    response = client.post(UPLOAD, {"file": upload(), "alt_text": "A"})
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["alt"] == "A"


def test_the_change_page_offers_the_focal_point_and_the_replacement(client, editor):
    shown = picture("Ferry")
    client.force_login(editor)
    page = client.get(f"{LIBRARY}{shown.pk}/change/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'data-focal-for="picture"' in page and 'id="id_picture_focal_x"' in page and 'value="50"' in page
    assert 'name="replacement"' in page and "desk/focal.js" in page
    add = client.get(f"{LIBRARY}add/").content.decode()
    assert 'enctype="multipart/form-data"' in add and 'name="file"' in add and 'name="alt_text"' in add


# The library's list (7 queries for an editor) and the chooser (5) whatever the number of pictures.
@pytest.mark.parametrize("who", ["editor", "writer"])
def test_the_library_and_the_chooser_run_the_same_queries_however_many_pictures(client, editor, writer, who):
    user = {"editor": editor, "writer": writer}[who]

    def queries_with(count: int) -> tuple[int, int]:
        for n in range(count):
            made = Picture.objects.create(file=f"pictures/x/{n}.jpg", width=10, height=10, alt_text=f"P {n}")
            Picture.objects.filter(pk=made.pk).update(uploaded_by=user)
            make_article(f"Story {count}-{n}", body=inline(made.pk))
        ran = []
        for address in (LIBRARY, CHOOSER):
            client.get(address)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(address).status_code == 200
            ran.append(len(queries))
        return tuple(ran)

    client.force_login(user)
    assert queries_with(2) == queries_with(30)


# Any text a query string can carry (a lone surrogate cannot be sent: it is tried as bytes below).
ANY_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=60),
    st.sampled_from(["\x00", "²,١٢٣", "1,,2", "9" * 40, "é" * 5_000, "%", "_", "\\"]),
)


@settings(max_examples=60, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(q=ANY_TEXT, page=ANY_TEXT, ids=ANY_TEXT)
def test_the_chooser_answers_any_query_with_json(client, editor, q, page, ids):
    client.force_login(editor)
    for parameters in ({"q": q, "page": page}, {"ids": ids}):
        response = client.get(CHOOSER, parameters)
        assert response.status_code == 200, parameters
        assert isinstance(response.json()["results"], list)


def test_the_chooser_answers_bytes_that_are_no_text(client, editor):
    client.force_login(editor)
    for query in ("q=%ff%fe%ed%a0%80&page=%00", "ids=%ed%a0%80,%ff"):
        assert client.get(f"{CHOOSER}?{query}").status_code == 200, query
