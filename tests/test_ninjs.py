"""Wire copy in and out: IPTC ninjs import (1.x, 2.x, 3.x) and export (2.2).

The examples, invalid documents and expected results are the IPTC's (MIT licence, see
tests/ninjs/LICENSE.iptc), copied from ../shared/ninjs.
"""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from reversion.models import Version
from taggit.models import Tag

from articles import workflow
from articles.models import Article
from authors.models import Author
from tests.factories import make_article, make_author
from wire import schema
from wire.exporter import to_ninjs
from wire.importer import import_document, parse_byline

pytestmark = pytest.mark.django_db

NINJS = Path(__file__).resolve().parent / "ninjs"
EXPECTED = {
    name: spec for name, spec in json.loads((NINJS / "expected.json").read_text()).items() if not name.startswith("_")
}
INVALID = sorted((NINJS / "invalid").glob("*.json"))


def import_file(path: Path, user=None):
    return import_document(path.name, path.read_bytes(), user=user)


def footprint() -> tuple[int, int, int]:
    return Article.objects.count(), Author.objects.count(), Tag.objects.count()


@pytest.mark.parametrize("name", EXPECTED)
def test_every_agency_example_imports_as_expected(name):
    spec = EXPECTED[name]
    before = footprint()
    outcome = import_file(NINJS / "examples" / name)
    if spec["action"] == "skip":
        assert outcome.status == "skipped"
        assert outcome.message == spec["reason"]
        assert footprint() == before, "a skipped file writes nothing"
        return
    assert outcome.status == "imported", outcome.message
    article = Article.objects.get(pk=outcome.article.pk)
    assert article.status == Article.Status.DRAFT and article.published_at is None
    assert article.headline == spec["headline"]
    assert [author.name for author in article.byline_authors] == spec["byline_authors"]
    assert all(author.kind == "person" for author in article.byline_authors)
    assert (article.credit.name if article.credit else None) == spec["credit"]
    if article.credit:
        assert article.credit.kind == "organisation"
    assert (article.dateline_place or None) == spec["dateline"]
    assert (article.language or None) == spec["language"]
    tags = {tag.name for tag in article.tags.all()}
    assert set(spec["tags_include"]) <= tags, set(spec["tags_include"]) - tags
    if spec.get("body_contains"):
        assert spec["body_contains"] in article.body
    else:
        assert article.body == ""
    if spec.get("standfirst_contains"):
        assert spec["standfirst_contains"] in article.standfirst


def test_the_same_headline_from_another_uri_is_a_second_draft_with_its_own_slug():
    first = import_file(NINJS / "examples" / "v1.4-ninjsExMediumText1.json").article
    second = import_file(NINJS / "examples" / "v3.0-ninjsExSimpleText_3.json").article
    assert first.pk != second.pk and first.slug != second.slug
    assert second.body.startswith("<p>GROSSETO, Italy (AP)")


def test_nitf_body_paragraphs_become_the_body():
    name = "v3.0-20231008-anti-doping-measures-at-the-tour-down-under-will-be-the-toughest-ever-addb-ninjs-nitf.json"
    article = import_file(NINJS / "examples" / name).article
    assert article.body.startswith("<p>") and article.body.count("<p>") >= 3
    assert "<?xml" not in article.body and "nitf" not in article.body


@pytest.mark.parametrize("path", INVALID, ids=[path.name for path in INVALID])
def test_every_invalid_document_is_rejected_with_a_clear_message_and_nothing_written(path):
    before = footprint()
    outcome = import_file(path)
    assert outcome.status == "rejected"
    assert "not valid ninjs 1.x" in outcome.message
    assert footprint() == before


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00", "not valid JSON"),
        (b"[1, 2]", "top level must be a JSON object"),
        (b'{"uri": "x", "type": "text"}', "no headline"),
        (b" " * 10_000_001, "larger than 10 MB"),
    ],
    ids=["broken", "binary", "array", "no-headline", "huge"],
)
def test_bad_files_are_rejected_and_write_nothing(raw, message):
    before = footprint()
    outcome = import_document("bad.json", raw)
    assert outcome.status == "rejected" and message in outcome.message
    assert footprint() == before


