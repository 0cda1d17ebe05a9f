"""Hostile uploads are refused or neutralised, never a 500, nothing half-written."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article
from pictures.models import Picture
from tests.factories import form_data, make_article, make_author, png_claiming

pytestmark = pytest.mark.django_db


def picture(image_format="JPEG", size=(600, 400)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(buffer, image_format)
    return buffer.getvalue()


ATTACKS = {
    "svg_with_script": ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    "eps_as_jpg": ("x.jpg", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 1 1\n"),
    "tiff_as_jpg": ("x.jpg", picture("TIFF")),
    "html_as_jpg": ("x.jpg", b"<html><script>alert(document.cookie)</script></html>"),
    "decompression_bomb": ("bomb.png", png_claiming(20_000, 20_000)),
}


@pytest.fixture
def draft():
    return make_article("Story", status=Article.Status.DRAFT, authors=[make_author()])


def stored(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize("attack", ATTACKS)
def test_hostile_files_are_refused_with_a_form_error_and_nothing_stored(client, editor, draft, settings, attack):
    name, content = ATTACKS[attack]
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{draft.pk}/change/",
        form_data(draft, image=SimpleUploadedFile(name, content), image_alt="A picture"),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["image"]
    assert stored(settings) == [] and not Picture.objects.exists()


def test_an_oversized_file_is_refused(client, editor, draft, settings):
    settings.IMAGE_MAX_BYTES = 50_000
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{draft.pk}/change/",
        form_data(draft, image=SimpleUploadedFile("big.jpg", picture() + b"\0" * 60_000), image_alt="A picture"),
    )
    assert "larger than" in " ".join(response.context["adminform"].form.errors["image"])
    assert stored(settings) == []


def test_html_appended_to_a_png_is_neutralised(client, editor, draft, settings):
    client.force_login(editor)
    payload = picture("PNG") + b"<script>alert(1)</script>"
    client.post(
        f"/admin/articles/article/{draft.pk}/change/",
        form_data(draft, image=SimpleUploadedFile("x.png", payload), image_alt="A picture"),
    )
    assert all(b"<script>" not in path.read_bytes() for path in stored(settings))
    assert stored(settings)


@pytest.mark.parametrize(
    "name", ["../../../etc/passwd", "..%2F..%2Fshell.php.jpg", "<svg onload=alert(1)>.jpg", "C:\\boot.ini"]
)
def test_path_traversal_and_html_file_names_are_ignored(client, editor, draft, settings, name):
    client.force_login(editor)
    client.post(
        f"/admin/articles/article/{draft.pk}/change/",
        form_data(draft, image=SimpleUploadedFile(name, picture()), image_alt="A picture"),
    )
    paths = stored(settings)
    assert paths and all(path.is_relative_to(Path(settings.MEDIA_ROOT) / "pictures") for path in paths)
    assert all(path.name.startswith(("original.", "16x9-", "4x3-", "1x1-")) for path in paths)


def test_101_file_parts_are_refused_with_400(client, editor):
    client.force_login(editor)
    files = {f"file{n}": SimpleUploadedFile(f"{n}.json", b"{}") for n in range(101)}
    response = client.post("/admin/articles/article/import-ninjs/", files)
    assert response.status_code == 400
    assert not Article.objects.exists()


def test_1001_form_fields_are_refused_with_400(client, editor, draft):
    client.force_login(editor)
    data = {**form_data(draft, headline="Changed"), **{f"field{n}": "x" for n in range(1_001)}}
    assert client.post(f"/admin/articles/article/{draft.pk}/change/", data).status_code == 400
    draft.refresh_from_db()
    assert draft.headline == "Story"
