"""A reader's search, read as PostgreSQL's websearch_to_tsquery reads it: words that must all be
there, "quoted phrases", `or` between two terms for either, and `-word` (or `-"a phrase"`) for
one left out. PostgreSQL answers such a query with its full-text index; where there is none
(SQLite) this module says what the query asks for, as patterns that match whole words only
("xi" is not found in "taxis"), in any case and any script.
"""

import re
from dataclasses import dataclass

# A token: a phrase in quotes (an unclosed quote runs to the end), or a run of anything else.
TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Term:
    """A word, or a phrase (words one after the other), that must be there, or must not (negated)."""

    words: tuple[str, ...]
    negated: bool = False


# A query: clauses that must all hold, each a choice of terms (`or`), any one of which holds.
Query = tuple[tuple[Term, ...], ...]


def parse(text: str) -> Query:
    """The clauses of a search, as websearch_to_tsquery reads it: `or` joins the terms on either
    side of it, "-" before a term leaves it out; punctuation is no word ("covid-19" is the phrase
    "covid 19"), and an `or` with no term before or after it is dropped."""
    clauses: list[list[Term]] = []
    either = False
    for found in TOKEN.finditer(text):
        quoted = found[2] is not None
        minus, body = (found[1], found[2]) if quoted else (found[3], found[4])
        words = tuple(WORD.findall(body))
        if not quoted and not minus and body.lower() == "or":
            either = bool(clauses)
            continue
        if not words:
            continue
        term = Term(words, negated=bool(minus))
        if either:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        either = False
    return tuple(tuple(clause) for clause in clauses)


def looks_for(query: Query) -> bool:
    """Whether the query asks for a word: a clause with no term left out. A query whose every
    clause leaves a term out ("-june", "budget or -june") is matched by every story without those
    words: a search for nothing that would read the whole archive."""
    return any(not any(term.negated for term in clause) for clause in query)


def words(query: Query) -> list[str]:
    """Every word the query names, left out or not, in order."""
    return [word for clause in query for term in clause for word in term.words]


# Between two words of a phrase: anything that is not a word. In stored HTML also a tag or an
# entity ("harbour</em> <em>bridge", "fish &amp; chips").
PLAIN_GAP = r"\W+"
HTML_GAP = r"(?:<[^>]*>|&#?\w+;|\W)+"


def pattern(term: Term, *, html: bool = False) -> str:
    """A regular expression (Python's, as SQLite's REGEXP runs it) for the term as whole words.
    In stored HTML (html=True) the words of a tag or an entity ("strong", "amp") are not text."""
    words = (re.escape(word) for word in term.words)
    if html:
        return r"(?<![\w&#])" + HTML_GAP.join(words) + r"(?!\w)(?![^<>]*>)"
    return r"(?<!\w)" + PLAIN_GAP.join(words) + r"(?!\w)"


def wanted(query: Query) -> list[Term]:
    """The terms a match shows (those not left out), longest first: what is highlighted."""
    terms = {term for clause in query for term in clause if not term.negated}
    return sorted(terms, key=lambda term: (-len(" ".join(term.words)), term.words))


def highlighter(query: Query) -> re.Pattern | None:
    """One pattern for every term a match shows, in plain text, case-insensitive; None if none."""
    terms = wanted(query)
    if not terms:
        return None
    return re.compile("|".join(f"(?:{pattern(term)})" for term in terms), re.IGNORECASE)
