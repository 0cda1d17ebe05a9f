"""Pictures: hostile uploads are refused or neutralised, metadata is stripped, renditions are as
promised, and pages show pictures without touching the storage."""

import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from articles import workflow
from articles.models import Article
from newsroom.lib import images
from pictures.models import Picture
from tests.factories import form_data, make_article, make_author, png_claiming

pytestmark = pytest.mark.django_db


def picture_bytes(size=(800, 500), image_format="JPEG", colour=(200, 60, 40), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=image_format, **save)
    return buffer.getvalue()


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.fixture
def draft(editor):
    return make_article("Flood story", status=Article.Status.DRAFT, authors=[make_author()])


def upload(client, article, content: bytes, name: str = "photo.jpg", **fields):
    data = form_data(article, image=SimpleUploadedFile(name, content), image_alt="Flooded street", **fields)
    return client.post(f"/admin/articles/article/{article.pk}/change/", data)


def svg() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def tiff() -> bytes:
    return picture_bytes(image_format="TIFF")


def eps() -> bytes:
    return b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"


def html() -> bytes:
    return b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (svg, "drawing.svg"),
        (svg, "photo.jpg"),
        (tiff, "photo.jpg"),
        (eps, "photo.jpg"),
        (html, "photo.jpg"),
        (lambda: b"", "empty.jpg"),
    ],
    ids=["svg", "svg-as-jpg", "tiff-as-jpg", "eps-as-jpg", "html-as-jpg", "empty"],
)
def test_files_that_are_not_accepted_pictures_are_refused_with_nothing_stored(
    client, editor, draft, settings, content, name
):
    client.force_login(editor)
    response = upload(client, draft, content(), name)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["image"]
    formats = images.accepted_formats()
    expected = "This file is empty or damaged." if name == "empty.jpg" else "This file is not a picture we accept."
    assert errors == [f"{expected} Upload a {formats} file."], (
        "one wording, the formats named as the help text names them"
    )
    assert f"{formats}, at most" in response.content.decode()
    assert stored_files(settings) == [] and not Picture.objects.exists()
    draft.refresh_from_db()
    assert draft.lead_image is None


def test_a_decompression_bomb_is_a_form_error_not_a_500(client, editor, draft, settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    client.force_login(editor)
    response = upload(client, draft, picture_bytes((2000, 1000)))
    assert response.status_code == 200
    assert "more than 1 megapixels" in " ".join(response.context["adminform"].form.errors["image"])
    assert stored_files(settings) == [] and not Picture.objects.exists()


@pytest.mark.parametrize("megapixels", [41, 400, 4000])
def test_a_real_decompression_bomb_is_refused_before_decoding(settings, megapixels):
    settings.IMAGE_MAX_PIXELS = 40_000_000
    bomb = png_claiming(1000, megapixels * 1000)
    assert len(bomb) < 2_000
    with pytest.raises(images.ValidationError, match="more than 40 megapixels"):
        images.clean_upload(ContentFile(bomb, name="bomb.png"))


def test_an_oversized_file_is_refused(client, editor, draft, settings):
    settings.IMAGE_MAX_BYTES = 10_000
    client.force_login(editor)
    response = upload(client, draft, picture_bytes(colour=(1, 2, 3)) + b"\0" * 20_000)
    assert "larger than" in " ".join(response.context["adminform"].form.errors["image"])
    assert stored_files(settings) == []


def test_html_appended_to_a_png_is_gone_from_the_stored_file(client, editor, draft, settings):
    client.force_login(editor)
    payload = picture_bytes(image_format="PNG") + b"<html><script>alert(1)</script></html>"
    assert upload(client, draft, payload, "photo.png").status_code == 302
    draft.refresh_from_db()
    with default_storage.open(draft.lead_image.file.name, "rb") as stored:
        content = stored.read()
    assert b"<script>" not in content and b"<html>" not in content
    assert content.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "name", ["../../../../etc/passwd.jpg", "<img src=x onerror=alert(1)>.jpg", "..\\..\\win.ini.jpg"]
)
def test_file_names_are_generated_never_taken_from_the_user(client, editor, draft, settings, name):
    client.force_login(editor)
    assert upload(client, draft, picture_bytes(), name).status_code == 302
    draft.refresh_from_db()
    assert draft.lead_image.file.name == f"pictures/{draft.lead_image.key}/original.jpg"
    for path in stored_files(settings):
        assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "pictures")
        assert "passwd" not in path.name and "<" not in path.name and "win.ini" not in path.name


def gps_rotated_jpeg() -> bytes:
    image = Image.new("RGB", (1600, 900), (30, 120, 200))
    image.paste((255, 255, 0), (0, 0, 200, 100))  # a marker in the stored top-left corner
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (51.0, 30.0, 0.0), "W", (0.0, 7.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=95)
    return buffer.getvalue()


