"""Wire copy in: IPTC ninjs 1.x, 2.x and 3.x documents become draft articles for editors.

Each file is validated against the official schema of its version, mapped, cleaned and saved in
its own transaction: a bad file leaves nothing behind and does not stop the others. Nothing is
published by an import; importing the same `uri` again updates the draft while it is still a
draft (keeping a revision) and otherwise creates nothing.
"""

import html
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

import reversion
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify

from articles.models import Article, tag_name_problem
from authors.models import Author
from newsroom.lib import html as html_limits
from newsroom.lib.html import clean
from newsroom.lib.text import without_unusable_characters
from wire import schema

logger = logging.getLogger(__name__)
MAX_FILE_BYTES = 10 * 1000 * 1000
TEXT_TYPES = {"text"}
STANDFIRST_ROLES = ("summary", "lead", "abstract", "text", "teaser", "description")
# Agencies that often close a byline (", dpa"); compared case-insensitively.
KNOWN_AGENCIES = {
    "afp", "ansa", "ap", "apa", "bloomberg", "dpa", "efe", "epa", "ians", "kyodo", "ntb", "pa", "pti", "reuters",
    "ritzau", "sda", "tass", "tt", "upi", "xinhua", "yonhap", "ani", "anp", "belga", "ctk", "stt",
}  # fmt: skip
ORGANISATION_WORDS = {
    "agency", "associated", "bureau", "database", "desk", "group", "media", "news", "newswire", "press", "service",
    "services", "times", "wire", "post", "tribune", "network", "institute", "foundation", "authority",
}  # fmt: skip


class Rejected(Exception):
    """A file that cannot be imported; the message says why, for the person who sent it."""


@dataclass
class Outcome:
    name: str
    status: str  # imported, updated, unchanged, skipped, rejected
    message: str
    article: Article | None = None

    def __str__(self) -> str:
        return f"{self.status}: {self.name}: {self.message}"


@dataclass
class Story:
    """What a ninjs document says, in our terms."""

    uri: str
    headline: str
    standfirst: str = ""
    body: str = ""
    byline: list[str] = field(default_factory=list)
    credit: str = ""
    dateline_place: str = ""
    language: str = ""
    tags: list[str] = field(default_factory=list)
    version: str = ""
    first_created: datetime | None = None
    version_created: datetime | None = None


# Reading ninjs, whatever its version.


def _get(document: dict, *names: str):
    """The first of these properties that is present (1.x/2.x lower case and 3.x camelCase spellings)."""
    for name in names:
        if document.get(name) not in (None, "", []):
            return document[name]
    return None


def _text(value) -> str:
    """A plain-text value of the document, on one line, without characters no feed can carry."""
    return " ".join(without_unusable_characters(str(value)).split()) if value is not None else ""


def _main(items, *roles: str) -> str:
    """The value of the first item with one of the roles, else of the first item."""
    if not isinstance(items, list):
        return ""
    for role in roles:
        for item in items:
            if isinstance(item, dict) and item.get("role") == role and item.get("value"):
                return str(item["value"])
    return next((str(item["value"]) for item in items if isinstance(item, dict) and item.get("value")), "")


def _paragraphs(text: str) -> str:
    """Plain text to HTML paragraphs: blank lines separate paragraphs; each is escaped."""
    blocks = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text.strip())]
    return "".join(f"<p>{html.escape(block)}</p>" for block in blocks if block)


def _nitf_body(xml: str) -> str:
    """The paragraphs of an NITF document's body.content, as HTML."""
    try:
        # defusedxml: no entity expansion, no external entities, no DTD tricks from wire copy.
        root = ElementTree.fromstring(xml.encode())
    except (ElementTree.ParseError, DefusedXmlException) as error:
        raise Rejected(f"the NITF body is not acceptable XML ({error})") from None
    # Namespaces differ between NITF versions: match local names.
    content = next((element for element in root.iter() if element.tag.rsplit("}", 1)[-1] == "body.content"), None)
    if content is None:
        return ""
    paragraphs = [
        " ".join("".join(element.itertext()).split())
        for element in content.iter()
        if element.tag.rsplit("}", 1)[-1] == "p"
    ]
    return "".join(f"<p>{html.escape(text)}</p>" for text in paragraphs if text)


