"""The official IPTC ninjs schemas (1.6, 2.2, 3.1), loaded from the project: nothing is fetched.

ninjs 3.x refers to the GeoJSON schema by URL; the local copy is registered under that URL.
"""

import json
from functools import cache
from pathlib import Path

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from referencing import Registry, Resource

SCHEMAS = Path(__file__).resolve().parent / "schemas"
FILES = {"1": "ninjs-schema_1.6.json", "2": "ninjs-schema_2.2.json", "3": "ninjs-schema_3.1.json"}
EXPORT_SCHEMA_URL = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"

# Property names only ninjs 3.x spells in camelCase.
CAMEL_CASE = {
    "versionCreated", "firstCreated", "contentCreated", "pubStatus", "representationType", "copyrightHolder",
    "copyrightNotice", "usageTerms", "infoSources", "altIds", "charCount", "wordCount", "contentType", "mimeType",
    "eventDetails", "embargoedUntil",
}  # fmt: skip
# Property names of ninjs 2.x and later (1.x spells them singular, or has none).
PLURAL = {
    "headlines",
    "descriptions",
    "bodies",
    "people",
    "organisations",
    "places",
    "subjects",
    "infosources",
    "standard",
}


@cache
def _registry() -> Registry:
    geojson = json.loads((SCHEMAS / "GeoJSON-schema.json").read_text())
    return Registry().with_resource("https://geojson.org/schema/GeoJSON.json", Resource.from_contents(geojson))


@cache
def validator(major: str):
    schema = json.loads((SCHEMAS / FILES[major]).read_text())
    cls = validator_for(schema)
    return cls(schema, registry=_registry())


def major_version(document: dict) -> str:
    """Which ninjs a document is: its `standard.version` when it says, otherwise by its property names."""
    standard = document.get("standard")
    if isinstance(standard, dict) and isinstance(standard.get("version"), str) and standard["version"][:1] in FILES:
        return standard["version"][:1]
    keys = set(document)
    for part in ("bodies", "descriptions", "headlines"):
        items = document.get(part)
        for item in items if isinstance(items, list) else ():
            if isinstance(item, dict):
                keys |= set(item)
    if keys & CAMEL_CASE:
        return "3"
    if keys & PLURAL:
        return "2"
    return "1"


# The validator's message quotes the offending value, which may be megabytes long.
MAX_MESSAGE_LENGTH = 200


def _shortened(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE_LENGTH else f"{text[: MAX_MESSAGE_LENGTH - 1]}…"


def first_error(document: dict, major: str) -> str | None:
    """The most relevant schema error, as a sentence with where it is, or None when the document is valid."""
    error = best_match(validator(major).iter_errors(document))
    if error is None:
        return None
    where = "/".join(str(part) for part in error.absolute_path) or "the top level"
    return f"not valid ninjs {major}.x at {_shortened(where)}: {_shortened(error.message)}"
