"""Bad input found on review: each gets a clear answer (a 404, a form error, a rejected file) and
leaves nothing half-written. None of these may be a 500."""

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from taggit.models import Tag

from articles import workflow
from articles.models import Article
from authors.models import Author
from tests.factories import form_data, make_article, make_author
from wire.importer import import_document

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parent / "ninjs" / "examples" / "v2.1-ntb_text.json"


def ninjs(**changes) -> bytes:
    """The NTB example with `changes`, as the bytes of a file."""
    return json.dumps({**json.loads(EXAMPLE.read_text()), **changes}).encode()


def footprint() -> tuple[int, int, int]:
    return Article.objects.count(), Author.objects.count(), Tag.objects.count()


@pytest.mark.parametrize(
    "url",
    [
        "/?before=1.²",
        "/?after=²",
        "/tags/climate/?before=1.²",
        "/search/?q=story&page=²",
        "/sitemap-articles.xml?p=²",
        "/?before=١٢٣.٤",  # Arabic-Indic digits: int() reads them, but no cursor we make has them
    ],
)
def test_digits_that_are_not_ascii_in_a_query_string_answer_404(client, url):
    make_article("Climate story", authors=[make_author()], tags=["Climate"])
    assert client.get(url).status_code == 404


def test_a_new_tag_without_a_letter_or_digit_is_a_form_error(client, editor):
    article = make_article("Storm warning", status=Article.Status.DRAFT, created_by=editor, authors=[make_author()])
    client.force_login(editor)
    response = client.post(f"/admin/articles/article/{article.pk}/change/", form_data(article, new_tags="!!!"))
    assert response.status_code == 200
    assert "The tag “!!!” needs at least one letter or digit." in response.content.decode()
    assert not Tag.objects.exists()


def test_wire_keywords_without_a_letter_or_digit_are_left_out_and_the_story_reads(client, editor):
    body = [{"contenttype": "text/plain", "value": "Power prices fell."}]
    outcome = import_document(
        "stars.json", ninjs(subjects=[{"name": "***"}, {"name": "Energy"}], bodies=body), user=editor
    )
    assert outcome.status == "imported", outcome
    names = set(Tag.objects.values_list("name", flat=True))
    assert "Energy" in names and "***" not in names and all(Tag.objects.values_list("slug", flat=True))
    workflow.publish(outcome.article, user=editor)
    assert client.get(outcome.article.get_absolute_url()).status_code == 200
    assert client.get("/tags/").status_code == 200


def test_a_control_character_in_a_headline_is_a_form_error(client, editor):
    article = make_article("Storm warning", status=Article.Status.DRAFT, created_by=editor, authors=[make_author()])
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/", form_data(article, headline="Storm\x08 warning")
    )
    assert response.status_code == 200
    assert "invisible control character (U+0008)" in response.content.decode()
    article.refresh_from_db()
    assert article.headline == "Storm warning"


def test_control_characters_and_lone_surrogates_in_wire_copy_are_removed_and_feeds_still_parse(client, editor):
    document = ninjs(
        headlines=[{"role": "main", "value": "Power\x08 prices \ud800fall"}],
        by="Kari\x01 Nordmann",
        bodies=[{"contenttype": "text/html", "value": "<p>Prices\x0b fell &#8; again.</p>"}],
    )
    outcome = import_document("controls.json", document, user=editor)
    assert outcome.status == "imported", outcome
    article = outcome.article
    assert article.headline == "Power prices fall"
    assert [author.name for author in article.byline_authors] == ["Kari Nordmann"]
    workflow.publish(article, user=editor)
    for url in ["/feed/", "/feed/atom/", "/news-sitemap.xml", "/search/?q=prices%00fall"]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"[" * 100_000, "nested too deeply"),
        (b'{"uri": ' + b"9" * 5_000 + b"}", "not valid JSON"),
        (ninjs(uri="urn:example:" + "x" * 600), "uri is longer than 500 characters"),
    ],
    ids=["deep-nesting", "huge-number", "long-uri"],
)
def test_files_the_importer_cannot_read_are_rejected_with_a_reason(editor, raw, reason):
    before = footprint()
    outcome = import_document("bad.json", raw, user=editor)
    assert outcome.status == "rejected" and reason in outcome.message
    assert footprint() == before


