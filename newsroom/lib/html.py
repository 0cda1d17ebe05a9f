"""One place that cleans rich text: every rich-text field goes through clean().

The HTML parser's work grows with the square of how deeply elements nest (1 MB of unclosed
<div> took nearly three minutes), so text that is too long is cut before parsing, and text
that nests deeper than any article does is reduced to its words without being parsed.
"""

import html
import re

import nh3

from newsroom.lib.text import without_unusable_characters

# What an article body may contain: text structure and links, nothing active, no images
# (pictures come through the upload pipeline), no svg, math, style or iframe.
BODY_TAGS = {
    "a",
    "b",
    "blockquote",
    "br",
    "em",
    "figure",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "s",
    "strong",
    "sub",
    "sup",
    "ul",
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
# Stand-in for the pictures' helper (h-pictures) until the sanitiser's own (issue 19) is merged:
# a picture or a gallery of pictures, by id only (see /tmp/lead/blocks.md).
ATTRIBUTES = {"a": {"href", "title"}, "figure": {"data-picture", "data-size", "data-gallery"}}
PICTURE_SIZES = ("inline", "wide", "full")
MAX_GALLERY = 30
_ID = re.compile(r"[1-9][0-9]{0,17}", re.ASCII)
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


def _ids(value: str) -> str | None:
    ids = list(dict.fromkeys(part for part in value.split() if _ID.fullmatch(part)))[:MAX_GALLERY]
    return " ".join(ids) or None


def _attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "a" and attribute == "href":
        return complete_href(value)
    if element == "figure":
        if attribute == "data-picture":
            return value.strip() if _ID.fullmatch(value.strip()) else None
        if attribute == "data-size":
            return value if value in PICTURE_SIZES else "inline"
        if attribute == "data-gallery":
            return _ids(value)
    return value


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
    return nh3.clean(
        bounded,
        tags=tags,
        clean_content_tags=DROP_WITH_CONTENT - tags,
        attributes={tag: attrs for tag, attrs in ATTRIBUTES.items() if tag in tags},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_attribute,
        url_relative=("rewrite_with_base", base) if base else "pass_through",
    ).strip()


def clean_bio(value: str) -> str:
    return clean(value, tags=BIO_TAGS)


def to_text(value: str) -> str:
    """Plain text of rich text: tags dropped, entities decoded, white space folded."""
    if not value:
        return ""
    value = without_unusable_characters(value)
    bounded = _bounded(value)
    if bounded is None:
        return without_unusable_characters(_words(value))
    text = nh3.clean(
        bounded.replace("</p>", "</p> ").replace("<br>", " "), tags=set(), clean_content_tags=DROP_WITH_CONTENT
    )
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
