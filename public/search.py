"""Search over published articles: PostgreSQL full-text search; on SQLite the same syntax
(quotes, `or`, `-word`: newsroom.lib.websearch) asked as whole words, without stemming.

Queries are capped before any work is done: at most MAX_QUERY_LENGTH characters and MAX_TERMS
words reach the database.
"""

import json
import operator
import re
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVectorField
from django.db import connection, transaction
from django.db.models import Func, Prefetch, Q, QuerySet
from django.db.models.functions import Left
from django.utils.html import escape
from markupsafe import Markup

from articles.models import SEARCH_CONFIG, Article, Byline
from newsroom.lib import websearch
from newsroom.lib.html import to_text
from newsroom.lib.text import without_unusable_characters

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
SNIPPET_WORDS = 40
# How much of a body ts_headline reads for a snippet: ~300 words (a body may have thousands).
SNIPPET_SOURCE_CHARACTERS = 2_000
# Markers ts_headline puts around matches: private-use characters that no article contains.
START, STOP = "\ue000", "\ue001"
EACH_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class SearchTerms:
    text: str
    words: list[str]
    shortened: bool
    query: websearch.Query

    def __bool__(self) -> bool:
        """Whether there is something to search for (websearch.looks_for): only then is anything read."""
        return websearch.looks_for(self.query)

    @property
    def only_left_out(self) -> bool:
        """Words, but each with a minus sign ("-june"): the reader is asked for a word to look for."""
        return bool(self.words) and not self


def parse(raw: str) -> SearchTerms:
    """The reader's query, capped: the one place that decides how much of it is used. A long
    one is cut after a whole word, so what is left keeps its quotes, `or` and minus signs."""
    raw = " ".join(without_unusable_characters(raw or "").split())
    shortened = len(raw) > MAX_QUERY_LENGTH
    text = raw[:MAX_QUERY_LENGTH]
    if shortened and " " in text and raw[MAX_QUERY_LENGTH] != " ":
        text = text.rsplit(" ", 1)[0]  # not half a word
    found = list(websearch.WORD.finditer(text))
    if len(found) > MAX_TERMS:
        shortened = True
        text = text[: found[MAX_TERMS - 1].end()]
    query = websearch.parse(text)
    return SearchTerms(text=text, words=websearch.words(query), shortened=shortened, query=query)


def _query(terms: SearchTerms) -> SearchQuery:
    return SearchQuery(terms.text, search_type="websearch", config=SEARCH_CONFIG)


class HeadlineLexemes(Func):
    """The headline's part of Article.search_title (its lexemes of weight A), indexed on its own
    (migration 0015): the SQL must stay the index's expression."""

    function = "ts_filter"
    template = "%(function)s(%(expressions)s, '{a}')"
    output_field = SearchVectorField()


# Planner settings for the tier queries, for their transaction only. Each search's plan depends on
# its words: a plan prepared once for all (psycopg prepares repeated statements, and PostgreSQL
# then may keep a generic plan) read 11,000 stories for "budget or election" (73 ms, not 0.2 ms).
CUSTOM_PLANS = {"plan_cache_mode": "force_custom_plan"}
# Testing a body's vector costs ~20 µs (it is read from TOAST), which the planner does not know:
# for a word it thinks common it reads every story (1.2 s at 100,000 stories, for "people") or
# walks the date index, which for a rarer word than it thinks tests thousands. Through the GIN
# index a page costs what the matches cost.
GIN_ONLY = {"enable_seqscan": "off", "enable_indexscan": "off"}
# The headline and standfirst tiers are read one of two ways, by how many stories the planner
# expects to match (its estimate from the index's statistics, asked with EXPLAIN: ~0.5 ms): a
# common word by walking the date index, where the newest 21 matches come within a few hundred
# stories (0.2 ms for a word in 10,000 headlines, against 22 ms through GIN); a rare or absent
# one through GIN (0.04 ms for a word in 37 headlines, against 170–300 ms walking all 100,000
# stories, which the planner chose when left to itself: it does not know a vector test's cost).
COMMON_MATCHES = 2_000
DATE_ORDER = {"enable_seqscan": "off", "enable_bitmapscan": "off"}
PLANNER_DEFAULTS = {
    "plan_cache_mode": "auto",
    "enable_seqscan": "on",
    "enable_indexscan": "on",
    "enable_bitmapscan": "on",
}


