"""Three-way merge of two people's edits to one article, from the version both started from.

Each field is compared with the base (the version the user opened): a field only the other
person changed keeps their value, a field only this user changed takes this user's value, and
only a field both changed differently is a conflict for the user to decide. The body merges
block by block (paragraphs, headings, quotes and list items) in the same way; tags merge as
sets, and so do the further sections; the byline merges by author. Nothing here saves anything.
"""

import difflib
from dataclasses import dataclass, field
from html.parser import HTMLParser

# The article's own fields that merge as single values (attribute names: a foreign key by its id).
# The one list: the desk's form, the revisions' restore and the merge snapshots all read it.
SCALAR_FIELDS = [
    "kicker",
    "headline",
    "slug",
    "standfirst",
    "dateline_place",
    "language",
    "section_id",
    "credit_id",
    "seo_title",
    "meta_description",
    "social_headline",
    "social_description",
]
# Fields that merge as sets of ids (the tags merge as a set too, by name).
SET_FIELDS = ["also_in"]
# Lists are merged item by item: their opening and closing tags are blocks of their own.
LIST_TAGS = {"ul", "ol"}
VOID_TAGS = {"br", "hr", "img"}


@dataclass(frozen=True)
class Conflict:
    """Blocks of the body (or a field's value) that both people changed differently."""

    mine: tuple
    theirs: tuple


@dataclass
class Merge:
    values: dict = field(default_factory=dict)  # field name -> merged value (mine where in conflict)
    conflicts: dict = field(default_factory=dict)  # field name -> Conflict (the body: see body_parts)
    body_parts: list = field(default_factory=list)  # blocks (str) and Conflicts, in order
    theirs_only: list = field(default_factory=list)  # fields whose change by the other person was kept

    def body(self, choices: dict[int, str] | None = None) -> str:
        """The merged body; conflict number n takes choices[n] ("mine" or "theirs"), mine by default."""
        choices = choices or {}
        blocks, number = [], 0
        for part in self.body_parts:
            if isinstance(part, Conflict):
                blocks += part.theirs if choices.get(number) == "theirs" else part.mine
                number += 1
            else:
                blocks.append(part)
        return "".join(blocks)

    @property
    def body_conflicts(self) -> list[Conflict]:
        return [part for part in self.body_parts if isinstance(part, Conflict)]

    @property
    def has_conflicts(self) -> bool:
        return bool(self.conflicts or self.body_conflicts)


class _Blocks(HTMLParser):
    """Splits cleaned rich text into its top-level blocks; lists into their items."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.depth = 0
        self.in_list = 0  # depth at which the open list's items sit, or 0

    def _emit(self) -> None:
        if self.current:
            self.blocks.append("".join(self.current))
            self.current = []

    def handle_starttag(self, tag, attrs):
        text = self.get_starttag_text()
        if self.depth == 0 and tag in LIST_TAGS:
            self._emit()
            self.blocks.append(text)
            self.depth, self.in_list = 1, 1
            return
        self.current.append(text)
        if tag not in VOID_TAGS:
            self.depth += 1
        elif self.depth == self.in_list:
            self._emit()

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        if self.in_list and self.depth == 1 and tag in LIST_TAGS:
            self._emit()
            self.blocks.append(f"</{tag}>")
            self.depth, self.in_list = 0, 0
            return
        self.current.append(f"</{tag}>")
        self.depth = max(0, self.depth - 1)
        if self.depth == self.in_list:
            self._emit()

    def handle_data(self, data):
        if self.depth == self.in_list and not data.strip():
            return  # white space between blocks
        self.current.append(data)

    def handle_entityref(self, name):
        self.current.append(f"&{name};")

    def handle_charref(self, name):
        self.current.append(f"&#{name};")


def blocks(html: str) -> list[str]:
    parser = _Blocks()
    parser.feed(html or "")
    parser.close()
    parser._emit()
    return parser.blocks


def _sync_regions(base: list, mine: list, theirs: list) -> list[tuple]:
    """Stretches of the base that both sides kept, as (base, mine, theirs) start and end indexes."""
    in_mine = difflib.SequenceMatcher(None, base, mine, autojunk=False).get_matching_blocks()
    in_theirs = difflib.SequenceMatcher(None, base, theirs, autojunk=False).get_matching_blocks()
    regions, i, j = [], 0, 0
    while i < len(in_mine) and j < len(in_theirs):
        a_base, a_at, a_len = in_mine[i]
        b_base, b_at, b_len = in_theirs[j]
        start, end = max(a_base, b_base), min(a_base + a_len, b_base + b_len)
        if start < end:
            mine_at, theirs_at = a_at + start - a_base, b_at + start - b_base
            regions.append((start, end, mine_at, mine_at + end - start, theirs_at, theirs_at + end - start))
        if a_base + a_len < b_base + b_len:
            i += 1
        else:
            j += 1
    regions.append((len(base), len(base), len(mine), len(mine), len(theirs), len(theirs)))
    return regions


def merge_sequences(base: list, mine: list, theirs: list) -> list:
    """The items of both sides' changes, with a Conflict where both changed the same stretch differently."""
    parts, at_base, at_mine, at_theirs = [], 0, 0, 0
    for base_start, base_end, mine_start, mine_end, theirs_start, theirs_end in _sync_regions(base, mine, theirs):
        old, my, their = base[at_base:base_start], mine[at_mine:mine_start], theirs[at_theirs:theirs_start]
        if my == their:
            parts += my
        elif my == old:
            parts += their
        elif their == old:
            parts += my
        else:
            parts.append(Conflict(tuple(my), tuple(their)))
        parts += base[base_start:base_end]
        at_base, at_mine, at_theirs = base_end, mine_end, theirs_end
    return parts