def _body(document: dict) -> str:
    bodies = _get(document, "bodies")
    if isinstance(bodies, list):
        by_type = {}
        for body in bodies:
            if isinstance(body, dict) and body.get("value"):
                kind = str(body.get("contenttype") or body.get("contentType") or "text/plain").lower()
                by_type.setdefault(kind, str(body["value"]))
        for kind in ("text/html", "application/xhtml+xml", "application/xhtml", "text/xhtml"):
            if kind in by_type:
                return by_type[kind]
        if "text/vnd.iptc.nitf" in by_type or "application/nitf+xml" in by_type:
            return _nitf_body(by_type.get("text/vnd.iptc.nitf") or by_type["application/nitf+xml"])
        if "text/plain" in by_type:
            return _paragraphs(by_type["text/plain"])
        return ""
    if document.get("body_html") or document.get("body_xhtml"):
        return str(document.get("body_html") or document.get("body_xhtml"))
    if document.get("body_text"):
        return _paragraphs(str(document["body_text"]))
    return ""


def _standfirst(document: dict) -> str:
    descriptions = _get(document, "descriptions")
    if isinstance(descriptions, list):
        usable = [d for d in descriptions if isinstance(d, dict) and d.get("role") not in ("caption", "creditline")]
        return _text(_main(usable, *STANDFIRST_ROLES))
    return _text(_get(document, "description_text", "description_html", "description"))


def _names(items) -> list[str]:
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        return []
    return [_text(item.get("name")) for item in items if isinstance(item, dict) and item.get("name")]


def _tags(document: dict) -> list[str]:
    names = []
    for key in ("subjects", "subject", "people", "person", "places", "place", "organisations", "organisation"):
        names += _names(document.get(key))
    names += [_text(keyword) for keyword in document.get("keywords", []) if isinstance(keyword, str)]
    unique = {}
    for name in names:
        name = name[:100].strip()
        # A keyword with no letter or digit ("***") would make a tag no page can link to: left out.
        if name and not tag_name_problem(name) and name.casefold() not in unique:
            unique[name.casefold()] = name
    return list(unique.values())


def _looks_like_organisation(name: str, known: set[str]) -> bool:
    folded = name.casefold()
    if folded in known or folded in KNOWN_AGENCIES:
        return True
    if Author.objects.organisations().annotate(folded=Lower("name")).filter(folded=folded).exists():
        return True
    words = set(re.findall(r"[\w-]+", folded))
    return name.startswith("The ") or bool(words & ORGANISATION_WORDS) or (name.isupper() and len(name) <= 6)


def parse_byline(by: str, *, known_organisations: set[str]) -> tuple[list[str], str]:
    """ "By A and B, dpa" → (["A", "B"], "dpa"). A byline naming only an organisation is its credit."""
    by = re.sub(r"^\s*(by|von|av|par|por)\s+", "", _text(by), flags=re.IGNORECASE)
    if not by:
        return [], ""
    if _looks_like_organisation(by, known_organisations) and " and " not in by and "," not in by:
        return [], by
    parts = [part.strip() for part in re.split(r"\s+(?:and|und|og|och|et|y)\s+|\s*&\s*|\s*;\s*", by) if part.strip()]
    people, credit = [], ""
    for index, part in enumerate(parts):
        pieces = [piece.strip() for piece in part.split(",") if piece.strip()]
        last = index == len(parts) - 1
        if last and len(pieces) > 1 and _looks_like_organisation(pieces[-1], known_organisations):
            credit = pieces.pop()
        people += pieces
    return [person for person in people if person], credit


def read(document: dict) -> Story:
    """Map a validated ninjs document (any version) to a Story."""
    headline = _text(
        _main(_get(document, "headlines"), "main") or _get(document, "headline") or _get(document, "title")
    )
    if not headline:
        raise Rejected("it has no headline")
    infosources = _names(_get(document, "infosources", "infoSources"))
    holder = _text(_get(document, "copyrightholder", "copyrightHolder"))
    known = {name.casefold() for name in [*infosources, holder] if name}
    people, credit = parse_byline(_get(document, "by", "byline") or "", known_organisations=known)
    uri = _text(document["uri"])
    if len(uri) > 500:
        raise Rejected("its uri is longer than 500 characters")
    body = _body(document)
    if len(body) > html_limits.MAX_LENGTH:
        raise Rejected(f"its body is longer than {html_limits.MAX_LENGTH:,} characters")
    return Story(
        uri=uri,
        headline=headline[:300],
        standfirst=_standfirst(document)[:1_000],
        body=clean(body),
        byline=people,
        credit=credit or (infosources[0] if infosources else "") or holder,
        dateline_place=_text(_get(document, "located"))[:100],
        language=_text(_get(document, "language"))[:35],
        tags=_tags(document),
        version=_text(_get(document, "version"))[:50],
        first_created=_time(_get(document, "firstcreated", "firstCreated")),
        version_created=_time(_get(document, "versioncreated", "versionCreated")),
    )


