"""Wire copy in: IPTC ninjs 1.x, 2.x and 3.x documents become draft articles for editors.

Each file is validated against the official schema of its version, mapped, cleaned and saved in
its own transaction: a bad file leaves nothing behind and does not stop the others. Nothing is
published by an import; importing the same `uri` again updates the draft while it is still a
draft (keeping a revision) and otherwise creates nothing.

Wire copy is text from outside, so (#13):
- A file is rejected, with one line saying why, when it cannot be read at all: larger than
  MAX_FILE_BYTES, not UTF-8 JSON, nested deeper than MAX_DEPTH, not valid ninjs, or without a
  `uri`. A document without a uri is never matched to a story: stories written at the desk
  have none, and a blank one would match them all.
- Every string of the document loses the characters no page, feed or database can carry
  (newsroom.lib.text), and its line endings become "\n", before anything else reads it.
- What one story may create is limited: MAX_TAGS tags, MAX_AUTHORS names from its byline, names
  no longer than their columns. Beyond a limit the extra items are dropped (or the name
  shortened) and the story is imported; its line says what was dropped, cut or cleaned.
"""

import html
import json
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

import reversion
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.db import DatabaseError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify
from reversion.models import Version

from articles import workflow
from articles.models import TAG_SLUG_LENGTH, AgencyUpdate, Article, Section, WireHold, tag_name_problem
from authors.models import Author
from newsroom.lib import html as html_limits
from newsroom.lib.html import clean
from newsroom.lib.text import UNUSABLE, without_unusable_characters
from wire import packages, schema

logger = logging.getLogger(__name__)
MAX_FILE_BYTES = 10 * 1000 * 1000
TOO_LARGE = f"it is larger than {MAX_FILE_BYTES // 1_000_000} MB"
# Levels of objects and arrays, and values in all: real ninjs has fewer than ten levels and a few
# hundred values. The schema validator recurses, and takes about 6 µs a value.
MAX_DEPTH = 32
MAX_VALUES = 100_000
MAX_TAGS = 50
MAX_AUTHORS = 20
MAX_NAME_LENGTH = 200  # Author.name
MAX_TAG_LENGTH = 100  # taggit's Tag.name; its slug is capped by articles.models.TAG_SLUG_LENGTH
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


class Skipped(Exception):
    """A file with nothing for us (a kill notice for a story we never had); the message says why."""


@dataclass
class Outcome:
    name: str
    # imported, updated (in place: nobody at the desk had touched it), pending (kept as an
    # AgencyUpdate for an editor), held (a kill or withhold), unchanged, trashed (the story we
    # hold is in the desk's trash: nothing imported), skipped, rejected
    status: str
    message: str
    article: Article | None = None

    def __post_init__(self) -> None:
        # File and zip member names come from outside too, and end up on a terminal.
        self.name = without_unusable_characters(self.name)

    def __str__(self) -> str:
        return f"{self.status}: {self.name}: {self.message}"


@dataclass(frozen=True)
class Story:
    """What a ninjs document says, in our terms. It always has a uri: that is how save() finds
    the draft of an earlier import, and a blank one would find the stories written at the desk."""

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
    embargoed: datetime | None = None  # not to be published before
    pubstatus: str = "usable"  # usable, withheld or canceled (a kill)
    ednote: str = ""  # the agency's note to editors: a kill's reason
    package: packages.Package | None = None  # its pictures and other associations (wire.packages)
    notes: tuple[str, ...] = ()  # what was dropped or shortened, for the import line

    def __post_init__(self) -> None:
        if not self.uri.strip():
            raise ValueError("a story from the wire needs its uri; a blank one would match the desk's own stories")


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _fit(value: str, limit: int, what: str, notes: list[str]) -> str:
    if len(value) <= limit:
        return value
    notes.append(f"shortened {what} to {limit:,} characters")
    return value[:limit].strip()


# Before anything reads a document: every string made usable, the depth bounded.


def _usable_text(value: str, removed: Counter) -> str:
    if UNUSABLE.search(value):
        for character in UNUSABLE.findall(value):
            if "\ud800" <= character <= "\udfff":
                removed["unpaired surrogate"] += 1
            elif character in "\ufffe\uffff":
                removed["non-character"] += 1
            else:
                removed["control character"] += 1
        value = without_unusable_characters(value)
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value


