"""Wire packages (#14): a ninjs `composite`, or any story with `associations`, read as one story
with its pictures, and what came with it listed on the draft.

- The story's text is the package's own (headline and body), or the first `text` association's,
  the package's own values winning where both have one (`split`).
- The lead image is the picture association marked main (name or rel in MAIN_NAMES), else the
  first picture; its alt text, caption and credit come from its ninjs fields. Further pictures
  are stored too and listed on the draft (`WireAttachment`, kind picture); video, audio, graphics
  and anything else are listed with a note saying why they are not on the story. A picture that
  cannot be had (no such file, a path leading out of the package, a refused host, not an image
  we accept) never stops the story: it is listed with the reason (`attach`, `describe`).
- A rendition's file comes from the package itself (a zip, or the folder of the JSON file), by a
  relative href confined to it (`package_path`: no `..`, absolute paths, drive letters,
  backslashes or symbolic links), or over HTTP(S) from the hosts the deployment lists
  (wire.fetch). Either way the bytes go through the same validation as an upload.
"""

import lzma
import os
import posixpath
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Protocol
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from articles.models import Article, WireAttachment
from newsroom.lib import images
from newsroom.lib.text import without_unusable_characters
from pictures.models import Picture
from wire.fetch import Unavailable, fetch

# Association names (or rels) agencies and systems give the main picture.
MAIN_NAMES = {"main", "mainpic", "mainpicture", "mainimage", "featureimage", "featuremedia", "leadimage", "lead"}
# Rendition names that mean the full picture, best first; otherwise the widest is taken.
FULL_RENDITIONS = ("original", "main", "highres", "hires", "baseimage", "full", "viewimage")
LISTED_KINDS = {"video": WireAttachment.Kind.VIDEO, "audio": WireAttachment.Kind.AUDIO}
LISTED_KINDS["graphic"] = WireAttachment.Kind.GRAPHIC
IMAGE_TYPES = ("image/jpeg", "image/jpg", "image/pjpeg", "image/png", "image/webp", "image/avif")
MAX_ASSOCIATIONS = 50  # listed on one draft
MAX_PICTURES = 10  # stored for one draft (each up to the upload limit)
MAX_RENDITIONS_TRIED = 3
MAX_LISTED_IN_LINE = 5
PACKAGE_ONLY = {"type", "associations", "renditions"}
BODY_KEYS = ("bodies", "body_html", "body_xhtml", "body_text")
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError, RuntimeError)


@dataclass(frozen=True)
class Item:
    """One association of a package, in our terms."""

    name: str
    kind: str  # the ninjs type: picture, video, audio, graphic, text, composite, …
    uri: str = ""
    alt_text: str = ""
    caption: str = ""
    credit: str = ""
    hrefs: tuple[str, ...] = ()  # the renditions' files, best first
    main: bool = False
    note: str = ""  # set when we know at reading time why it is not used


@dataclass(frozen=True)
class Package:
    items: tuple[Item, ...] = ()
    left_out: int = 0  # associations beyond MAX_ASSOCIATIONS

    @property
    def lead(self) -> Item | None:
        pictures = [item for item in self.items if item.kind == "picture"]
        return next((item for item in pictures if item.main), pictures[0] if pictures else None)


# Reading.


def _text(value) -> str:
    return " ".join(without_unusable_characters(str(value)).split()) if isinstance(value, str | int | float) else ""


def _first(document: dict, *names: str):
    return next((document[name] for name in names if document.get(name) not in (None, "", [], {})), None)


def _role_value(items, *roles: str, skip: tuple[str, ...] = ()) -> str:
    """The value of the first item with one of the roles; with no roles, of the first not skipped."""
    if not isinstance(items, list):
        return ""
    items = [item for item in items if isinstance(item, dict) and isinstance(item.get("value"), str)]
    for role in roles:
        for item in items:
            if str(item.get("role", "")).lower() == role:
                return item["value"]
    return "" if roles else next((item["value"] for item in items if item.get("role") not in skip), "")


