"""A story body as blocks, in order: the contract of issue 19 (newsroom/lib/html.py's docstring).

The stored body is cleaned again on the way out (newsroom.lib.html.clean), then read in one pass
over its top level: a picture, a gallery or an embed is a block of its own; everything else
(text, pull quotes, fact boxes) is markup, and each table and fact box a piece of markup of its
own (a table is wrapped in a scroll region on the page, a fact box's title shown as an h2). Pictures are read afterwards, for all the blocks of one story, or of
many (a feed), in one query (with_pictures).
"""

import html
from dataclasses import dataclass, field

from markupsafe import Markup

from newsroom.lib.html import ANY_TAG, PICTURE_SIZES, TAG_ATTRIBUTE, TOKEN, VOID, clean, gallery_ids, picture_id
from pictures.models import Picture

# The fields the blocks show of a picture (includes/body.html).
PICTURE_FIELDS = ("pk", "width", "height", "alt_text", "caption", "credit", "renditions")
# The crops renditions are made in (newsroom.lib.images.CROPS), by aspect ratio: a picture is shown
# in the one nearest its own shape; a gallery's pictures all in one, so that they line up.
CROP_RATIOS = {"16x9": 16 / 9, "4x3": 4 / 3, "1x1": 1.0}
GALLERY_CROP = "4x3"


@dataclass
class Html:
    markup: Markup

    kind = "html"

    @property
    def is_table(self) -> bool:
        return self.markup.startswith("<table>")


@dataclass
class PictureBlock:
    picture_id: int
    size: str = PICTURE_SIZES[0]
    picture: Picture | None = None  # set by with_pictures() when the picture exists

    kind = "picture"

    @property
    def crop(self) -> str:
        ratio = self.picture.width / self.picture.height if self.picture and self.picture.height else 1.5
        return min(CROP_RATIOS, key=lambda crop: abs(CROP_RATIOS[crop] - ratio))


@dataclass
class GalleryBlock:
    picture_ids: list[int]
    pictures: list[Picture] = field(default_factory=list)  # those that exist, in order (with_pictures)

    kind = "gallery"
    crop = GALLERY_CROP


@dataclass
class EmbedBlock:
    provider_key: str
    url: str
    text: str

    kind = "embed"


Block = Html | PictureBlock | GalleryBlock | EmbedBlock


def _attributes(token) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in TAG_ATTRIBUTE.findall(token.group(3))}


def _table(markup: str) -> str:
    """A table as readers get it: a first row of header cells only (the editor writes its header
    row in the body of the table) becomes its head; header cells name columns in the head and
    rows in the body. The markup is clean()'s, so "<th>" and "</tr>" are tags, never text."""
    if markup.startswith("<table><tbody><tr><th>"):
        end = markup.index("</tr>") + len("</tr>")
        row = markup[len("<table><tbody>") : end]
        if "<td>" not in row:
            markup = f"<table><thead>{row}</thead><tbody>{markup[end:]}".replace("<tbody></tbody>", "")
    head, found, rest = markup.partition("</thead>")
    if not found:
        head, rest = "", markup
    return head.replace("<th>", '<th scope="col">') + found + rest.replace("<th>", '<th scope="row">')


def _fact_box(markup: str) -> str:
    """A fact box as readers get it: its title (stored as h3) one level below the headline, as an
    h2, so that the headings of a page never skip a level whatever precedes the box."""
    opening = '<aside data-factbox=""><h3>'
    if not markup.startswith(opening):
        return markup
    title_end = markup.index("</h3>")
    return f'<aside data-factbox=""><h2>{markup[len(opening) : title_end]}</h2>{markup[title_end + len("</h3>") :]}'


def parse(body: str, *, base: str = "") -> list[Block]:
    """The blocks of a stored body, in order (`base`: see clean())."""
    markup = clean(body, base=base)
    blocks: list[Block] = []
    pending: list[str] = []  # markup of the current Html block
    depth = 0
    start = 0  # where the current top-level element started
    opened = None  # the top-level element being read: its start token

    def flush():
        if text := "".join(pending).strip():
            blocks.append(Html(Markup(text)))  # noqa: S704 - clean() reduced it to the allow-list
        pending.clear()

    for token in TOKEN.finditer(markup):
        closing, tag = token.group(1, 2)
        if tag is None or tag in VOID:
            if opened is None:
                pending.append(token.group(0))
            continue
        if not closing:
            if depth == 0:
                opened, start = token, token.start()
            depth += 1
            continue
        depth -= 1
        if depth:
            continue
        whole = markup[start : token.end()]
        block = _block(opened, whole, markup[opened.end() : token.start()])
        opened = None
        if block is None:
            pending.append(whole)
        else:
            flush()
            blocks.append(block)
    flush()
    return blocks


def _block(opening, whole: str, inner: str) -> Block | None:
    """The block a top-level element is, or None for markup."""
    tag = opening.group(2)
    if tag == "table":
        return Html(Markup(_table(whole)))  # noqa: S704 - clean()'s table, with scope attributes added
    if tag == "aside":
        return Html(Markup(_fact_box(whole)))  # noqa: S704 - clean()'s fact box, its title an h2
    if tag != "figure":
        return None
    attributes = _attributes(opening)
    if "data-picture" in attributes:
        size = attributes.get("data-size")
        return PictureBlock(picture_id(attributes["data-picture"]), size if size in PICTURE_SIZES else "inline")
    if "data-gallery" in attributes:
        return GalleryBlock(gallery_ids(attributes["data-gallery"]))
    if "data-url" in attributes:
        text = " ".join(html.unescape(ANY_TAG.sub(" ", inner)).split())
        return EmbedBlock(attributes.get("data-embed", "link"), attributes["data-url"], text)
    return None


# Every picture a body may show: more than any story does (a gallery holds 30), far fewer than a
# forged body of figures could name (about 4,000 fit in html.MAX_LENGTH); the rest show nothing.
MAX_PICTURES = 200


def ids_of(blocks: list[Block]) -> list[int]:
    """The pictures the blocks show, in order of first appearance, each once, at most MAX_PICTURES."""
    ids: dict[int, None] = {}
    for block in blocks:
        if isinstance(block, PictureBlock):
            ids[block.picture_id] = None
        elif isinstance(block, GalleryBlock):
            ids |= dict.fromkeys(block.picture_ids)
        if len(ids) >= MAX_PICTURES:
            break
    return list(ids)[:MAX_PICTURES]


def picture_ids(body: str) -> list[int]:
    """The pictures a stored body shows (inline and in galleries), in order of first appearance."""
    return ids_of(parse(body))


def with_pictures(*stories: list[Block]) -> None:
    """Set the pictures of the blocks of one or more stories, read in one query (none when they
    show none). A picture that no longer exists, or has no renditions, is left out: its block
    shows nothing."""
    ids = {pk for blocks in stories for pk in ids_of(blocks)}
    found = Picture.objects.only(*PICTURE_FIELDS).exclude(renditions=[]).in_bulk(ids) if ids else {}
    for blocks in stories:
        for block in blocks:
            if isinstance(block, PictureBlock):
                block.picture = found.get(block.picture_id)
            elif isinstance(block, GalleryBlock):
                block.pictures = [found[pk] for pk in block.picture_ids if pk in found]


def blocks(body: str, *, base: str = "") -> list[Block]:
    """The blocks of a stored body with their pictures (one query, none without pictures)."""
    parsed = parse(body, base=base)
    with_pictures(parsed)
    return parsed
