"""Field-by-field differences between two versions of an article, escaped for display.

Used by the revision compare page, the autosave offer and the agency update review. Plain
fields are compared word by word. The body is compared as blocks (paragraphs, headings, list
items, quotes), then word by word inside a changed block, each word with its formatting, so a
word made bold shows as changed. Every piece of text is escaped before it is wrapped in
<del>/<ins>, and the only markup rebuilt is our own, so nothing in an article can become
markup here.
"""

import difflib
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from newsroom.lib.html import clean

# Longer texts are compared by words up to this size; a diff of a huge text is not worth its time.
MAX_DIFF_WORDS = 5_000

# The search and social texts, compared and merged like the others.
SEARCH_AND_SOCIAL = ("seo_title", "meta_description", "social_headline", "social_description")
COMPARED_FIELDS = [
    ("kicker", "Kicker"),
    ("headline", "Headline"),
    ("slug", "Slug"),
    ("standfirst", "Standfirst"),
    ("body", "Body"),
    ("dateline_place", "Dateline place"),
    ("language", "Language"),
    ("section", "Section"),
    ("also_in", "Further sections"),
    ("credit", "Credit"),
    ("byline", "Byline"),
    ("tags", "Tags"),
    # Search and social (articles.models.Article.effective_seo_title and the others).
    ("seo_title", "SEO title"),
    ("meta_description", "Meta description"),
    ("social_headline", "Social headline"),
    ("social_description", "Social description"),
]