def test_a_batch_goes_on_past_a_bad_file(tmp_path):
    (tmp_path / "a.json").write_bytes(ninjs(uri="urn:example:a"))
    (tmp_path / "b.json").write_bytes(b"[" * 100_000)
    (tmp_path / "c.json").write_bytes(ninjs(uri="urn:example:c"))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):  # a rejected file makes the command exit 2, after the summary
        call_command("import_ninjs", str(tmp_path), stdout=out, stderr=err)
    assert "3 file(s): 2 imported, 1 rejected." in out.getvalue()
    assert sorted(Article.objects.values_list("source_uri", flat=True)) == ["urn:example:a", "urn:example:c"]


def test_a_long_byline_name_is_one_author_however_often_it_comes(editor):
    name = "Kari " + "Nordmann" * 30
    for uri in ("urn:example:1", "urn:example:2"):
        assert import_document(f"{uri}.json", ninjs(uri=uri, by=name), user=editor).status == "imported"
    assert Author.objects.filter(name=name[:200]).count() == 1


def zip_of(**members: bytes) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in members.items():
            zipped.writestr(name, data)
    return archive.getvalue()


def damaged(archive: bytes) -> bytes:
    """The archive with its first member's recorded CRC changed, as a broken download leaves it."""
    at = archive.index(b"PK\x01\x02") + 16
    return archive[:at] + bytes(b ^ 0xFF for b in archive[at : at + 4]) + archive[at + 4 :]


def unknown_method(archive: bytes) -> bytes:
    """The archive with its member's compression method set to one zipfile cannot read."""
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = archive.index(signature) + offset
        archive = archive[:at] + (97).to_bytes(2, "little") + archive[at + 2 :]
    return archive


@pytest.mark.parametrize(
    "files, message",
    [
        ({}, "Choose at least one ninjs file or zip archive."),
        ({"notes.zip": zip_of(**{"readme.txt": b"hello"})}, "notes.zip holds no .json files."),
        ({"wire.zip": damaged(zip_of(**{"a.json": ninjs()}))}, "wire.zip: a.json is damaged"),
        ({"wire.zip": unknown_method(zip_of(**{"a.json": ninjs()}))}, "uses a compression method we cannot read"),
    ],
    ids=["no-file", "no-json", "damaged", "unknown-compression"],
)
def test_unusable_uploads_on_the_import_page_are_form_errors_and_nothing_is_imported(client, editor, files, message):
    client.force_login(editor)
    good = SimpleUploadedFile("good.json", ninjs(uri="urn:example:good"))
    uploads = [SimpleUploadedFile(name, data) for name, data in files.items()]
    response = client.post("/admin/articles/article/import-ninjs/", {"files": [good, *uploads] if files else []})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("bylines-0-author", "Select a valid choice"),
        ("credit", "Select a valid choice"),
        ("tags", "“abc” is not a valid value."),
    ],
)
def test_a_tampered_autocomplete_id_is_a_form_error(client, editor, field, message):
    article = make_article("Storm warning", status=Article.Status.DRAFT, created_by=editor, authors=[make_author()])
    client.force_login(editor)
    response = client.post(f"/admin/articles/article/{article.pk}/change/", form_data(article, **{field: "abc"}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert article.bylines.get().author.name == "Asha Verma"


def test_a_tampered_user_id_on_an_author_is_a_form_error(client, admin_user):
    author = make_author("Asha Verma")
    client.force_login(admin_user)
    data = {"name": "Asha Verma", "slug": "asha-verma", "kind": "person", "user": "abc", "is_active": "on"}
    response = client.post(f"/admin/authors/author/{author.pk}/change/", data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("years", [6, 7_973])
def test_a_schedule_years_away_is_a_form_error(client, editor, settings, years):
    settings.TIME_ZONE = "America/New_York"
    article = make_article("Storm warning", status=Article.Status.IN_REVIEW, authors=[make_author()])
    client.force_login(editor)
    later = (
        timezone.localtime() + timedelta(days=366 * years) if years < 100 else timezone.localtime().replace(year=9999)
    )
    response = client.post(
        f"/admin/articles/article/{article.pk}/transition/schedule/",
        {"publish_at_0": later.strftime("%Y-%m-%d"), "publish_at_1": "23:59:59"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Choose a time within the next five years." in response.content.decode()
    article.refresh_from_db()
    assert (article.status, article.published_at) == ("in_review", None)
