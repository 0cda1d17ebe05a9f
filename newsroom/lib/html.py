"""One place that cleans rich text: every rich-text field goes through clean().

The HTML parser's work grows with the square of how deeply elements nest (1 MB of unclosed
<div> took nearly three minutes), so text that is too long is cut before parsing, and text
that nests deeper than any article does is reduced to its words without being parsed.

A story body also holds blocks (the contract of issue 19): plain elements with validated data-
attributes, never a file URL, an iframe, a style or a class.
    <figure data-picture="42" data-size="inline"></figure>      a picture (pictures.Picture pk)
    <figure data-gallery="42 43 44"></figure>                   a gallery, 1 to 30 pictures
    <figure data-pullquote=""><blockquote><p>…</p></blockquote><figcaption>…</figcaption></figure>
    <aside data-factbox=""><h3>…</h3><p>…</p><ul><li>…</li></ul></aside>
    <table><thead><tr><th>…</th></tr></thead><tbody><tr><td>…</td></tr></tbody></table>
    <figure data-embed="youtube" data-url="https://…"><figcaption>…</figcaption></figure>
nh3 checks each attribute alone (attribute_filter); what a block may hold, and where, is then
checked in one pass over nh3's output (_structured), which is normalised HTML: every attribute
value quoted, every "<" of text escaped, every element closed.
"""

import html
import re

import nh3

from newsroom.lib.embeds import clean_url, provider_for
from newsroom.lib.text import without_unusable_characters

# What an article body may contain: text structure, links and the blocks above; nothing active,
# no images (pictures are named by id), no svg, math, style or iframe.
INLINE_TAGS = {"a", "b", "br", "em", "i", "s", "strong", "sub", "sup"}
TABLE_TAGS = {"table", "thead", "tbody", "tr", "th", "td"}
BODY_TAGS = {
    *INLINE_TAGS,
    *TABLE_TAGS,
    "aside",
    "blockquote",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "ul",
}
# Headings the page has no room for are kept at the nearest level it allows (the story's h1 is its headline).
HEADING_LEVELS = {"h1": "h2", "h5": "h4", "h6": "h4"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
PICTURE_SIZES = ("inline", "wide", "full")
MAX_GALLERY = 30
MAX_ID = 2**63 - 1  # pictures.Picture's BigAutoField
PICTURE_ID = re.compile(r"0*([1-9][0-9]{0,18})")
BLOCK_ATTRIBUTES = {
    "figure": {"data-picture", "data-size", "data-gallery", "data-pullquote", "data-embed", "data-url"},
    "aside": {"data-factbox"},
}
BIO_TAGS = {"a", "br", "em", "i", "p", "strong", "b"}
# The rich-text editor of a bio offers what BIO_TAGS keeps (django-prose-editor's extensions).
BIO_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "HardBreak": True,
    "Link": {"enableTarget": False},
    "History": True,
}
ATTRIBUTES = {"a": {"href", "title"}, **BLOCK_ATTRIBUTES}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Their content is removed too, not just the tags.
DROP_WITH_CONTENT = {"script", "style", "svg", "math", "iframe", "object", "embed", "noscript", "template"}