def test_an_nitf_body_with_entity_tricks_is_rejected():
    bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><nitf><body><body.content><p>&lol2;</p></body.content></body></nitf>'
    document = {
        "uri": "urn:x",
        "type": "text",
        "headlines": [{"value": "Hi"}],
        "bodies": [{"contenttype": "text/vnd.IPTC.NITF", "value": bomb}],
    }
    outcome = import_document("bomb.json", json.dumps(document).encode())
    assert outcome.status == "rejected" and "not acceptable XML" in outcome.message
    assert not Article.objects.exists()


def test_imported_html_is_sanitised():
    document = {
        "uri": "urn:evil",
        "type": "text",
        "headlines": [{"value": "Evil"}],
        "bodies": [
            {
                "contenttype": "text/html",
                "value": '<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:alert(1)">l</a></p>',
            }
        ],
    }
    article = import_document("evil.json", json.dumps(document).encode()).article
    assert article.body == '<p>Hi<a rel="noopener noreferrer">l</a></p>'


def test_importing_again_updates_the_draft_and_keeps_a_revision(editor):
    path = NINJS / "examples" / "v2.1-ntb_text.json"
    first = import_file(path, user=editor)
    assert import_file(path, user=editor).status == "unchanged", "the same version twice is one story"
    newer = {**json.loads(path.read_text()), "version": "7"}
    second = import_document(path.name, json.dumps(newer).encode(), user=editor)
    assert second.status == "updated" and second.article.pk == first.article.pk
    article = Article.objects.get(pk=first.article.pk)
    assert article.headline == "Google har kjøpt giganttomt i Skien"
    assert Version.objects.get_for_object(article).count() == 2


def test_importing_again_after_review_or_publication_changes_nothing(editor):
    path = NINJS / "examples" / "v1.4-ninjsExMediumText1.json"
    article = import_file(path).article
    workflow.submit(article, user=editor)
    outcome = import_file(path)
    assert outcome.status == "unchanged" and "in review" in outcome.message
    assert Article.objects.count() == 1


def test_existing_authors_are_reused_case_insensitively():
    agency = make_author("NTB", kind="organisation")
    article = import_file(NINJS / "examples" / "v2.1-ntb_text.json").article
    assert article.credit == agency
    assert Author.objects.filter(name__iexact="ntb").count() == 1


@pytest.mark.parametrize(
    ("by", "people", "credit"),
    [
        ("By Asha Verma and Ben Okoro", ["Asha Verma", "Ben Okoro"], ""),
        ("Von Hans Müller, dpa", ["Hans Müller"], "dpa"),
        ("Asha Verma, Ben Okoro and Cy Diaz", ["Asha Verma", "Ben Okoro", "Cy Diaz"], ""),
        ("AP", [], "AP"),
        ("Trond Husø, The Anti-Doping Database", ["Trond Husø"], "The Anti-Doping Database"),
        ("Ana Lima & Rui Costa, Reuters", ["Ana Lima", "Rui Costa"], "Reuters"),
    ],
)
def test_bylines_are_split_into_people_and_a_credit(by, people, credit):
    assert parse_byline(by, known_organisations=set()) == (people, credit)


def test_the_command_prints_a_line_per_file_a_summary_and_fails_on_rejects():
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_ninjs", str(NINJS / "examples"), str(INVALID[0]), stdout=out, stderr=err)
    assert failed.value.returncode == 2
    lines = out.getvalue().splitlines()
    assert sum(line.startswith(("imported:", "skipped:")) for line in lines) == 7
    assert "8 file(s): 5 imported, 1 rejected, 2 skipped." in lines
    assert "rejected:" in err.getvalue() and INVALID[0].name in err.getvalue()
    assert Article.objects.drafts().count() == 5 and not Article.objects.published().exists()


def test_the_command_succeeds_when_nothing_is_rejected():
    out = io.StringIO()
    call_command("import_ninjs", str(NINJS / "examples" / "v2.1-ntb_text.json"), stdout=out)
    assert "1 file(s): 1 imported." in out.getvalue()


