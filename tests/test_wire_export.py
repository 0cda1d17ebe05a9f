"""The ninjs export in 2.2 and 3.1 (#14): each valid against its official schema, on the story's
ninjs.json and on the feed, with the lead image as an association; an unknown version is a 400
that says which are offered; and what we export imports back as the same story, picture included
(fetched from a real server on loopback that the test allows)."""

import io
import json
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from taggit.models import Tag

from articles.models import Article
from authors.models import Author
from newsroom.lib import images
from pictures.models import Picture
from tests.factories import make_article, make_author
from wire import schema
from wire.importer import import_document

pytestmark = pytest.mark.django_db

VERSIONS = [("2.2", "2"), ("3.1", "3")]


def make_picture() -> Picture:
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1000), (30, 90, 150)).save(buffer, "JPEG")
    return Picture.create(
        images.clean_upload(ContentFile(buffer.getvalue(), name="bridge.jpg")),
        alt_text="The new bridge at dawn",
        caption="The bridge reopened on Monday.",
        credit="Ana Lima / Wire Agency",
    )


@pytest.fixture
def story() -> Article:
    return make_article(
        "Bridge reopens after repairs",
        authors=[make_author("Asha Verma"), make_author("Ben Okoro")],
        credit=make_author("Wire Agency", kind="organisation"),
        tags=["Transport", "Riverton"],
        dateline_place="Riverton",
        standfirst="Traffic flows again after two years.",
        body="<p>The bridge reopened on Monday.</p><p>Its repairs took two years.</p>",
        language="en",
        lead_image=make_picture(),
    )


def the_story(article: Article) -> dict:
    """What a reader and an editor see of a story."""
    picture = article.lead_image
    return {
        "headline": article.headline,
        "standfirst": article.standfirst,
        "body": article.body,
        "byline": [author.name for author in article.byline_authors],
        "credit": article.credit.name,
        "dateline": article.dateline_place,
        "language": article.language,
        "tags": sorted(tag.name for tag in article.tags.all()),
        "picture": picture and (picture.alt_text, picture.caption, picture.credit, picture.width, picture.height),
    }


@pytest.mark.parametrize(("version", "major"), VERSIONS)
def test_each_version_is_valid_against_its_schema_with_the_lead_image(client, story, version, major):
    response = client.get(f"{story.get_absolute_url()}ninjs.json?version={version}")
    assert response.status_code == 200
    document = response.json()
    assert schema.first_error(document, major) is None
    assert document["standard"]["version"] == version
    [picture] = document["associations"]
    assert (picture["type"], picture["headlines"][0]["value"], picture["by"]) == (
        "picture",
        "The new bridge at dawn",
        "Ana Lima / Wire Agency",
    )
    assert picture["descriptions"][0]["value"] == "The bridge reopened on Monday."
    assert all(rendition["href"].startswith("http://127.0.0.1:8000/media/") for rendition in picture["renditions"])


@pytest.mark.parametrize(("version", "major"), VERSIONS)
def test_the_feed_offers_each_version(client, story, version, major):
    items = client.get(f"/ninjs/?version={version}").json()["items"]
    assert [item["headlines"][0]["value"] for item in items] == ["Bridge reopens after repairs"]
    assert all(schema.first_error(item, major) is None for item in items)


def test_3_1_spells_its_names_in_camel_case(client, story):
    document = client.get(f"{story.get_absolute_url()}ninjs.json?version=3.1").json()
    assert {"firstCreated", "versionCreated", "pubStatus", "infoSources", "copyrightHolder"} <= set(document)
    assert document["bodies"][0]["contentType"] == "text/html"


def test_without_a_version_the_export_is_2_2(client, story):
    assert client.get(f"{story.get_absolute_url()}ninjs.json").json()["standard"]["version"] == "2.2"


@pytest.mark.parametrize("address", ["{url}ninjs.json?version=4.0", "/ninjs/?version=latest"])
def test_an_unknown_version_is_refused_with_the_versions_offered(client, story, address):
    response = client.get(address.format(url=story.get_absolute_url()))
    assert response.status_code == 400
    assert "is not offered here: ask for 2.2 or 3.1" in response.json()["error"]


@pytest.mark.parametrize(("version", "major"), VERSIONS)
def test_exported_and_imported_again_it_is_the_same_story(client, settings, file_server, story, version, major):
    settings.SITE_URL = file_server.base  # the export's picture URLs point at the test's server
    settings.WIRE_FETCH_HOSTS = ["127.0.0.1"]
    settings.WIRE_FETCH_ALLOW_PRIVATE = True
    original = the_story(story)
    exported = client.get(f"{story.get_absolute_url()}ninjs.json?version={version}").content
    for rendition in json.loads(exported)["associations"][0]["renditions"]:
        path = urlsplit(rendition["href"]).path
        content = (settings.MEDIA_ROOT / path.removeprefix("/media/")).read_bytes()
        file_server.routes[path] = (200, {"Content-Type": rendition.get("contenttype", "image/jpeg")}, content)
    Article.objects.all().delete()
    Author.objects.all().delete()
    Tag.objects.all().delete()
    Picture.objects.all().delete()

    outcome = import_document(f"story-{version}.json", exported)
    assert outcome.status == "imported"
    assert outcome.message == "draft “Bridge reopens after repairs”; lead image “The new bridge at dawn”"
    assert the_story(Article.objects.get()) == original