# A long feature is about 60,000 characters of HTML; forms refuse more than this, and this
# module never parses more.
MAX_LENGTH = 200_000
# Elements left open at once: a real article has a handful; parsing 10,000 took 0.2 s.
MAX_UNCLOSED = 500
OPENING_TAG = re.compile(r"<(?!(?:area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)\b)[a-zA-Z]")
ANY_TAG = re.compile(r"<[^>]*>?")
# An address typed without its scheme: "example.org/x" (a host with a dot, then a path, a query,
# a fragment or nothing), or "name@example.org". Left as it is, a browser reads it as a link
# relative to the page (https://our.site/story/example.org/x).
BARE_HOST = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?::\d{1,5})?(?:[/?#]|$)")
BARE_EMAIL = re.compile(r"^[^@\s/:]+@[\w-]+(?:\.[\w-]+)+$")


def _bounded(value: str) -> str | None:
    """The text cut to MAX_LENGTH, or None if it nests too deeply to be worth parsing."""
    value = value[:MAX_LENGTH]
    if len(OPENING_TAG.findall(value)) - value.count("</") > MAX_UNCLOSED:
        return None
    return value


def _words(value: str) -> str:
    """Text without parsing: every tag removed by a linear pattern, what is left escaped."""
    return " ".join(html.unescape(ANY_TAG.sub(" ", value[:MAX_LENGTH])).split())


def complete_href(value: str) -> str:
    """A link's address as the writer meant it: a scheme added to an address typed without one
    ("example.org/x" is https://example.org/x, "desk@example.org" a mailto: link). Any other
    address is left as it is: a relative one (/path, ../, #part) is kept, and schemes are left to
    the allow-list of schemes."""
    value = value.strip()
    if BARE_HOST.match(value):
        return f"https://{value}"
    if BARE_EMAIL.match(value):
        return f"mailto:{value}"
    return value


def picture_id(value: str) -> int | None:
    """A picture's id as a block names it: a positive integer in ASCII digits, or None."""
    found = PICTURE_ID.fullmatch(value.strip(" "))
    number = int(found.group(1)) if found else 0
    return number if 0 < number <= MAX_ID else None


def gallery_ids(value: str) -> list[int]:
    """A gallery's pictures: the valid ids, in order, each once, MAX_GALLERY at most."""
    ids = []
    for part in value.split(" "):
        number = picture_id(part) if part else None
        if number is not None and number not in ids:
            ids.append(number)
            if len(ids) == MAX_GALLERY:
                break
    return ids


def _block_value(attribute: str, value: str) -> str | None:
    match attribute:
        case "data-picture":
            number = picture_id(value)
            return None if number is None else str(number)
        case "data-size":
            return value if value in PICTURE_SIZES else None
        case "data-gallery":
            return " ".join(map(str, gallery_ids(value))) or None
        case "data-pullquote" | "data-factbox":
            return ""
        case "data-url":
            return clean_url(value)
    return None  # data-embed is worked out again from the URL (_structured); nh3's generic title and lang go


def _attribute(element: str, attribute: str, value: str) -> str | None:
    if element in BLOCK_ATTRIBUTES:
        return _block_value(attribute, value)
    if element in TABLE_TAGS or element == "figcaption":
        return None  # cells carry no colspan, style, class, nor nh3's generic title or lang
    return complete_href(value) if element == "a" and attribute == "href" else value


# One token of nh3's output: a tag (its attribute values always double-quoted), text, or a stray "<".
TOKEN = re.compile(r'<(/?)([a-z][a-z0-9]*)((?:\s+[^\s"=>/]+(?:="[^"]*")?)*)\s*/?>|[^<]+|<')
TAG_ATTRIBUTE = re.compile(r'([^\s"=>/]+)(?:="([^"]*)")?')
VOID = {"br", "hr"}
# Where an element sits decides what it may hold (see _decide).
ROOT, FLOW, TABLE, ROWS, CELLS, CELL, INLINE, PULLQUOTE, QUOTE, EMBED, TEXT = range(11)
TEXTLESS = {TABLE, ROWS, CELLS, PULLQUOTE, EMBED}
KEEP, UNWRAP, REMOVE, WHOLE = range(4)  # WHOLE: the element as given, without its content


def _block_figure(attributes: dict[str, str]) -> tuple[int, str, int]:
    """What a figure at the top level is: (action, opening tag, context of its content)."""
    if "data-picture" in attributes:
        size = attributes.get("data-size", PICTURE_SIZES[0])
        return WHOLE, f'<figure data-picture="{attributes["data-picture"]}" data-size="{size}">', ROOT
    if "data-gallery" in attributes:
        return WHOLE, f'<figure data-gallery="{attributes["data-gallery"]}">', ROOT
    if "data-url" in attributes:
        url = attributes["data-url"]
        opening = f'<figure data-embed="{provider_for(url)}" data-url="{html.escape(url)}">'
        return KEEP, opening, EMBED
    if "data-pullquote" in attributes:
        return KEEP, '<figure data-pullquote="">', PULLQUOTE
    return UNWRAP, "", ROOT


def _decide(context: int, tag: str, attributes: str, seen: set[str]) -> tuple[int, str, int]:
    """What becomes of an element met in `context`: (action, opening tag, context of its content).
    Blocks stand at the top level only; tables hold rows of cells; cells, captions and quotes hold
    inline text; anything else in them is unwrapped (its text kept, a space for its boundary)."""
    if context in (ROOT, FLOW):
        if tag == "figure":
            found = {name: html.unescape(value or "") for name, value in TAG_ATTRIBUTE.findall(attributes)}
            action, opening, inner = _block_figure(found)
            if context == ROOT or action == UNWRAP:
                return action, opening, inner
            return (UNWRAP, "", context) if inner == PULLQUOTE else (REMOVE, "", context)
        if tag == "aside":
            is_box = context == ROOT and "data-factbox" in attributes
            return (KEEP, '<aside data-factbox="">', FLOW) if is_box else (UNWRAP, "", context)
        if tag == "table" and context == ROOT:
            return KEEP, "<table>", TABLE
        if tag == "figcaption" and context == ROOT:
            return KEEP, "<p>", INLINE  # the caption of a figure that is no block (pasted from a page)
        if tag in TABLE_TAGS or tag == "figcaption":
            return UNWRAP, " ", context
        # A paragraph or heading holds inline text only (a block nested in it, unwrapped, would
        # nest paragraphs or headings, which the next parse takes apart).
        inner = INLINE if tag == "p" or tag in HEADINGS else FLOW
        return KEEP, f"<{HEADING_LEVELS.get(tag, tag)}{attributes}>", inner
    if context == TABLE and tag in {"thead", "tbody", "tr"}:
        return KEEP, f"<{tag}>", ROWS if tag != "tr" else CELLS
    if context == ROWS and tag == "tr":
        return KEEP, "<tr>", CELLS
    if context == CELLS and tag in {"th", "td"}:
        return KEEP, f"<{tag}>", CELL
    if context in TEXTLESS:
        if context == PULLQUOTE and tag in {"blockquote", "figcaption"} and tag not in seen:
            return KEEP, f"<{tag}>", QUOTE if tag == "blockquote" else INLINE
        if context == EMBED and tag == "figcaption" and tag not in seen:
            return KEEP, "<figcaption>", TEXT
        return REMOVE, "", context
    if context != TEXT and (tag in INLINE_TAGS or (tag == "p" and context in {CELL, QUOTE})):
        return KEEP, f"<{tag}{attributes}>", INLINE
    return UNWRAP, "" if tag in INLINE_TAGS - VOID else " ", context


def _after_space(out: list[str]) -> bool:
    """Whether the output ends where words part already: after white space, or an opening tag."""
    return not out or out[-1][-1:].isspace() or (out[-1].startswith("<") and out[-1][1:2] != "/")


def _has_text(parts: list[str]) -> bool:
    return bool(ANY_TAG.sub("", "".join(parts)).strip())


def _structured(markup: str) -> str:
    """nh3's output with each block in its stored form (see the module's docstring), in one pass:
    the stack holds, for each open element, [its closing tag, the context of its content, the
    tags met in it, where it started in the output]. A block left without the attribute it needs
    is unwrapped (a figure of a forged id, empty: gone), a pull quote, fact box or table left
    without text removed."""
    out: list[str] = []
    stack: list[list] = []
    skip = 0  # depth inside an element removed with its content
    for token in TOKEN.finditer(markup):
        closing, tag, attributes = token.group(1, 2, 3)
        if tag is None:
            context = stack[-1][1] if stack else ROOT
            if not skip and context not in TEXTLESS:
                out.append("&lt;" if token.group(0) == "<" else token.group(0))
            continue
        if skip:
            skip += 0 if tag in VOID else -1 if closing else 1
            continue
        if closing:
            close, context, _, start = stack.pop()
            if (context in {TABLE, PULLQUOTE} or close == "</aside>") and not _has_text(out[start:]):
                del out[start:]
                continue
            out.append(close)
            continue
        context = stack[-1][1] if stack else ROOT
        seen = stack[-1][2] if stack else set()
        if context == TABLE and tag == "tr" and "implicit" not in seen:
            # A row straight in the table (where nh3 dropped a tfoot): it goes in a body of rows.
            seen.add("implicit")
            stack[-1][0] = "</tbody></table>"
            out.append("<tbody>")
            context = ROWS
        elif context == TABLE and "implicit" in seen and tag != "tr":
            seen.discard("implicit")
            stack[-1][0] = "</table>"
            out.append("</tbody>")
        elif context == TABLE and "implicit" in seen:
            context = ROWS
        action, opening, inner = _decide(context, tag, attributes, seen)
        seen.add(tag)
        if action in (REMOVE, WHOLE):
            if action == WHOLE:
                out.append(f"{opening}</{tag}>")
            skip = 0 if tag in VOID else 1
            continue
        if opening != " " or not _after_space(out):
            out.append(opening)
        if tag in VOID:
            continue
        if action == UNWRAP:
            stack.append(["", context, set(), len(out)])
        else:
            stack.append([f"</{opening[1:].split(' ', 1)[0].rstrip('>')}>", inner, set(), len(out) - 1])
    return "".join(out)


def clean(value: str, *, tags: set[str] = BODY_TAGS, base: str = "") -> str:
    """Return rich text reduced to an explicit allow-list of tags, attributes and URL schemes
    (and without the characters no feed can carry). With a `base` (the full URL of the page the
    text belongs to), relative links are made absolute against it, for text read off the site."""
    if not value:
        return ""
    value = without_unusable_characters(value)
    bounded = _bounded(value)
    if bounded is None:
        return f"<p>{html.escape(_words(value))}</p>"
    parsed = tags | {tag for tag, level in HEADING_LEVELS.items() if level in tags}
    cleaned = nh3.clean(
        bounded,
        tags=parsed,
        clean_content_tags=DROP_WITH_CONTENT - parsed,
        attributes={tag: attrs for tag, attrs in ATTRIBUTES.items() if tag in tags},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_attribute,
        url_relative=("rewrite_with_base", base) if base else "pass_through",
    )
    return _structured(cleaned).strip()


# The picture blocks of a cleaned body, exactly as clean() writes them (no content, these attributes).
PICTURE_BLOCK = re.compile(r'<figure data-(?:picture="[0-9]+" data-size="[a-z]+"|gallery="[0-9 ]+")></figure>')


def without_pictures(value: str) -> str:
    """A cleaned body without its picture and gallery blocks: for bodies from outside (the wire),
    whose ids would name pictures of ours that their sender never saw."""
    return PICTURE_BLOCK.sub("", value)


def clean_bio(value: str) -> str:
    return clean(value, tags=BIO_TAGS)


# Where a block of text ends (a paragraph, a cell, a caption, a list item) words part.
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|t[dhr]|figcaption|blockquote|caption|div)\s*>|<br\b[^>]*>", re.IGNORECASE)


def to_text(value: str) -> str:
    """Plain text of rich text: tags dropped, entities decoded, white space folded."""
    if not value:
        return ""
    value = without_unusable_characters(value)
    bounded = _bounded(value)
    if bounded is None:
        return without_unusable_characters(_words(value))
    text = nh3.clean(BLOCK_END.sub(r"\g<0> ", bounded), tags=set(), clean_content_tags=DROP_WITH_CONTENT)
    return without_unusable_characters(" ".join(html.unescape(text).split()))


# The desk's reading time: an adult reads about 230 words of news a minute (static/desk/wordcount.js counts the same way).
WORDS_PER_MINUTE = 230
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def word_count(value: str) -> int:
    """Words of rich text: blocks and line breaks part words, tags never join them."""
    return len(_WORD.findall(to_text((value or "").replace("</", " </").replace("<br", " <br"))))


def reading_time(words: int) -> str:
    """ "412 words · 2 min read"; never less than a minute."""
    minutes = max(1, round(words / WORDS_PER_MINUTE))
    return f"{words} word{'' if words == 1 else 's'} · {minutes} min read"