def test_editors_import_files_and_zips_in_the_admin(client, editor):
    client.force_login(editor)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted((NINJS / "examples").glob("v3.0-*.json")):
            zipped.write(path, f"folder/{path.name}")
    response = client.post(
        "/admin/articles/article/import-ninjs/",
        {
            "files": [
                SimpleUploadedFile("ntb.json", (NINJS / "examples" / "v2.1-ntb_text.json").read_bytes()),
                SimpleUploadedFile("agency.zip", archive.getvalue()),
                SimpleUploadedFile("bad.json", INVALID[1].read_bytes()),
            ]
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "4 imported" in page and "1 skipped" in page and "1 rejected" in page
    assert "not valid ninjs 1.x" in page
    assert Article.objects.drafts().count() == 4


def test_writers_cannot_import(client, writer):
    client.force_login(writer)
    assert client.get("/admin/articles/article/import-ninjs/").status_code == 403


def test_export_validates_against_the_official_schema_and_is_linked(client, editor):
    reporter, agency = make_author("Asha Verma"), make_author("Wire Agency", kind="organisation")
    article = make_article(
        "Bridge reopens", authors=[reporter], credit=agency, tags=["Transport"], dateline_place="Riverton"
    )
    page = client.get(article.get_absolute_url()).content.decode()
    link = f'<link rel="alternate" type="application/json" title="ninjs" href="http://127.0.0.1:8000{article.get_absolute_url()}ninjs.json">'
    assert link in page
    response = client.get(f"{article.get_absolute_url()}ninjs.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    document = response.json()
    assert schema.first_error(document, "2") is None
    assert document["by"] == "Asha Verma" and document["located"] == "Riverton"
    feed = client.get("/ninjs/").json()
    assert [item["headlines"][0]["value"] for item in feed["items"]] == ["Bridge reopens"]
    assert all(schema.first_error(item, "2") is None for item in feed["items"])


def test_export_of_an_unpublished_article_answers_404(client):
    draft = make_article("Secret", status=Article.Status.DRAFT)
    assert client.get(f"/2026/01/01/{draft.slug}/ninjs.json").status_code == 404
    assert "Secret" not in client.get("/ninjs/").content.decode()


def test_the_seed_story_exported_and_imported_into_an_empty_database_is_the_same_story(client, demo):
    from demo.content import DATA

    seed = Article.objects.get(headline__startswith="Xi, Putin")
    exported = client.get(f"{seed.get_absolute_url()}ninjs.json").content
    original = {
        "headline": seed.headline,
        "byline": [a.name for a in seed.byline_authors],
        "credit": seed.credit.name,
        "dateline": seed.dateline_place,
        "tags": sorted(t.name for t in seed.tags.all()),
        "body": seed.body,
        "standfirst": seed.standfirst,
    }
    Article.objects.all().delete()
    Author.objects.all().delete()
    Tag.objects.all().delete()
    assert json.loads((DATA / "tribune-news-service-xi-putin.ninjs.json").read_text())["uri"]

    article = import_document("seed.ninjs.json", exported).article
    assert {
        "headline": article.headline,
        "byline": [a.name for a in article.byline_authors],
        "credit": article.credit.name,
        "dateline": article.dateline_place,
        "tags": sorted(t.name for t in article.tags.all()),
        "body": article.body,
        "standfirst": article.standfirst,
    } == original


def test_export_round_trips_a_story_with_three_authors_and_a_picture():
    from django.core.files.base import ContentFile
    from PIL import Image

    from newsroom.lib import images
    from pictures.models import Picture

    buffer = io.BytesIO()
    Image.new("RGB", (1400, 900), (10, 80, 160)).save(buffer, "JPEG")
    picture = Picture.create(images.clean_upload(ContentFile(buffer.getvalue(), name="x.jpg")), alt_text="Bridge")
    people = [make_author(name) for name in ["Ana Lima", "Ben Okoro", "Cy Diaz"]]
    article = make_article("Three reporters", authors=people, lead_image=picture, tags=["Bridges"])
    document = to_ninjs(Article.objects.for_listing().get(pk=article.pk))
    assert schema.first_error(document, "2") is None
    assert document["by"] == "Ana Lima, Ben Okoro and Cy Diaz"
    assert document["associations"][0]["type"] == "picture" and document["associations"][0]["name"] == "featureimage"
    Article.objects.all().delete()
    copy = import_document("copy.json", json.dumps(document).encode()).article
    assert [a.name for a in copy.byline_authors] == ["Ana Lima", "Ben Okoro", "Cy Diaz"]