def _associations(document: dict) -> list[tuple[str, dict]]:
    """(name, object) of each association: an array in ninjs 2.x and 3.x, keyed by name in 1.x."""
    value = document.get("associations")
    if isinstance(value, dict):
        return [(str(name), item) for name, item in value.items() if isinstance(item, dict)]
    if isinstance(value, list):
        return [(str(item.get("name") or ""), item) for item in value if isinstance(item, dict)]
    return []


def _renditions(item: dict) -> list[dict]:
    value = item.get("renditions")
    if isinstance(value, dict):  # ninjs 1.x: keyed by name
        return [{"name": name, **rendition} for name, rendition in value.items() if isinstance(rendition, dict)]
    return [rendition for rendition in value if isinstance(rendition, dict)] if isinstance(value, list) else []


def _content_type(rendition: dict) -> str:
    return str(_first(rendition, "contenttype", "contentType", "mimetype") or "").lower()


def _kind(item: dict) -> str:
    kind = item.get("type")
    if isinstance(kind, str) and kind:
        return kind
    types = {_content_type(rendition).split("/")[0] for rendition in _renditions(item)}
    return {"image": "picture", "video": "video", "audio": "audio"}.get(next(iter(types - {""}), ""), "text")


def _hrefs(item: dict) -> tuple[str, ...]:
    """The hrefs of a picture's image renditions: the full picture first, then the widest."""
    usable = [
        r
        for r in _renditions(item)
        if isinstance(r.get("href"), str) and r["href"].strip() and _content_type(r) in ("", *IMAGE_TYPES)
    ]

    def rank(rendition: dict) -> tuple[int, float]:
        name = str(rendition.get("name", "")).lower()
        width = rendition.get("width")
        order = FULL_RENDITIONS.index(name) if name in FULL_RENDITIONS else len(FULL_RENDITIONS)
        return order, -(width if isinstance(width, int | float) else 0)

    return tuple(dict.fromkeys(r["href"].strip() for r in sorted(usable, key=rank)))


def _is_main(name: str, item: dict) -> bool:
    rel = str(item.get("rel") or "").rstrip("/").rsplit("/", 1)[-1]
    return name.lower() in MAIN_NAMES or rel.lower() in MAIN_NAMES


def _item(name: str, entry: dict) -> Item:
    kind = _kind(entry)
    descriptions = _first(entry, "descriptions")
    headline = _role_value(_first(entry, "headlines"), "main") or _role_value(_first(entry, "headlines"))
    caption = _role_value(descriptions, "caption") or _role_value(descriptions, skip=("creditline", "alt"))
    credit = _first(entry, "by", "byline") or _role_value(descriptions, "creditline")
    return Item(
        name=_text(name)[:100],
        kind=kind,
        uri=_text(entry.get("uri"))[:500],
        alt_text=_text(
            _role_value(descriptions, "alt", "alttext")
            or headline
            or _first(entry, "headline", "title")
            or caption
            or _first(entry, "description_text")
        )[:300],
        caption=_text(caption or _first(entry, "description_text", "description"))[:500],
        credit=_text(credit or _first(entry, "copyrightholder", "copyrightHolder"))[:200],
        hrefs=_hrefs(entry) if kind == "picture" else (),
        main=_is_main(name, entry),
    )


def _has_body(document: dict) -> bool:
    return any(document.get(key) not in (None, "", []) for key in BODY_KEYS)


def carries_text(document: dict) -> bool:
    """Whether a composite is a story: a body of its own, or a text item among its associations."""
    return _has_body(document) or any(_kind(item) == "text" for _, item in _associations(document))


def why_skipped(document: dict) -> str:
    kind = document.get("type")
    if kind == "composite":
        return "type composite (a package) carries no text story: no body of its own and no text association"
    return f"type {kind} is not a text story"


def split(document: dict) -> tuple[dict, Package | None]:
    """The document to read the story from, and the package's other items (None: no associations)."""
    entries = _associations(document)
    if not entries:
        return document, None
    story = document
    text_entry = None
    if document.get("type") == "composite" and not _has_body(document):
        text_entry = next((item for _, item in entries if _kind(item) == "text"), None)
        if text_entry is not None:
            # The package's own values win: agencies put the story's headline and byline on it.
            story = {**text_entry, **{key: value for key, value in document.items() if key not in PACKAGE_ONLY}}
    items = []
    for name, entry in entries:
        if entry is text_entry:
            continue
        item = _item(name, entry)
        if item.kind == "text":
            item = Item(**{**item.__dict__, "note": "a further text item of the package: only one text is imported"})
        items.append(item)
    return story, Package(tuple(items[:MAX_ASSOCIATIONS]), max(0, len(items) - MAX_ASSOCIATIONS))


