"""Generated input, not only chosen cases (Hypothesis, derandomised: the same examples every run).

ninjs documents are generated from the official schemas (wire/schemas) with arbitrary Unicode in
every string, control characters and lone surrogates included; the search box, every public
URL's query parameters and the desk's text fields get arbitrary text. Whatever comes: no 500, no
traceback, nothing half-written, and what is saved is free of unusable characters and shows
escaped. Each example runs in its own savepoint, rolled back after it."""

import json
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import transaction
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article, Section
from newsroom.lib.text import UNUSABLE
from public import search
from tests.factories import form_data, make_article, make_author
from wire.importer import import_document

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parents[2] / "wire" / "schemas"
EXAMPLES = 200
GENERATED = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Any text at all: every code point, lone surrogates and C0/C1 controls included, sometimes long.
ANY_CHARACTER = st.characters(exclude_categories=())
TEXT = st.one_of(
    st.text(max_size=40),
    st.text(ANY_CHARACTER, max_size=40),
    st.sampled_from(["", " ", "\x00", "\r\n", "\ud800", "²", "١٢٣", "!!!", "é" * 5_000, "<b>x</b>&amp;"]),
)
DATE_TIME = st.one_of(
    st.datetimes(timezones=st.just(UTC)).map(lambda moment: moment.isoformat()),
    TEXT,
)


def from_schema(node: dict, definitions: dict, depth: int = 0):
    """A strategy for values of a JSON Schema node, as far as the ninjs schemas use the language.
    Recursion (associations are ninjs documents) stops at depth 2; strings are arbitrary text."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name not in definitions or depth >= 2:
            return st.fixed_dictionaries({})
        return from_schema(definitions[name], definitions, depth + 1)
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "oneOf" in node:
        base = {key: value for key, value in node.items() if key != "oneOf"}
        return st.one_of([from_schema({**base, **option}, definitions, depth) for option in node["oneOf"]])
    kind = node.get("type", "object" if "properties" in node else "string")
    kind = kind[0] if isinstance(kind, list) else kind
    if kind == "object":
        properties = node.get("properties", {})
        required = set(node.get("required", []))
        return st.fixed_dictionaries(
            {name: from_schema(properties[name], definitions, depth) for name in required if name in properties},
            optional={
                name: from_schema(value, definitions, depth)
                for name, value in properties.items()
                if name not in required
            },
        )
    if kind == "array":
        return st.lists(from_schema(node.get("items", {}), definitions, depth), max_size=3)
    if kind in ("integer", "number"):
        return st.integers(node.get("minimum", -(10**6)), node.get("maximum", 10**6))
    if kind == "boolean":
        return st.booleans()
    return DATE_TIME if node.get("format") == "date-time" else TEXT


def ninjs_documents(file: str):
    """Documents of the schema; most get a uri and the type "text" (an agency's stories mostly
    have them), so that the generated text reaches the story and not only the first check."""
    schema = json.loads((SCHEMAS / file).read_text())
    definitions = schema.get("$defs") or schema.get("definitions") or {}
    root = schema
    if "properties" not in schema:
        root = {**definitions[schema["$ref"].rsplit("/", 1)[-1]], "required": schema.get("required", [])}

    def usable(document: dict, likely: bool) -> dict:
        if likely:
            uri = f"urn:newsroom:generated:{document.get('uri', '')}"[:400]
            document = {**document, "uri": uri, "type": "text"}
            headline = document.get("headline") or f"Headline {document.get('slugline', '')}"
            if file.startswith("ninjs-schema_1"):
                document["headline"] = headline
            else:
                document["headlines"] = [{"value": headline}, *document.get("headlines", [])]
        return document

    return st.builds(usable, from_schema(root, definitions), st.booleans())


@contextmanager
def savepoint():
    """One example's writes, rolled back after it: examples never see each other's data."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def no_unusable_text(article: Article) -> bool:
    values = [
        article.kicker,
        article.headline,
        article.standfirst,
        article.body,
        article.dateline_place,
        article.source_uri,
    ]
    values += [tag.name for tag in article.tags.all()] + [byline.author.name for byline in article.bylines.all()]
    return not any(UNUSABLE.search(value) for value in values)