def _usable(document: dict) -> tuple[dict, str]:
    """A copy of the document with every string (keys too) cleaned, and a note saying what was
    removed ("" if nothing). Walks without recursion: a document nested too deeply, or with more
    values than any story has, is rejected."""
    removed: Counter = Counter()
    copy: dict = {}
    pending = [(document, copy, 1)]
    values = 0
    while pending:
        source, target, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise Rejected(f"it is nested too deeply (more than {MAX_DEPTH} levels of objects and arrays)")
        values += len(source)
        if values > MAX_VALUES:
            raise Rejected(f"it holds more than {MAX_VALUES:,} values (a story has a few hundred)")
        for key, value in source.items() if isinstance(source, dict) else enumerate(source):
            if isinstance(value, str):
                value = _usable_text(value, removed)
            elif isinstance(value, dict | list):
                child = {} if isinstance(value, dict) else [None] * len(value)
                pending.append((value, child, depth + 1))
                value = child
            target[_usable_text(key, removed) if isinstance(key, str) else key] = value
    if not removed:
        return copy, ""
    return copy, "cleaned: removed " + " and ".join(_plural(count, what) for what, count in removed.items())


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
        root = ElementTree.fromstring(without_unusable_characters(xml).encode())
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


def _tag_name(name: str) -> str:
    """The name cut to what a tag and its address can hold."""
    name = name[:MAX_TAG_LENGTH].strip()
    while len(slugify(name, allow_unicode=True)) > TAG_SLUG_LENGTH:
        name = name[: len(name) * 9 // 10].strip()
    return name


def _tags(document: dict, notes: list[str]) -> list[str]:
    names = []
    for key in ("subjects", "subject", "people", "person", "places", "place", "organisations", "organisation"):
        names += _names(document.get(key))
    keywords = document.get("keywords")
    names += [_text(keyword) for keyword in keywords if isinstance(keyword, str)] if isinstance(keywords, list) else []
    names = [name for name in names if name]
    unique: dict[str, str] = {}
    seen: set[str] = set()
    shortened = left_out = 0
    for name in names:
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        if len(unique) == MAX_TAGS:
            notes.append(
                f"kept the first {MAX_TAGS} tags of {len(names):,} subjects and keywords (the limit for one story)"
            )
            break
        tag = _tag_name(name)
        # A keyword with no letter or digit ("***") would make a tag no page can link to: left out.
        if not tag or tag_name_problem(tag):
            left_out += 1
            continue
        shortened += tag != name
        unique.setdefault(tag.casefold(), tag)
    if shortened:
        notes.append(f"shortened {_plural(shortened, 'tag')} to fit ({MAX_TAG_LENGTH} characters at most)")
    if left_out:
        notes.append(f"left out {_plural(left_out, 'subject or keyword')} without a letter or digit")
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


def _uri(document: dict) -> str:
    """The document's uri on one line; Rejected if it has none (missing, empty or only spaces).
    One that is not a string is left to the schema to name."""
    value = document.get("uri")
    uri = _text(value) if isinstance(value, str) else ""
    if not uri and (value is None or isinstance(value, str)):
        raise Rejected(
            f"it has no uri (not valid ninjs {schema.major_version(document)}.x): without the agency's "
            "identifier the story cannot be told apart from others"
        )
    if len(uri) > 500:
        raise Rejected("its uri is longer than 500 characters")
    return uri


def _byline(document: dict, known: set[str], notes: list[str]) -> tuple[list[str], str]:
    people, credit = parse_byline(_get(document, "by", "byline") or "", known_organisations=known)
    if len(people) > MAX_AUTHORS:
        notes.append(f"kept the first {MAX_AUTHORS} of {len(people):,} names in the byline (the limit for one story)")
        people = people[:MAX_AUTHORS]
    if long := sum(len(person) > MAX_NAME_LENGTH for person in people):
        notes.append(f"shortened {_plural(long, 'name')} in the byline to {MAX_NAME_LENGTH} characters")
    return [person[:MAX_NAME_LENGTH].strip() for person in people], credit


def read(document: dict) -> Story:
    """Map a validated ninjs document (any version) to a Story; a package's text may be an association."""
    document, package = packages.split(document)
    uri = _uri(document)
    notes: list[str] = []
    headline = _text(
        _main(_get(document, "headlines"), "main") or _get(document, "headline") or _get(document, "title")
    )
    if not headline:
        raise Rejected("it has no headline")
    infosources = _names(_get(document, "infosources", "infoSources"))
    holder = _text(_get(document, "copyrightholder", "copyrightHolder"))
    known = {name.casefold() for name in [*infosources, holder] if name}
    people, credit = _byline(document, known, notes)
    body = _body(document)
    if len(body) > html_limits.MAX_LENGTH:
        raise Rejected(f"its body is longer than {html_limits.MAX_LENGTH:,} characters")
    # An agency's body names no picture of ours: a data-picture id in it would show one of our
    # pictures (perhaps unpublished) that the sender never saw. Its pictures come as associations.
    cleaned = clean(body)
    if (body := html_limits.without_pictures(cleaned)) != cleaned:
        notes.append("left out pictures named by our ids in the body (an agency's pictures come as associations)")
    return Story(
        uri=uri,
        headline=_fit(headline, 300, "the headline", notes),
        standfirst=_fit(_standfirst(document), 1_000, "the standfirst", notes),
        body=body,
        byline=people,
        credit=_fit(credit or (infosources[0] if infosources else "") or holder, MAX_NAME_LENGTH, "the credit", notes),
        dateline_place=_fit(_text(_get(document, "located")), 100, "the dateline", notes),
        language=_fit(_text(_get(document, "language")), 35, "the language", notes),
        tags=_tags(document, notes),
        version=_fit(_text(_get(document, "version")), 50, "the version", notes),
        first_created=_time(_get(document, "firstcreated", "firstCreated"), "firstcreated", notes),
        version_created=_time(_get(document, "versioncreated", "versionCreated"), "versioncreated", notes),
        embargoed=_time(_get(document, "embargoed"), "embargoed", notes),
        pubstatus=_text(_get(document, "pubstatus", "pubStatus")) or "usable",
        ednote=_fit(_text(_get(document, "ednote", "edNote")), 1_000, "the editors' note", notes),
        package=package,
        notes=tuple(notes),
    )


def _time(value, what: str, notes: list[str]) -> datetime | None:
    """The time in UTC (one without a time zone taken as ours), or None if it is no possible time:
    one beyond year 1 or 9999 in UTC cannot be stored (SQLite) or read back (PostgreSQL)."""
    if not isinstance(value, str):
        return None
    try:
        moment = parse_datetime(value)
        if moment is None:
            return None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, timezone.get_default_timezone())
        moment = moment.astimezone(UTC)
        if 1 < moment.year < 9999:
            return moment
    except (ValueError, OverflowError):
        pass
    notes.append(f"left out its {what} time, which is not a possible time")
    return None