def test_a_jpeg_with_gps_and_orientation_6_is_stored_upright_without_metadata(client, editor, draft):
    original = gps_rotated_jpeg()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the upload carries a GPS position
    client.force_login(editor)
    assert upload(client, draft, original).status_code == 302
    draft.refresh_from_db()
    picture = draft.lead_image
    assert (picture.width, picture.height) == (900, 1600), "turned upright"
    for name in [picture.file.name, *(r["name"] for r in picture.renditions)]:
        with default_storage.open(name, "rb") as stored:
            data = stored.read()
        image = Image.open(io.BytesIO(data))
        assert not image.getexif(), f"EXIF left in {name}"
        assert "exif" not in image.info and "icc_profile" not in image.info, name
    with default_storage.open(picture.file.name, "rb") as stored:
        upright = Image.open(io.BytesIO(stored.read())).convert("RGB")
    assert upright.getpixel((850, 50))[2] < 100, "the yellow corner moved to the top right"


def test_renditions_have_the_promised_sizes_and_crops():
    clean = images.clean_upload(ContentFile(picture_bytes((2400, 1600)), name="x.jpg"))
    picture = Picture.create(clean, alt_text="A picture")
    by_crop = {}
    for rendition in picture.renditions:
        by_crop.setdefault((rendition["crop"], rendition["format"]), []).append(rendition["width"])
        ratio = {"16x9": 16 / 9, "4x3": 4 / 3, "1x1": 1}[rendition["crop"]]
        assert abs(rendition["width"] / rendition["height"] - ratio) < 0.01
        with default_storage.open(rendition["name"], "rb") as stored:
            image = Image.open(stored)
            assert image.size == (rendition["width"], rendition["height"])
            assert image.format == {"webp": "WEBP", "jpeg": "JPEG"}[rendition["format"]]
    assert sorted(by_crop[("16x9", "webp")]) == [320, 640, 960, 1280, 1920]
    assert sorted(by_crop[("4x3", "jpeg")]) == [320, 640, 960, 1280, 1920]
    assert sorted(by_crop[("1x1", "jpeg")]) == [320, 640, 960, 1280, 1600], "the 1600 px square at most: never upscaled"


def test_crops_keep_the_focal_point():
    assert images.crop_box(2000, 1000, (1, 1), 0.9, 0.5) == (1000, 0, 2000, 1000)
    assert images.crop_box(2000, 1000, (1, 1), 0.1, 0.5) == (0, 0, 1000, 1000)
    assert images.crop_box(2000, 1000, (1, 1), 0.5, 0.5) == (500, 0, 1500, 1000)
    assert images.crop_box(1000, 2000, (16, 9), 0.5, 0.0) == (0, 0, 1000, 562)


def test_moving_the_focal_point_remakes_the_renditions(client, editor, draft):
    client.force_login(editor)
    upload(client, draft, picture_bytes((2400, 1000)))
    draft.refresh_from_db()
    before = {r["name"] for r in draft.lead_image.renditions}
    assert (
        client.post(
            f"/admin/articles/article/{draft.pk}/change/",
            form_data(draft, image_alt="Flooded street", image_focal_x=90, image_focal_y=50),
        ).status_code
        == 302
    )
    picture = Picture.objects.get(pk=draft.lead_image_id)
    assert picture.focal_x == 0.9
    assert {r["name"] for r in picture.renditions} != before


def test_alt_text_is_required_with_a_picture(client, editor, draft):
    client.force_login(editor)
    data = form_data(draft, image=SimpleUploadedFile("p.jpg", picture_bytes()), image_alt="")
    response = client.post(f"/admin/articles/article/{draft.pk}/change/", data)
    assert "Describe the picture" in " ".join(response.context["adminform"].form.errors["image_alt"])


def test_publishing_is_blocked_until_the_lead_image_has_alt_text(editor):
    clean = images.clean_upload(ContentFile(picture_bytes(), name="x.jpg"))
    article = make_article(
        "With picture", status=Article.Status.IN_REVIEW, authors=[make_author()], lead_image=Picture.create(clean)
    )
    with pytest.raises(workflow.WorkflowError, match="needs alt text"):
        workflow.publish(article, user=editor)
    Picture.objects.filter(pk=article.lead_image_id).update(alt_text="A flooded street")
    assert workflow.publish(article, user=editor).status == "published"


@pytest.fixture
def pictured():
    def picture(alt):
        return Picture.create(images.clean_upload(ContentFile(picture_bytes((1800, 1200)), name="x.jpg")), alt_text=alt)

    photo = images.clean_upload(ContentFile(picture_bytes((400, 400)), name="me.jpg"))
    author = make_author("Asha Verma", bio="<p>Reporter.</p>", photo=Picture.create(photo, alt_text="Asha Verma"))
    for n in range(3):
        make_article(f"Story {n}", authors=[author], lead_image=picture(f"Scene {n}"), tags=["Floods"])
    return Article.objects.published().first()