def _time(value) -> datetime | None:
    try:
        return parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        return None


# Writing drafts.


def _author(name: str, kind: str) -> Author:
    name = name[:200].strip()  # looked up as it is stored, so a long name is found next time
    existing = Author.objects.annotate(folded=Lower("name")).filter(folded=name.casefold()).first()
    if existing:
        return existing
    slug = base = slugify(name, allow_unicode=True)[:190] or "author"
    number = 2
    while Author.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return Author.objects.create(name=name, slug=slug, kind=kind)


def _unique_slug(headline: str, exclude: int | None = None) -> str:
    slug = base = slugify(headline, allow_unicode=True)[:190].strip("-") or "story"
    number = 2
    while Article.objects.filter(slug=slug).exclude(pk=exclude).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def save(story: Story, *, user=None) -> tuple[str, Article | None]:
    """Create the draft, or update it if it is still a draft. Call inside a transaction."""
    existing = Article.objects.select_for_update().filter(source_uri=story.uri).first()
    if existing is not None and existing.status != Article.Status.DRAFT:
        return "unchanged", existing
    article = existing or Article(created_by=user)
    article.headline = story.headline
    article.slug = article.slug or _unique_slug(story.headline)
    article.standfirst = story.standfirst
    article.body = story.body
    article.dateline_place = story.dateline_place
    article.language = story.language
    article.credit = _author(story.credit, Author.Kind.ORGANISATION) if story.credit else None
    article.source_uri = story.uri
    article.source_version = story.version
    article.source_first_created = story.first_created
    article.source_version_created = story.version_created
    article.edited_by = user
    article.save()
    article.set_byline(list(dict.fromkeys(_author(name, Author.Kind.PERSON) for name in story.byline)))
    article.tags.set(story.tags)
    reversion.set_user(user)
    reversion.set_comment(f"{'Updated' if existing else 'Imported'} from wire copy {story.uri}")
    reversion.add_to_revision(article)
    return ("updated" if existing else "imported"), article


def import_document(name: str, raw: bytes, *, user=None) -> Outcome:
    """Import one file's bytes; every failure is an Outcome, never an exception."""
    try:
        if len(raw) > MAX_FILE_BYTES:
            raise Rejected(f"it is larger than {MAX_FILE_BYTES // 1_000_000} MB")
        try:
            document = json.loads(raw)
        except (UnicodeDecodeError, ValueError) as error:  # ValueError: bad JSON, or a number too long
            raise Rejected(f"it is not valid JSON ({error})") from None
        except RecursionError:
            raise Rejected("it is not valid JSON (nested too deeply)") from None
        if not isinstance(document, dict):
            raise Rejected("it is not a ninjs object (the top level must be a JSON object)")
        major = schema.major_version(document)
        if problem := schema.first_error(document, major):
            raise Rejected(f"it is {problem}")
        kind = document.get("type", "text")
        if kind not in TEXT_TYPES:
            return Outcome(name, "skipped", f"type {kind} is not a text story")
        story = read(document)
        with transaction.atomic(), reversion.create_revision(manage_manually=True):
            status, article = save(story, user=user)
    except Rejected as error:
        return Outcome(name, "rejected", str(error))
    except Exception:
        # A batch goes on past one file we fail on; the file's transaction has been rolled back.
        logger.exception("Importing %s failed", name)
        return Outcome(
            name, "rejected", "it could not be imported because of an error on our side (logged); nothing was saved"
        )
    if status == "unchanged":
        return Outcome(
            name,
            status,
            f"already {article.get_status_display().lower()} as “{article.headline}”: nothing changed",
            article,
        )
    return Outcome(name, status, f"draft “{article.headline}”", article)