def merge_sets(base: set, mine: set, theirs: set) -> set:
    """What either side added, without what either side removed."""
    return (base | (mine - base) | (theirs - base)) - (base - mine) - (base - theirs)


def merge_byline(base: list[tuple], mine: list[tuple], theirs: list[tuple]) -> list[tuple]:
    """Bylines as (author id, role) in order, merged by author: added by either side, removed by
    either side; a role only one side changed takes that change (mine where both did); the order
    is the one side's that changed it (theirs where both did, with my additions after)."""
    base_roles, my_roles, their_roles = dict(base), dict(mine), dict(theirs)
    authors = merge_sets(set(base_roles), set(my_roles), set(their_roles))
    base_order, my_order, their_order = [a for a, _ in base], [a for a, _ in mine], [a for a, _ in theirs]
    order = my_order if their_order == base_order else their_order + [a for a in my_order if a not in their_order]
    merged = []
    for author in order:
        if author not in authors or author in [a for a, _ in merged]:
            continue
        old, my, their = base_roles.get(author), my_roles.get(author), their_roles.get(author)
        role = their if my == old and their is not None else (my if my is not None else their)
        merged.append((author, role or ""))
    return merged


def merge(base: dict | None, mine: dict, theirs: dict) -> Merge:
    """Merge the fields (SCALAR_FIELDS, body, tags, SET_FIELDS: see revisions.merge_snapshot) of the base,
    this user's form and the saved article; the byline merges apart (merge_byline), as it is
    saved apart. Without a base (no revision of the version the user opened), every field the
    two sides hold differently is a conflict."""
    result = Merge()
    for name in SCALAR_FIELDS:
        old = base.get(name) if base is not None else None
        my, their = mine.get(name), theirs.get(name)
        if my == their or (base is not None and their == old):
            result.values[name] = my
        elif base is not None and my == old:
            result.values[name] = their
            result.theirs_only.append(name)
        else:
            result.values[name] = my
            result.conflicts[name] = Conflict((my,), (their,))
    base_body = blocks(base["body"]) if base is not None else []
    my_body, their_body = blocks(mine["body"]), blocks(theirs["body"])
    if base is None and my_body != their_body:
        result.body_parts = [Conflict(tuple(my_body), tuple(their_body))]
    else:
        result.body_parts = merge_sequences(base_body, my_body, their_body)
        if my_body == base_body and their_body != base_body:
            result.theirs_only.append("body")
    result.values["body"] = result.body()
    old_tags = set(base["tags"]) if base is not None else set(theirs["tags"])
    result.values["tags"] = merge_sets(old_tags, set(mine["tags"]), set(theirs["tags"]))
    for name in SET_FIELDS:
        old = set(base[name]) if base is not None else set(theirs[name])
        result.values[name] = merge_sets(old, set(mine[name]), set(theirs[name]))
        if set(mine[name]) == old and set(theirs[name]) != old:
            result.theirs_only.append(name)
    return result