# Writing drafts.


def author_named(name: str, kind: str) -> Author:
    """The author of this name (case-insensitively), or a new one of this kind."""
    name = name[:200].strip()  # looked up as it is stored, so a long name is found next time
    existing = Author.objects.annotate(folded=Lower("name")).filter(folded=name.casefold()).first()
    if existing:
        return existing
    slug = base = slugify(name, allow_unicode=True)[:190] or "author"
    number = 2
    while Author.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return Author.objects.create(name=name, slug=slug, kind=kind)


HOLDS = {"withheld": WireHold.WITHHELD, "canceled": WireHold.KILLED}
WIRE_COMMENTS = ("Imported from wire copy", "Updated from wire copy")


def _older(version: str, held: str) -> bool:
    """Whether an agency version is older than the one we hold (versions are numbers in ninjs)."""
    return version.isascii() and version.isdigit() and held.isascii() and held.isdigit() and int(version) < int(held)


def desk_has_worked_on(article: Article) -> bool:
    """Whether anyone at the desk has touched the story since it came in: it has moved on from
    draft, or a revision other than the importer's exists. The agency's word then never
    overwrites the desk's text (it waits as an AgencyUpdate)."""
    if article.status != Article.Status.DRAFT:
        return True
    versions = Version.objects.get_for_object(article)
    for comment in WIRE_COMMENTS:
        versions = versions.exclude(revision__comment__startswith=comment)
    return versions.exists()


def _same_as_last_received(article: Article, story: Story) -> bool:
    """Whether the agency sent this version already: the same version number, or (without one)
    the same text as the last agency update or, before any, as the import."""
    if story.version:
        return story.version == article.source_version
    last = article.agency_updates.first()
    if last is not None:
        return last.values == agency_values(story)
    versions = Version.objects.get_for_object(article).filter(revision__comment__startswith=WIRE_COMMENTS[0])
    imported = versions.first()
    fields = imported.field_dict if imported else {}
    return all(fields.get(name) == getattr(story, name) for name in ("headline", "standfirst", "body"))


