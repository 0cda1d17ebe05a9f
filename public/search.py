"""Search over published articles: PostgreSQL full-text search, with a simple fallback on SQLite.

Queries are capped before any work is done: at most MAX_QUERY_LENGTH characters and MAX_TERMS
words reach the database.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.html import escape
from markupsafe import Markup

from articles.models import SEARCH_CONFIG, Article
from newsroom.lib.html import to_text
from newsroom.lib.text import without_unusable_characters

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
RANK_WINDOW = 1_000
SNIPPET_WORDS = 40
# Markers ts_headline puts around matches: private-use characters that no article contains.
START, STOP = "\ue000", "\ue001"


@dataclass(frozen=True)
class SearchTerms:
    text: str
    words: list[str]
    shortened: bool

    def __bool__(self) -> bool:
        return bool(self.words)


def parse(raw: str) -> SearchTerms:
    """The reader's query, capped: the one place that decides how much of it is used."""
    raw = " ".join(without_unusable_characters(raw or "").split())
    shortened = len(raw) > MAX_QUERY_LENGTH
    text = raw[:MAX_QUERY_LENGTH]
    words = re.findall(r"\w+", text)
    if len(words) > MAX_TERMS:
        shortened = True
        words = words[:MAX_TERMS]
    return SearchTerms(text=text if not shortened else " ".join(words), words=words, shortened=shortened)


def _query(terms: SearchTerms) -> SearchQuery:
    return SearchQuery(terms.text, search_type="websearch", config=SEARCH_CONFIG)


def search(terms: SearchTerms) -> QuerySet[Article]:
    """Published articles matching the terms, best first.

    On PostgreSQL the RANK_WINDOW newest matches are ranked: ranking reads every matching
    document's vector, and a common word in a large archive matches tens of thousands.
    """
    published = Article.objects.published()
    if not terms:
        return published.none()
    if connection.vendor == "postgresql":
        query = _query(terms)
        # Ordered by an expression on purpose: ordered by the column, PostgreSQL walks the date
        # index and tests each story's vector (slow for rare words); this way it asks the GIN
        # index for the matches first, then sorts them by date.
        by_date = ExpressionWrapper(F("published_at") + timedelta(0), output_field=DateTimeField())
        # Read once (as ids): the page and its count both start from these, and finding them is
        # most of the cost for a common word (it was run twice, as a subquery of each).
        newest = list(
            published.matching(terms.text).order_by(by_date.desc()).values_list("pk", flat=True)[:RANK_WINDOW]
        )
        return (
            Article.objects.filter(pk__in=newest)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-published_at")
        )
    in_headline = Q()
    for word in terms.words:
        in_headline &= Q(headline__icontains=word)
    return (
        published.matching(" ".join(terms.words))
        .annotate(rank=Case(When(in_headline, then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("-rank", "-published_at")
    )


def _marked(text: str) -> Markup:
    """Escape a snippet, then turn the match markers into <mark>."""
    return Markup(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S704 - escaped above


def highlights(articles: list[Article], terms: SearchTerms) -> dict[int, tuple[Markup, Markup]]:
    """(headline, snippet) with the matched terms in <mark>, for the articles on one page."""
    if not articles or not terms:
        return {}
    if connection.vendor == "postgresql":
        query = _query(terms)
        rows = Article.objects.filter(pk__in=[article.pk for article in articles]).annotate(
            marked_headline=SearchHeadline(
                "headline", query, config=SEARCH_CONFIG, start_sel=START, stop_sel=STOP, highlight_all=True
            ),
            marked_body=SearchHeadline(
                "body",
                query,
                config=SEARCH_CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=SNIPPET_WORDS,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        return {
            row.pk: (_marked(row.marked_headline), _marked(to_text(row.marked_body)))
            for row in rows.only("pk", "headline", "body")
        }
    return {
        article.pk: (
            _mark_words(article.headline, terms.words),
            _mark_words(_snippet(article, terms.words), terms.words),
        )
        for article in articles
    }


def _snippet(article: Article, words: list[str]) -> str:
    text = to_text(f"{article.standfirst} {article.body}")
    lowered = text.lower()
    starts = [lowered.find(word.lower()) for word in words]
    first = min((start for start in starts if start >= 0), default=0)
    tokens = text[max(0, first - 80) :].split()
    snippet = " ".join(tokens[:SNIPPET_WORDS])
    return ("… " if first > 80 else "") + snippet + (" …" if len(tokens) > SNIPPET_WORDS else "")


def _mark_words(text: str, words: list[str]) -> Markup:
    # Whole words that start with a term: "vote" marks "voted", not the middle of "devoted".
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)
    return _marked(pattern.sub(lambda match: f"{START}{match.group(0)}{STOP}", text))