@dataclass(frozen=True)
class Tier:
    """Matches of one kind, newest first, and the planner settings to read them with."""

    matches: QuerySet[Article]
    planner: dict[str, str] = field(default_factory=dict)
    by_estimate: bool = False  # choose the planner settings by the expected number of matches

    def expected(self) -> int:
        """How many stories the planner expects to match (PostgreSQL only)."""
        plan = json.loads(self.matches.order_by().explain(format="json"))
        return int(plan[0]["Plan"]["Plan Rows"])

    def rows(self, limit: int) -> list[tuple[int, int]]:
        """The keys and public revisions of the `limit` newest matches."""
        planner = self.planner
        if self.by_estimate:
            planner = planner | (DATE_ORDER if self.expected() >= COMMON_MATCHES else GIN_ONLY)
        if planner:
            # Settings last to the end of the transaction: each tier says every one it may change.
            planner = PLANNER_DEFAULTS | planner
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(planner)),
                    [part for setting in planner.items() for part in setting],
                )
        return list(self.matches.values_list("pk", "public_revision")[:limit])


def tiers(terms: SearchTerms) -> list[Tier]:
    """Published articles matching the terms, best first: tiers read in turn, each newest first.

    On PostgreSQL: matches in the headline, then in the standfirst, then in the body only. No
    tier is ranked as a whole (ranking reads every match, and a common word matches most of a
    large archive), so a page costs about what a listing's page costs: the headline and
    standfirst tiers read the date index testing the small search_title vector (its headline
    part for the first), or ask their GIN index for a rarer word; the body tier, through the GIN
    index of search_vector, is read only when the first two hold too few. On SQLite: stories
    whose headline holds a term of every clause that asks for one, then the others.
    """
    published, newest = Article.objects.published(), ("-published_at", "-pk")
    if connection.vendor != "postgresql":
        matches = published.matching(terms.text)
        in_headline = Q()  # every clause that asks for a term has one in the headline
        for clause in terms.query:
            either = [Q(headline__iregex=websearch.pattern(term)) for term in clause if not term.negated]
            if len(either) == len(clause):
                in_headline &= reduce(operator.or_, either)
        return [
            Tier(matches.filter(in_headline).order_by(*newest)),
            Tier(matches.exclude(in_headline).order_by(*newest)),
        ]
    query, matches = _query(terms), published.matching(terms.text)
    # A match in the headline or standfirst is a match (search_vector begins with search_title),
    # unless the query leaves a word out ("-word") that the body holds: only then is the whole
    # vector tested too, as it costs ~20 µs a story.
    in_title = (matches if "-" in terms.text else published).alias(in_headline=HeadlineLexemes("search_title"))
    return [
        Tier(in_title.filter(in_headline=query).order_by(*newest), planner=CUSTOM_PLANS, by_estimate=True),
        Tier(
            in_title.filter(search_title=query).exclude(in_headline=query).order_by(*newest),
            planner=CUSTOM_PLANS,
            by_estimate=True,
        ),
        Tier(matches.exclude(search_title=query).order_by(*newest), planner=GIN_ONLY),
    ]


@dataclass(frozen=True)
class SearchPage:
    """One numbered page of results: the key and public revision of each story shown (highlighted()
    gives what each shows), and whether more stories match. Matches are never counted (a common
    word matches most stories)."""

    rows: list[tuple[int, int]]
    number: int
    per_page: int
    most_pages: int
    more: bool

    @property
    def shown_through(self) -> int:
        return (self.number - 1) * self.per_page + len(self.rows)

    def has_next(self) -> bool:
        return self.more and self.number < self.most_pages

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def page(terms: SearchTerms, *, number: int, per_page: int, most_pages: int) -> SearchPage:
    """Page `number` of the results: the keys of the matches up to its end, tier by tier (one query
    each, stopping once there are enough)."""
    start = (number - 1) * per_page
    wanted = start + per_page + 1  # one more tells whether more stories match
    rows: list[tuple[int, int]] = []
    if terms:  # nothing to look for ("-june"): nothing is read
        with transaction.atomic():  # the tiers' planner settings end with it
            for tier in tiers(terms):
                rows += tier.rows(wanted - len(rows))
                if len(rows) >= wanted:
                    break
    return SearchPage(
        rows=rows[start : start + per_page],
        number=number,
        per_page=per_page,
        most_pages=most_pages,
        more=len(rows) > start + per_page,
    )