# Where the files are.


def package_path(href: str) -> PurePosixPath:
    """A relative href as a path inside the package; Unavailable if it could lead anywhere else."""
    shown = _text(href)[:100]
    if "\\" in href:
        raise Unavailable(f"{shown} is refused: backslashes are not allowed in a package's paths")
    if re.match(r"^[A-Za-z]:", href):
        raise Unavailable(f"{shown} is refused: a drive letter leads out of the package")
    path = unquote(urlsplit(href).path)
    if "\\" in path or "\x00" in path:
        raise Unavailable(f"{shown} is refused: it is not a plain path inside the package")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        raise Unavailable(f"{shown} is refused: an absolute path leads out of the package")
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise Unavailable(f"{shown} is refused: '..' leads out of the package")
    if not parts:
        raise Unavailable(f"{shown} names no file")
    return PurePosixPath(*parts)


class PackageFiles(Protocol):
    """The files beside a package's JSON (a folder, or the zip it came in)."""

    def read(self, href: str) -> bytes: ...


def _too_large(href: str) -> Unavailable:
    return Unavailable(f"{_text(href)[:100]} is larger than {images.max_bytes() // 1_000_000} MB")


@dataclass
class FolderFiles:
    """Files in the folder of a JSON file (the command's), never outside it or through a link."""

    root: Path

    def read(self, href: str) -> bytes:
        relative = package_path(href)
        path = self.root
        for part in relative.parts:
            path = path / part
            if path.is_symlink():
                raise Unavailable(f"{_text(href)[:100]} is refused: it goes through a symbolic link")
        if not path.resolve().is_relative_to(self.root.resolve()) or not path.is_file():
            raise Unavailable(f"{_text(href)[:100]} is not in the package's folder")
        try:
            # O_NOFOLLOW: a link put there after the check above is not followed either.
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(descriptor, "rb") as stream:
                raw = stream.read(images.max_bytes() + 1)
        except OSError as error:
            raise Unavailable(f"{_text(href)[:100]} could not be read ({error.strerror or error})") from None
        if len(raw) > images.max_bytes():
            raise _too_large(href)
        return raw


@dataclass
class Budget:
    """What the pictures of one upload may unzip to, together."""

    bytes_left: int

    def take(self, size: int) -> None:
        if size > self.bytes_left:
            raise Unavailable("the pictures of this upload would unzip to more than its limit; send it on its own")
        self.bytes_left -= size


@dataclass
class ZipFiles:
    """Members of the zip a package came in, looked up beside its JSON member."""

    archive: zipfile.ZipFile
    base: str  # the folder of the JSON member inside the archive ("" at the top)
    budget: Budget = field(default_factory=lambda: Budget(100 * 1000 * 1000))

    def read(self, href: str) -> bytes:
        name = posixpath.join(self.base, str(package_path(href)))
        shown = _text(href)[:100]
        try:
            member = self.archive.getinfo(name)
        except KeyError:
            raise Unavailable(f"{shown} is not in the zip archive") from None
        if stat.S_ISLNK(member.external_attr >> 16):
            raise Unavailable(f"{shown} is refused: it is a symbolic link")
        if member.is_dir():
            raise Unavailable(f"{shown} is a folder, not a picture")
        if member.file_size > images.max_bytes():
            raise _too_large(href)
        self.budget.take(member.file_size)
        try:
            with self.archive.open(member) as stream:
                raw = stream.read(images.max_bytes() + 1)
        except (*ZIP_ERRORS, NotImplementedError) as error:
            raise Unavailable(f"{shown} could not be unzipped ({error})") from None
        if len(raw) > images.max_bytes():
            raise _too_large(href)
        return raw


