"""Field-by-field differences between two versions of an article, escaped for display.

Used by the revision compare page and by the edit conflict message. Values are compared as
plain text (rich text is reduced to its words), and every piece of text is escaped before it
is wrapped in <del>/<ins>, so nothing in an article can become markup here.
"""

import difflib
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from newsroom.lib.html import to_text

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


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str

    @property
    def html(self) -> SafeString:
        return inline_diff(self.before, self.after)


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
        FieldChange(label, before.get(name, ""), after.get(name, ""))
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
        "body": to_text(body or ""),
        "dateline_place": dateline_place or "",
        "language": language or "",
        "section": section or "",
        "also_in": ", ".join(sorted(also_in, key=str.casefold)),
        "credit": credit or "",
        "byline": ", ".join(byline),
        "tags": ", ".join(sorted(tags, key=str.casefold)),
    }