# Fields held as rich text (their snapshot is the canonical markup of blocks()).
RICH_FIELDS = {"body"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str
    rich: bool = False

    @property
    def html(self) -> SafeString:
        return block_diff(self.before, self.after) if self.rich else inline_diff(self.before, self.after)


def inline_diff(before: str, after: str) -> SafeString:
    """Words removed in <del>, words added in <ins>; all text escaped."""
    old, new = before.split()[:MAX_DIFF_WORDS], after.split()[:MAX_DIFF_WORDS]
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(' '.join(old[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(' '.join(new[j1:j2]))}</ins>")
    return mark_safe(" ".join(parts))  # noqa: S308 - every piece above is escaped


def changes(before: dict[str, str], after: dict[str, str]) -> list[FieldChange]:
    """The fields whose text differs between two snapshots (see snapshot())."""
    return [
        FieldChange(label, before.get(name, ""), after.get(name, ""), rich=name in RICH_FIELDS)
        for name, label in COMPARED_FIELDS
        if before.get(name, "") != after.get(name, "")
    ]


def snapshot(
    *,
    kicker,
    headline,
    slug,
    standfirst,
    body,
    dateline_place,
    language,
    section,
    also_in,
    credit,
    byline,
    tags,
    seo_title="",
    meta_description="",
    social_headline="",
    social_description="",
) -> dict[str, str]:
    """An article's compared fields as plain text (sections and the credit by name)."""
    return {
        "seo_title": seo_title or "",
        "meta_description": meta_description or "",
        "social_headline": social_headline or "",
        "social_description": social_description or "",
        "kicker": kicker or "",
        "headline": headline or "",
        "slug": slug or "",
        "standfirst": standfirst or "",
        "body": canonical(body or ""),
        "dateline_place": dateline_place or "",
        "language": language or "",
        "section": section or "",
        "also_in": ", ".join(sorted(also_in, key=str.casefold)),
        "credit": credit or "",
        "byline": ", ".join(byline),
        "tags": ", ".join(sorted(tags, key=str.casefold)),
    }


# Rich text as blocks of words. A word carries its formatting: the inline elements around it,
# a link with its address, so a change of formatting is a change of the word.
BLOCKS = {"p": "", "h2": "Heading", "h3": "Subheading", "h4": "Minor heading", "li": "List item", "hr": "Rule"}
QUOTED = "Quote"
INLINE = {"b": "strong", "strong": "strong", "i": "em", "em": "em", "s": "s", "sub": "sub", "sup": "sup", "a": "a"}
# The body's blocks (newsroom.lib.html's stored forms), each compared as a block of its own kind:
# a picture by its id and size, a gallery by its pictures in order, an embed by its address; the
# text of a pull quote, a fact box, a table row or a caption word by word under its own label.
PICTURE, GALLERY, EMBED = "Picture", "Gallery", "Embed"
IN_FIGURE = {"pullquote": ("Pull quote", "Attribution"), "embed": (EMBED, "Embed caption")}
FACT_BOX, FACT_BOX_TITLE = "Fact box", "Fact box title"
TABLE_ROW, TABLE_HEADER = "Table row", "Table header"
CELL = ("|", ())  # between the cells of a row

# A word is one or more runs of text with their marks ("strong", "a https://…"): "Monday." with
# only "Monday" in bold is two runs of one word.
Word = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Block:
    kind: str  # "", "Heading", "Quote", …: how the compare labels it
    words: tuple[Word, ...]


def _plain(*texts: str) -> tuple[Word, ...]:
    return tuple(((text, ()),) for text in texts if text)


class _Blocks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.marks: list[str] = []
        self.kind: str | None = None
        self.words: list[Word] = []
        self.quoted = 0
        self.glued = False  # the last text ended inside a word
        self.around: list[str] = []  # the body blocks the text is in: "pullquote", "factbox", "table", …

    def _close(self):
        if self.kind is not None and (self.words or self.kind == "Rule"):
            self.blocks.append(Block(self.kind, tuple(self.words)))
        self.kind, self.words, self.glued = None, [], False

    def _add(self, kind: str, words: tuple[Word, ...]):
        self._close()
        self.blocks.append(Block(kind, words))

    def _figure(self, attrs: dict) -> str:
        if "data-picture" in attrs:
            self._add(PICTURE, _plain(f"#{attrs['data-picture']}", attrs.get("data-size") or ""))
            return "picture"
        if "data-gallery" in attrs:
            self._add(GALLERY, _plain(*(f"#{pk}" for pk in (attrs["data-gallery"] or "").split())))
            return "gallery"
        if "data-embed" in attrs:
            self._add(EMBED, _plain(attrs.get("data-url") or ""))
            return "embed"
        return "pullquote" if "data-pullquote" in attrs else "figure"

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        inside = self.around[-1] if self.around else ""
        if tag == "figure":
            self.around.append(self._figure(attrs))
        elif tag == "aside":
            self._close()
            self.around.append("factbox")
        elif tag == "table":
            self._close()
            self.around.append("table")
        elif tag == "tr":
            self._close()
            self.kind = TABLE_ROW
        elif tag in {"th", "td"}:
            if tag == "th" and not self.words:
                self.kind = TABLE_HEADER
            if self.words:
                self.words.append((CELL,))
            self.glued = False
        elif inside == "table" and tag in BLOCKS:
            self.glued = False  # a cell's paragraphs are words of its row
        elif tag == "figcaption":
            self._close()
            self.kind = IN_FIGURE.get(inside, ("", "Caption"))[1]
        elif tag == "blockquote":
            self._close()
            self.quoted += 1
        elif tag in BLOCKS:
            self._close()
            if inside == "factbox":
                self.kind = FACT_BOX_TITLE if tag == "h3" else FACT_BOX
            elif inside == "pullquote":
                self.kind = IN_FIGURE["pullquote"][0]
            else:
                self.kind = QUOTED if self.quoted and tag == "p" else BLOCKS[tag]
            if tag == "hr":
                self._close()
        elif tag == "br":
            self.glued = False
        elif tag in INLINE:
            href = attrs.get("href") or ""
            self.marks.append(f"a {href}" if tag == "a" else INLINE[tag])

    def handle_endtag(self, tag):
        inside = self.around[-1] if self.around else ""
        if tag in {"figure", "aside", "table"}:
            self._close()
            if self.around:
                self.around.pop()
        elif tag == "tr" or tag == "figcaption":
            self._close()
        elif tag in {"th", "td"} or (inside == "table" and tag in BLOCKS):
            self.glued = False
        elif tag == "blockquote":
            self._close()
            self.quoted = max(0, self.quoted - 1)
        elif tag in BLOCKS:
            self._close()
        elif tag in INLINE:
            for index in range(len(self.marks) - 1, -1, -1):
                if self.marks[index].split(" ", 1)[0] == INLINE[tag]:
                    del self.marks[index]
                    break

    def handle_data(self, data):
        words = data.split()
        if not words:
            self.glued = self.glued and not data
            return
        if self.kind is None:  # text outside any block reads as a paragraph
            self.kind = QUOTED if self.quoted else ""
        marks = tuple(sorted(set(self.marks)))
        if self.glued and self.words and not data[0].isspace():
            self.words[-1] = (*self.words[-1], (words.pop(0), marks))
        self.words.extend(((word, marks),) for word in words)
        self.glued = not data[-1].isspace()


def blocks(value: str) -> list[Block]:
    """The blocks of rich text, after the one cleaner (so only allowed markup is read)."""
    parser = _Blocks()
    parser.feed(clean(value))
    parser.close()
    parser._close()
    return parser.blocks


def _word_html(word: Word) -> str:
    runs = []
    for text, marks in word:
        html = escape(text)
        for mark in sorted(marks, reverse=True):
            opening, closing = (f'a href="{escape(mark[2:])}"', "a") if mark.startswith("a ") else (mark, mark)
            html = f"<{opening}>{html}</{closing}>"
        runs.append(html)
    return "".join(runs)


def _words_html(words) -> str:
    return " ".join(_word_html(word) for word in words)


def _block_html(kind: str, inner: str, wrap: str = "") -> str:
    label = f'<span class="desk-diff-kind">{escape(kind)}:</span> ' if kind else ""
    classes = "desk-diff-block" + (f" desk-diff-{wrap}" if wrap else "")
    return f'<p class="{classes}">{label}{inner}</p>'


def canonical(value: str) -> str:
    """Rich text as one line per block, so two versions that read the same compare equal."""
    return "\n".join(f"[{block.kind}] {_words_html(block.words)}" for block in blocks(value))


def _parse_canonical(value: str) -> list[Block]:
    """canonical()'s lines read back as blocks, each under the kind its line names (any other
    text reads as rich text)."""
    parsed = []
    for line in value.splitlines():
        kind, found, rest = line[1:].partition("] ") if line.startswith("[") else ("", "", "")
        if not found:
            parsed.extend(blocks(line))
        elif kind == "Rule":
            parsed.append(Block(kind, ()))
        elif words := [word for block in blocks(f"<p>{rest}</p>") for word in block.words]:
            parsed.append(Block(kind, tuple(words)))
    return parsed


def _changed_words(old: tuple[Word, ...], new: tuple[Word, ...]) -> str:
    parts = []
    matcher = difflib.SequenceMatcher(None, old[:MAX_DIFF_WORDS], new[:MAX_DIFF_WORDS], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(_words_html(old[i1:i2]))
            continue
        if i2 > i1:
            parts.append(f"<del>{_words_html(old[i1:i2])}</del>")
        if j2 > j1:
            parts.append(f"<ins>{_words_html(new[j1:j2])}</ins>")
    return " ".join(parts)


def block_diff(before: str, after: str) -> SafeString:
    """Rich text compared block by block: paragraph and heading boundaries kept, whole blocks
    removed or added shown as such, changed blocks compared word by word with formatting."""
    old, new = _parse_canonical(before), _parse_canonical(after)
    parts = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.extend(_block_html(block.kind, _words_html(block.words)) for block in old[i1:i2])
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for a, b in zip(old[i1 : i1 + pairs], new[j1 : j1 + pairs], strict=True):
            kind = b.kind if a.kind == b.kind else f"{a.kind or 'Paragraph'} → {b.kind or 'paragraph'}"
            parts.append(_block_html(kind, _changed_words(a.words, b.words), "changed"))
        for block in old[i1 + pairs : i2]:
            parts.append(_block_html(block.kind, f"<del>{_words_html(block.words)}</del>", "removed"))
        for block in new[j1 + pairs : j2]:
            parts.append(_block_html(block.kind, f"<ins>{_words_html(block.words)}</ins>", "added"))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def as_blocks(value: str) -> SafeString:
    """Rich text as the compare shows it, each block labelled by its kind (a picture by its id and
    size, a gallery by its pictures): how the desk shows a passage that has no text to read."""
    lines = canonical(value)
    return block_diff(lines, lines)