def agency_values(story: Story) -> dict:
    """The story's fields as an AgencyUpdate keeps them (see its docstring)."""
    return {
        "headline": story.headline,
        "standfirst": story.standfirst,
        "body": story.body,
        "dateline_place": story.dateline_place,
        "language": story.language,
        "credit": story.credit,
        "byline": list(story.byline),
        "tags": list(story.tags),
    }


def _agency_facts(article: Article, story: Story, *, user, notes: list[str]) -> Article:
    """What holds whatever the desk did: the embargo (a later one hides the story again) and a
    kill or withhold (logged, never a silent change)."""
    if story.embargoed != article.embargoed_until:
        article.embargoed_until = story.embargoed
        article.save(update_fields=["embargoed_until"])
        notes.append(article.embargo_label or "the embargo was lifted")
    if hold := HOLDS.get(story.pubstatus):
        reason = story.ednote or f"the agency marked version {story.version or '?'} {story.pubstatus}"
        article = workflow.record_wire_hold(article, hold=hold, reason=reason, user=user)
    elif article.wire_hold:
        notes.append(f"the agency sends it as {story.pubstatus} again: an editor can clear the hold")
    return article


def save(
    story: Story,
    *,
    user=None,
    notes: list[str] | None = None,
    default_credit: Author | None = None,
    default_section: Section | None = None,
    files: packages.PackageFiles | None = None,
) -> tuple[str, Article | None]:
    """Create the draft, or bring the agency's new version to the one we hold. Call inside a
    transaction. A story the desk has worked on is never overwritten: the new version waits as
    an AgencyUpdate for an editor. Returns the outcome's status and the article."""
    if not story.uri.strip():  # Story refuses one; this lookup must never run with a blank uri
        raise ValueError("a story without a uri would match the desk's own stories")
    existing = Article.objects.select_for_update().filter(source_uri=story.uri).first()
    hold = HOLDS.get(story.pubstatus)
    if existing is None and hold:
        raise Skipped(f"a {story.pubstatus} notice for a story we do not hold")
    if existing is not None:
        if _older(story.version, existing.source_version):
            raise Rejected(
                f"it is version {story.version}, older than version {existing.source_version} we hold: refused as stale"
            )
        if hold and existing.wire_hold == hold and _same_as_last_received(existing, story):
            return "unchanged", existing  # the same notice again
        existing = _agency_facts(existing, story, user=user, notes=notes if notes is not None else [])
        if existing.is_trashed:
            # Deleted at the desk: the agency's facts are kept (a restored story must not lose a
            # kill), nothing else, and no second story is made.
            return "trashed", existing
        if hold:
            existing.source_version = story.version or existing.source_version
            existing.save(update_fields=["source_version"])
            return "held", existing
        if _same_as_last_received(existing, story):
            return "unchanged", existing  # the agency sent this version before
        if desk_has_worked_on(existing):
            pending = existing.agency_updates.filter(status=AgencyUpdate.Status.PENDING)
            pending.update(status=AgencyUpdate.Status.DISMISSED, decided_at=timezone.now())  # superseded
            AgencyUpdate.objects.create(article=existing, version=story.version, values=agency_values(story))
            existing.source_version = story.version or existing.source_version
            existing.save(update_fields=["source_version"])
            return "pending", existing
    article = existing or Article(created_by=user)
    article.headline = story.headline
    article.slug = article.slug or Article.free_slug(story.headline)
    article.standfirst = story.standfirst
    article.body = story.body
    article.dateline_place = story.dateline_place
    article.language = story.language
    # A pushing source may name the credit of stories that carry none (wire.models.Source).
    article.credit = author_named(story.credit, Author.Kind.ORGANISATION) if story.credit else default_credit
    article.source_uri = story.uri
    article.source_version = story.version
    article.source_first_created = story.first_created
    article.source_version_created = story.version_created
    article.embargoed_until = story.embargoed
    article.edited_by = user
    # The section the desk chose stays; else the one the agency's subjects name; else the source's.
    article.section = article.section or section_named_in(story.tags) or default_section
    article.save()
    article.set_byline(list(dict.fromkeys(author_named(name, Author.Kind.PERSON) for name in story.byline)))
    article.tags.set(story.tags)
    if story.package is not None:  # files: where the package's pictures are (its zip or folder)
        packages.attach(article, story.package, files=files, user=user)
    reversion.set_user(user)
    reversion.set_comment(f"{WIRE_COMMENTS[1] if existing else WIRE_COMMENTS[0]} {story.uri}")
    reversion.add_to_revision(article)
    return ("updated" if existing else "imported"), article