def _marked(text: str) -> Markup:
    """Escape a snippet, then turn the match markers into <mark>."""
    return Markup(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S704 - escaped above


RESULT_FIELDS = (
    "headline",
    "slug",
    "published_at",
    "kicker",
    "section__name",
    "section__slug",
    "section__parent__name",
    "section__parent__slug",
    "credit__name",
    "credit__slug",
)


@dataclass(frozen=True)
class Result:
    """A story as a search result shows it, with what the search matched in <mark>: its headline,
    a snippet, the names on its byline (by author id) and its credit (a story is found by them)."""

    article: Article
    headline: Markup
    snippet: Markup
    names: dict[int, Markup]
    credit: Markup | None


def _marking(query: SearchQuery, expression, **options) -> SearchHeadline:
    """ts_headline of a field or expression with the match markers (PostgreSQL)."""
    return SearchHeadline(expression, query, config=SEARCH_CONFIG, start_sel=START, stop_sel=STOP, **options)


def highlighted(ids: list[int], terms: SearchTerms) -> list[Result]:
    """The articles with these ids, in this order, for a listing, with the matched terms in <mark>
    in their headline, snippet and names. On PostgreSQL ts_headline reads only the first
    SNIPPET_SOURCE_CHARACTERS of each body: it parses all the text it is given."""
    if not ids:
        return []
    # What a result shows: its section and kicker, headline, address, date, bylines and credit (no
    # picture or body: the snippet is made in SQL on PostgreSQL, from the standfirst and body on
    # SQLite). The names are marked with the rows that hold them: no query more.
    bylines = Byline.objects.select_related("author").only("article", "role", "author__name", "author__slug")
    articles = Article.objects.filter(pk__in=ids).select_related("section__parent", "credit")
    if connection.vendor == "postgresql":
        query = _query(terms)
        bylines = bylines.annotate(marked_name=_marking(query, "author__name", highlight_all=True))
        articles = articles.only(*RESULT_FIELDS).annotate(
            marked_headline=_marking(query, "headline", highlight_all=True),
            marked_credit=_marking(query, "credit__name", highlight_all=True),
            marked_body=_marking(
                query,
                Left("body", SNIPPET_SOURCE_CHARACTERS),
                max_words=SNIPPET_WORDS,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        articles = articles.prefetch_related(Prefetch("bylines", queryset=bylines))
        marked = {
            article.pk: Result(
                article,
                _marked(article.marked_headline),
                _marked(to_text(article.marked_body)),
                {byline.author_id: _marked(byline.marked_name) for byline in article.bylines.all()},
                _marked(article.marked_credit) if article.credit_id else None,
            )
            for article in articles
        }
    else:
        found = websearch.highlighter(terms.query)
        articles = articles.only(*RESULT_FIELDS, "standfirst", "body").prefetch_related(
            Prefetch("bylines", queryset=bylines)
        )
        marked = {
            article.pk: Result(
                article,
                _mark_words(article.headline, found),
                _mark_words(_snippet(article, found), found),
                {byline.author_id: _mark_words(byline.author.name, found) for byline in article.bylines.all()},
                _mark_words(article.credit.name, found) if article.credit_id else None,
            )
            for article in articles
        }
    return [marked[pk] for pk in ids if pk in marked]  # one taken down meanwhile is left out


def _snippet(article: Article, found: re.Pattern | None) -> str:
    """SNIPPET_WORDS words of the standfirst and body, from a word before the first match."""
    text = " ".join(to_text(f"{article.standfirst} {article.body}").split())
    match = found.search(text) if found else None
    first = match.start() if match else 0
    start = 0
    if first > 80:
        space = text.find(" ", first - 80, first)
        start = space + 1 if space >= 0 else first
    tokens = text[start:].split()
    snippet = " ".join(tokens[:SNIPPET_WORDS])
    return ("… " if start else "") + snippet + (" …" if len(tokens) > SNIPPET_WORDS else "")


def _mark_words(text: str, found: re.Pattern | None) -> Markup:
    """The text with what the search matched in it (whole words and phrases) marked."""
    if found is None:
        return _marked(text)
    # Each word of a matched phrase, as ts_headline marks them on PostgreSQL.
    return _marked(found.sub(lambda match: EACH_WORD.sub(f"{START}\\g<0>{STOP}", match.group(0)), text))