@pytest.mark.parametrize("file", ["ninjs-schema_1.6.json", "ninjs-schema_2.2.json", "ninjs-schema_3.1.json"])
def test_generated_ninjs_documents_import_or_are_rejected_with_a_reason(client, editor, file):
    client.force_login(editor)
    statuses = []

    @GENERATED
    @given(document=ninjs_documents(file))
    def check(document):
        raw = json.dumps(document).encode()  # lone surrogates travel as \ud800 escapes
        with savepoint():
            before = Article.objects.count()
            outcome = import_document("generated.json", raw, user=editor)
            statuses.append(outcome.status)
            assert outcome.status in {"imported", "updated", "pending", "held", "unchanged", "skipped", "rejected"}, (
                outcome
            )
            assert outcome.message and not UNUSABLE.search(str(outcome))
            if outcome.status == "imported":
                article = Article.objects.get(pk=outcome.article.pk)
                assert article.source_uri.strip(), "a blank uri never makes a story"
                assert no_unusable_text(article)
                page = client.get(f"/admin/articles/article/{article.pk}/change/")
                assert page.status_code == 200
                assert escape(article.headline) in page.content.decode()
            else:
                assert Article.objects.count() == before, "nothing half-written"

    check()
    assert {"imported", "rejected"} <= set(statuses), "the generator reaches both sides"


@GENERATED
@given(raw=TEXT)
def test_the_search_parser_takes_any_text(raw):
    terms = search.parse(raw)
    if terms:
        assert not UNUSABLE.search(str(terms))


def query(value: str) -> str:
    """As a browser would send it: UTF-8, percent-encoded (a lone surrogate as its bytes)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


PUBLIC_PATHS = ["/", "/search/", "/tags/", "/tags/floods/", "/authors/", "/feed/", "/feed/atom/", "/sitemap.xml"]
PARAMETERS = st.sampled_from(["q", "page", "before", "after", "p"]) | st.text(max_size=8)


def test_every_public_page_takes_any_query_string(client):
    article = make_article("Floods close the valley road", authors=[make_author("Åse Ødegård")], tags=["Floods"])
    paths = [
        *PUBLIC_PATHS,
        article.get_absolute_url(),
        f"{article.get_absolute_url()}ninjs.json",
        "/sitemap-articles.xml",
    ]

    @GENERATED
    @given(path=st.sampled_from(paths), parameters=st.lists(st.tuples(PARAMETERS, TEXT), max_size=3))
    def check(path, parameters):
        response = client.get(f"{path}?{'&'.join(f'{query(name)}={query(value)}' for name, value in parameters)}")
        assert response.status_code in {200, 301, 302, 400, 404}, (path, parameters, response.status_code)

    check()


def test_the_desk_takes_any_text_in_every_text_field_and_saves_only_what_it_can_show(client, editor):
    author = make_author("Asha Verma")
    article = make_article("Floods close the valley road", status=Article.Status.DRAFT, authors=[author])
    client.force_login(editor)
    fields = [
        "kicker",
        "headline",
        "standfirst",
        "dateline_place",
        "language",
        "bylines-0-role",
        "image_alt",
        "new_tags",
    ]

    saves = []

    @GENERATED
    @given(field=st.sampled_from(fields), value=TEXT)
    def check(field, value):
        with savepoint():
            saved = Article.objects.get(pk=article.pk)
            data = {**form_data(saved), field: value}
            values = [
                (name, item) for name, held in data.items() for item in (held if isinstance(held, list) else [held])
            ]
            body = "&".join(f"{query(name)}={query(str(item))}" for name, item in values)
            response = client.post(
                f"/admin/articles/article/{article.pk}/change/", body, content_type="application/x-www-form-urlencoded"
            )
            assert response.status_code in {200, 302}, response.status_code
            now = Article.objects.get(pk=article.pk)
            if response.status_code == 200:
                assert now.version == saved.version, "a refused save leaves the story as it was"
            else:
                saves.append(field)
                assert no_unusable_text(now)
                page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
                assert escape(now.headline) in page

    check()
    assert saves, "some generated values are saved: the form itself is not refused"


def test_the_section_admin_takes_any_text_and_saves_only_what_it_can_show(client, editor):
    client.force_login(editor)
    fields = ["name", "slug", "description"]
    saves = []

    @GENERATED
    @given(field=st.sampled_from(fields), value=TEXT)
    def check(field, value):
        with savepoint():
            data = {
                "name": "Culture",
                "slug": "culture",
                "parent": "",
                "description": "",
                "position": "1",
                field: value,
            }
            body = "&".join(f"{query(name)}={query(item)}" for name, item in data.items())
            response = client.post(
                "/admin/articles/section/add/", body, content_type="application/x-www-form-urlencoded"
            )
            assert response.status_code in {200, 302}, response.status_code
            if response.status_code == 200:
                assert not Section.objects.exists(), "a refused section leaves nothing behind"
                return
            saves.append(field)
            section = Section.objects.get()
            assert not any(UNUSABLE.search(text) for text in (section.name, section.slug, section.description))
            assert escape(section.name) in client.get("/admin/articles/section/").content.decode()

    check()
    assert saves
