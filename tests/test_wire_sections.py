"""Wire copy is filed in a section: the one its subjects name, else the pushing source's default,
else none (the publish checklist then asks an editor to choose)."""

import json
from pathlib import Path

import pytest

from articles.models import Article, Section
from tests.factories import make_article, make_author
from wire.exporter import to_ninjs
from wire.models import Source

pytestmark = pytest.mark.django_db
SIMPLE = Path(__file__).resolve().parent / "ninjs" / "examples" / "v3.0-ninjsExSimpleText_3.json"


@pytest.fixture
def politics():
    return Section.objects.create(name="Politics", slug="politics")


@pytest.fixture
def agency(politics):
    world = Section.objects.create(name="World", slug="world")
    source = Source(name="Wire Agency", default_credit=make_author("AP", kind="organisation"), default_section=world)
    token = source.new_token()
    source.save()
    return source, token


def push(client, token: str, **changes):
    body = json.dumps({**json.loads(SIMPLE.read_text()), **changes}).encode()
    response = client.post("/wire/push/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 201, response.content
    return Article.objects.get(pk=response.json()["results"][0]["article"])


def test_a_pushed_story_naming_no_section_goes_to_the_sources_default(client, agency):
    source, token = agency
    assert push(client, token).section == source.default_section


def test_a_section_the_subjects_name_comes_before_the_sources_default(client, agency, politics):
    _, token = agency
    story = push(client, token, subjects=[{"name": "Courts"}, {"name": "politics"}])
    assert story.section == politics


def test_without_a_default_the_story_waits_for_an_editor_to_choose(client, agency):
    source, token = agency
    source.default_section = None
    source.save()
    story = push(client, token)
    assert story.section is None and story.status == Article.Status.DRAFT


def test_the_desk_chooses_a_sources_default_section(client, editor, agency):
    source, _ = agency
    client.force_login(editor)
    form = client.get(f"/admin/wire/source/{source.pk}/change/").context["adminform"].form
    assert "default_section" in form.fields
    listing = client.get("/admin/wire/source/").content.decode()
    assert ">World<" in listing


def test_deleting_an_empty_default_section_leaves_the_source_without_one(agency):
    source, _ = agency
    source.default_section.delete()
    source.refresh_from_db()
    assert source.default_section is None


def test_the_ninjs_export_carries_no_section_as_a_subject(politics):
    """ninjs 2.2 has no field for a section: a subject would come back through our own importer
    as a tag. The export keeps subjects for tags only."""
    story = make_article("Vote tonight", section=politics, tags=["Budget"])
    story = Article.objects.for_listing().with_tags().get(pk=story.pk)
    assert to_ninjs(story)["subjects"] == [{"name": "Budget"}]