def section_named_in(names: list[str]) -> Section | None:
    """The section an agency's subjects name (the first, by the agency's order), or None: the
    editor then chooses one before publishing (the publish checklist asks)."""
    wanted = {name.casefold(): position for position, name in enumerate(names)}
    if not wanted:
        return None
    sections = Section.objects.filter(is_active=True).select_related("parent")
    named = [section for section in sections if section.name.casefold() in wanted]
    return min(named, key=lambda section: wanted[section.name.casefold()], default=None)


def read_within_limit(stream) -> bytes:
    """A file's bytes, reading no more than MAX_FILE_BYTES however large it says it is."""
    raw = stream.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise Rejected(TOO_LARGE)
    return raw


def _document(raw: bytes) -> tuple[dict, str]:
    """The usable document in a file's bytes and what cleaning it removed; Rejected if there is none."""
    if len(raw) > MAX_FILE_BYTES:
        raise Rejected(TOO_LARGE)
    if not raw.strip():
        raise Rejected("it is empty")
    try:
        document = json.loads(raw)
    except UnicodeDecodeError as error:
        raise Rejected(f"it is not valid JSON (not UTF-8 text: {error.reason} at byte {error.start:,})") from None
    except ValueError as error:  # bad JSON, or a number too long to read
        raise Rejected(f"it is not valid JSON ({error})") from None
    except RecursionError:
        raise Rejected("it is not valid JSON (nested too deeply)") from None
    if not isinstance(document, dict):
        raise Rejected("it is not a ninjs object (the top level must be a JSON object)")
    return _usable(document)


def import_document(
    name: str,
    raw: bytes,
    *,
    user=None,
    default_credit: Author | None = None,
    default_section: Section | None = None,
    files: packages.PackageFiles | None = None,
) -> Outcome:
    """Import one file's bytes; every failure is an Outcome, never an exception. `files` finds
    the files a package names beside it (wire.packages.FolderFiles or ZipFiles)."""
    try:
        document, cleaned = _document(raw)
        _uri(document)  # before the schema, whose complaint about a missing one is less clear
        major = schema.major_version(document)
        if problem := schema.first_error(document, major):
            raise Rejected(f"it is {problem}")
        kind = document.get("type", "text")
        if kind not in TEXT_TYPES and not (kind == "composite" and packages.carries_text(document)):
            return Outcome(name, "skipped", packages.why_skipped(document))
        # One transaction (a savepoint inside another) per file: a database error undoes this file only.
        with transaction.atomic(), reversion.create_revision(manage_manually=True):
            story = read(document)
            facts: list[str] = []
            status, article = save(
                story,
                user=user,
                notes=facts,
                default_credit=default_credit,
                default_section=default_section,
                files=files,
            )
            package_lines = packages.describe(article, story.package) if story.package is not None else []
    except Rejected as error:
        return Outcome(name, "rejected", str(error))
    except Skipped as error:
        return Outcome(name, "skipped", str(error))
    except DatabaseError:
        logger.exception("The database refused %s", name)
        return Outcome(name, "rejected", "the database refused it (the error is logged); nothing of it was saved")
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
            "; ".join([f"already {article.state_label.lower()} as “{article.headline}”: nothing changed", *facts]),
            article,
        )
    if status == "trashed":
        message = (
            f"“{article.headline}” is in the trash: nothing was imported (an editor can restore it "
            f"until {timezone.localtime(article.purged_at):%d %b %Y})"
        )
        return Outcome(name, status, "; ".join([message, *facts]), article)
    if status == "held":
        urgent = " It is live: take it down at the desk." if article.is_live else ""
        message = f"{article.get_wire_hold_display()}: “{article.headline}” ({article.wire_hold_reason}).{urgent}"
        return Outcome(name, status, message, article)
    if status == "pending":
        message = f"kept for the desk as an agency update of “{article.headline}”, which the desk has worked on"
        return Outcome(name, status, "; ".join([message, *facts, *story.notes]), article)
    return Outcome(
        name,
        status,
        "; ".join([f"draft “{article.headline}”", *filter(None, [cleaned]), *package_lines, *story.notes]),
        article,
    )