def _is_remote(href: str) -> bool:
    """Has a scheme (http:, https:, or one we refuse); a one-letter one is a drive letter."""
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:", href))


# Writing.


def _picture(item: Item, files: PackageFiles | None, user) -> Picture:
    if not item.hrefs:
        raise Unavailable("it has no image rendition to take the picture from")
    reasons, fetched = [], False
    for href in item.hrefs[:MAX_RENDITIONS_TRIED]:
        try:
            if _is_remote(href):
                if fetched:  # one request per picture: each may take FETCH_SECONDS
                    continue
                fetched = True
                raw = fetch(href, max_bytes=images.max_bytes())
            elif files is None:
                raise Unavailable(f"{_text(href)[:100]} was not sent with the package (it came without its files)")
            else:
                raw = files.read(href)
            clean = images.clean_upload(ContentFile(raw, name="wire-picture"))
        except Unavailable as error:
            reasons.append(str(error))
            continue
        except ValidationError as error:
            reasons.append(f"{_text(href)[:100]}: {' '.join(error.messages)}")
            continue
        try:
            return Picture.create(clean, user=user, alt_text=item.alt_text, caption=item.caption, credit=item.credit)
        except OSError as error:
            raise Unavailable(f"it could not be stored ({error.strerror or error})") from None
    raise Unavailable(reasons[0] if reasons else "none of its renditions could be used")


def _listed_note(item: Item) -> tuple[str, str]:
    if item.kind in LISTED_KINDS:
        return LISTED_KINDS[item.kind], f"a {item.kind} is not shown on our story pages: listed for the editor"
    if item.note:
        return WireAttachment.Kind.OTHER, item.note
    if item.kind == "composite":
        return WireAttachment.Kind.OTHER, "a package inside the package: not read"
    return WireAttachment.Kind.OTHER, f"type {item.kind or 'unknown'}: not something a story can carry"


def attach(article: Article, package: Package, *, files: PackageFiles | None = None, user=None) -> None:
    """Give a saved draft its package: the lead image, and a row for everything else (replacing
    the rows of an earlier import of the same story). Call inside the import's transaction."""
    article.wire_attachments.all().delete()
    lead, stored, rows = package.lead, 0, []
    for position, item in enumerate(package.items):
        picture, note, kind = None, "", WireAttachment.Kind.PICTURE
        if item.kind != "picture":
            kind, note = _listed_note(item)
        elif stored >= MAX_PICTURES:
            note = f"not fetched: one package brings at most {MAX_PICTURES} pictures"
        else:
            try:
                picture = _picture(item, files, user)
                stored += 1
            except Unavailable as error:
                note = f"{'the lead picture ' if item is lead else ''}not used: {error}"[:300]
        if picture is not None and item is lead:
            article.lead_image = picture
            # Not article.save(): that would count the import as a second edit of the story.
            Article.objects.filter(pk=article.pk).touch(lead_image=picture)
            continue
        rows.append(
            WireAttachment(
                article=article,
                position=position,
                kind=kind,
                picture=picture,
                uri=item.uri,
                title=(item.alt_text or item.name)[:300],
                note=note[:300],
            )
        )
    WireAttachment.objects.bulk_create(rows)


def describe(article: Article, package: Package) -> list[str]:
    """What the import line says about the package, from what was saved."""
    lines = []
    if article.lead_image is not None and package.lead is not None:
        lines.append(f"lead image “{article.lead_image.alt_text or 'without alt text'}”")
    rows = list(article.wire_attachments.all())
    if kept := sum(row.picture_id is not None for row in rows):
        lines.append(f"{kept} more picture{'' if kept == 1 else 's'} for the editor")
    problems = [row for row in rows if row.note]
    for row in problems[:MAX_LISTED_IN_LINE]:
        lines.append(f"{row.get_kind_display().lower()} {row.title or row.uri or '(untitled)'}: {row.note}")
    if len(problems) > MAX_LISTED_IN_LINE:
        lines.append(f"and {len(problems) - MAX_LISTED_IN_LINE} more items listed on the draft")
    if package.left_out:
        lines.append(f"listed the first {MAX_ASSOCIATIONS} associations; {package.left_out} more were left out")
    return lines