def test_pages_with_pictures_never_ask_the_storage_and_keep_their_query_count(
    client, pictured, monkeypatch, django_assert_max_num_queries
):
    def refuse(*args, **kwargs):
        raise AssertionError("a page asked the storage about a file")

    monkeypatch.setattr(type(default_storage._wrapped), "exists", refuse)
    monkeypatch.setattr(type(default_storage._wrapped), "size", refuse)
    monkeypatch.setattr(type(default_storage._wrapped), "open", refuse)
    # The article page: its story, then its "More in" lists (tests/test_page_speed_and_caching.py).
    pages = [("/", 5), (pictured.get_absolute_url(), 14), ("/tags/floods/", 6), ("/authors/asha-verma/", 6)]
    for url, queries in pages:
        client.get(url)
        with django_assert_max_num_queries(queries):
            assert client.get(url).status_code == 200, url


def test_article_page_serves_responsive_pictures_with_dimensions(client, pictured):
    page = BeautifulSoup(client.get(pictured.get_absolute_url()).content, "html.parser")
    figure = page.select_one(".story__figure")
    webp = figure.select_one("source[type='image/webp']")["srcset"]
    assert [entry.split()[1] for entry in webp.split(", ")] == ["320w", "640w", "960w", "1280w", "1800w"]
    img = figure.img
    assert img["alt"] == "Scene 2" and img["width"] and img["height"] and img.get("loading") is None
    assert " 320w" in img["srcset"]
    about_photo = page.select_one(".about__author img")
    assert about_photo["loading"] == "lazy"
    assert page.select_one("meta[property='og:image']")["content"].startswith("http://127.0.0.1:8000/media/pictures/")
    assert page.select_one("meta[name='twitter:card']")["content"] == "summary_large_image"


def test_listing_pictures_are_lazy_below_the_fold(client, pictured):
    page = BeautifulSoup(client.get("/").content, "html.parser")
    images_on_page = page.select(".card img")
    assert images_on_page[0].get("loading") is None, "the lead story's picture loads at once"
    assert all(img["loading"] == "lazy" for img in images_on_page[1:])


def test_json_ld_has_three_crops_at_least_1200_wide(client, pictured):
    import extruct

    data = extruct.extract(client.get(pictured.get_absolute_url()).content.decode(), syntaxes=["json-ld"])["json-ld"][0]
    assert [url.rsplit("/", 1)[1] for url in data["image"]] == ["1x1-1200.jpg", "4x3-1280.jpg", "16x9-1280.jpg"]


def test_staff_set_an_author_photo_and_writers_only_their_own(client, writer, settings):
    mine, other = make_author("Writer Me", user=writer), make_author("Someone Else")
    client.force_login(writer)
    response = client.post(
        f"/admin/authors/author/{mine.pk}/change/",
        {"bio": "", "image": SimpleUploadedFile("me.png", picture_bytes((900, 900), "PNG"))},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.photo and mine.photo.alt_text == "Writer Me"
    response = client.post(
        f"/admin/authors/author/{other.pk}/change/",
        {"image": SimpleUploadedFile("x.png", picture_bytes((900, 900), "PNG"))},
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.photo is None


def test_all_file_access_goes_through_the_storage_api(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "never-used"
    from django.core.files.storage import default_storage as storage

    picture = Picture.create(images.clean_upload(ContentFile(picture_bytes(), name="x.jpg")), alt_text="x")
    assert storage.exists(picture.file.name)
    assert all(storage.exists(r["name"]) for r in picture.renditions)
    assert not (tmp_path / "never-used").exists()
    picture.remake_renditions()
    assert all(storage.exists(r["name"]) for r in picture.renditions)


def test_make_renditions_makes_what_is_missing_with_a_progress_bar():
    picture = Picture.create(images.clean_upload(ContentFile(picture_bytes(), name="x.jpg")), alt_text="x")
    names = [r["name"] for r in picture.renditions]
    for name in names:
        default_storage.delete(name)
    Picture.objects.filter(pk=picture.pk).update(renditions=[])
    out, err = io.StringIO(), io.StringIO()
    call_command("make_renditions", stdout=out, stderr=err)
    assert "Renditions made for 1 picture(s); 0 failed." in out.getvalue()
    assert "1/1" in err.getvalue()
    picture.refresh_from_db()
    assert picture.renditions and all(default_storage.exists(r["name"]) for r in picture.renditions)


def test_s3_storage_is_configured_by_environment_variables():
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "NEWSROOM_S3_BUCKET": "newsroom-media",
        "NEWSROOM_MEDIA_DOMAIN": "media.news.example",
    }
    code = "import django; django.setup(); from django.core.files.storage import storages; s = storages['default']; print(type(s).__name__, s.bucket_name, s.url('pictures/a/b.jpg'))"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, cwd=Path(__file__).parents[1]
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "newsroom-media", "https://media.news.example/pictures/a/b.jpg"]


def test_a_truncated_picture_is_called_empty_or_damaged(client, editor, draft, settings):
    client.force_login(editor)
    response = upload(client, draft, picture_bytes((400, 300))[:200])
    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["image"]
    assert error.startswith("This file is empty or damaged (")
    assert error.endswith(f"Upload a {images.accepted_formats()} file.")
    assert stored_files(settings) == [] and not Picture.objects.exists()
