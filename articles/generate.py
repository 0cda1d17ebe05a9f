"""A newsroom's worth of data for benchmarks: deterministic for a seed, written in bulk.

Stories are published over the years before `until`, with 600–1,200-word bodies, one to three
bylines and three to eight tags. Authors and tags follow long-tail (Zipf) distributions, so a
few tags carry tens of thousands of stories and most carry a handful, as on a real site.
Generated stories bypass the workflow on purpose: they are test data, marked by their source uri.
"""

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import Article, Byline, TaggedArticle
from authors.models import Author

SOURCE_PREFIX = "urn:newsroom:generated:"
BATCH = 1000

FIRST_NAMES = [
    "Aisha",
    "Ana",
    "Arjun",
    "Ben",
    "Carla",
    "Chen",
    "Daniel",
    "Dev",
    "Elena",
    "Emma",
    "Farah",
    "Felix",
    "Grace",
    "Hana",
    "Hugo",
    "Ines",
    "Ivan",
    "Jade",
    "Jonas",
    "Kai",
    "Kavya",
    "Lena",
    "Leo",
    "Lina",
    "Luca",
    "Maya",
    "Mei",
    "Mira",
    "Nadia",
    "Nia",
    "Noah",
    "Omar",
    "Paul",
    "Priya",
    "Quinn",
    "Rafael",
    "Rosa",
    "Sam",
    "Sara",
    "Sofia",
    "Tariq",
    "Tom",
    "Uma",
    "Vera",
    "Wei",
    "Yara",
    "Yusuf",
    "Zoe",
    "Amara",
    "Bruno",
]
LAST_NAMES = [
    "Adeyemi",
    "Bakker",
    "Banerjee",
    "Castro",
    "Chen",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fernandes",
    "Fischer",
    "Garcia",
    "Haddad",
    "Hansen",
    "Ibrahim",
    "Ito",
    "Jensen",
    "Kapoor",
    "Kim",
    "Kowalski",
    "Larsen",
    "Lopez",
    "Mehta",
    "Moreau",
    "Murphy",
    "Nakamura",
    "Nguyen",
    "Novak",
    "Okafor",
    "Olsen",
    "Patel",
    "Petrov",
    "Quispe",
    "Raman",
    "Rossi",
    "Santos",
    "Schmidt",
    "Silva",
    "Singh",
    "Sousa",
    "Tanaka",
    "Torres",
    "Verma",
    "Wagner",
    "Walsh",
    "Weber",
    "Wong",
    "Yilmaz",
    "Zhang",
    "Mensah",
    "Lindqvist",
]
PLACES = [
    "Riverton",
    "Northfield",
    "Eastport",
    "Westbury",
    "Lakeside",
    "Hillcrest",
    "Brookhaven",
    "Fairview",
    "Kingsbridge",
    "Harbourside",
    "Millbrook",
    "Stonebridge",
    "Ashford",
    "Redcliffe",
    "Greenwich",
    "Oakridge",
]
TOPICS = [
    "Politics",
    "Economy",
    "Climate",
    "Health",
    "Education",
    "Transport",
    "Housing",
    "Crime",
    "Courts",
    "Science",
    "Technology",
    "Sport",
    "Football",
    "Culture",
    "Music",
    "Film",
    "Books",
    "Weather",
    "Business",
    "Markets",
    "Energy",
    "Agriculture",
    "Elections",
    "Parliament",
    "Local",
    "government",
    "Immigration",
    "Defence",
    "Diplomacy",
    "Trade",
    "Jobs",
    "Inflation",
    "Interest",
    "rates",
    "Banking",
    "Tourism",
    "Aviation",
    "Railways",
    "Roads",
    "Water",
    "Environment",
    "Wildlife",
    "Oceans",
    "Space",
    "Medicine",
    "Hospitals",
    "Schools",
    "Universities",
    "Police",
    "Fire",
    "service",
    "Religion",
    "Food",
    "Fashion",
    "Art",
    "Theatre",
    "Television",
    "Radio",
    "Media",
    "Internet",
    "Privacy",
    "Artificial",
    "intelligence",
    "Startups",
    "Retail",
]
# Words for text, most frequent first (Zipf): function words lead, news words follow.
WORDS = [
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "that",
    "is",
    "was",
    "for",
    "on",
    "it",
    "with",
    "as",
    "he",
    "she",
    "they",
    "said",
    "at",
    "by",
    "from",
    "his",
    "her",
    "be",
    "have",
    "has",
    "had",
    "are",
    "were",
    "an",
    "not",
    "this",
    "which",
    "but",
    "or",
    "their",
    "will",
    "would",
    "who",
    "been",
    "more",
    "one",
    "all",
    "its",
    "about",
    "new",
    "after",
    "also",
    "two",
    "year",
    "years",
    "than",
    "other",
    "people",
    "could",
    "over",
    "up",
    "into",
    "last",
    "first",
    "city",
    "council",
    "government",
    "minister",
    "report",
    "plan",
    "police",
    "court",
    "health",
    "school",
    "water",
    "budget",
    "public",
    "state",
    "local",
    "national",
    "election",
    "vote",
    "party",
    "leader",
    "officials",
    "week",
    "month",
    "today",
    "tuesday",
    "monday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "percent",
    "million",
    "billion",
    "money",
    "prices",
    "rates",
    "bank",
    "market",
    "trade",
    "jobs",
    "workers",
    "union",
    "strike",
    "hospital",
    "patients",
    "doctors",
    "nurses",
    "students",
    "teachers",
    "children",
    "families",
    "homes",
    "housing",
    "rent",
    "energy",
    "power",
    "gas",
    "oil",
    "climate",
    "weather",
    "storm",
    "flood",
    "drought",
    "heat",
    "river",
    "bridge",
    "road",
    "rail",
    "train",
    "bus",
    "airport",
    "flights",
    "travel",
    "tourism",
    "farmers",
    "crops",
    "food",
    "water",
    "science",
    "research",
    "study",
    "data",
    "report",
    "survey",
    "scientists",
    "university",
    "technology",
    "software",
    "company",
    "companies",
    "industry",
    "business",
    "growth",
    "inflation",
    "tax",
    "spending",
    "debt",
    "deficit",
    "reform",
    "law",
    "bill",
    "parliament",
    "committee",
    "inquiry",
    "investigation",
    "judge",
    "trial",
    "case",
    "prison",
    "crime",
    "safety",
    "fire",
    "emergency",
    "rescue",
    "region",
    "district",
    "village",
    "town",
    "residents",
    "community",
    "centre",
    "library",
    "museum",
    "festival",
    "music",
    "film",
    "art",
    "theatre",
    "football",
    "match",
    "team",
    "season",
    "league",
    "coach",
    "player",
    "players",
    "win",
    "won",
    "lost",
    "final",
    "game",
    "record",
    "history",
    "culture",
    "women",
    "men",
    "young",
    "older",
    "support",
    "against",
    "during",
    "before",
    "while",
    "since",
    "under",
    "between",
    "through",
    "across",
    "around",
    "among",
    "despite",
]


SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "da",
    "de",
    "di",
    "do",
    "du",
    "fa",
    "fe",
    "fi",
    "fo",
    "ka",
    "ke",
    "ki",
    "ko",
    "ku",
    "la",
    "le",
    "li",
    "lo",
    "lu",
    "ma",
    "me",
    "mi",
    "mo",
    "mu",
    "na",
    "ne",
    "ni",
    "no",
    "nu",
    "pa",
    "pe",
    "pi",
    "po",
    "ra",
    "re",
    "ri",
    "ro",
    "ru",
    "sa",
    "se",
    "si",
    "so",
    "ta",
    "te",
    "ti",
    "to",
    "va",
    "ve",
    "vi",
    "vo",
    "za",
    "ze",
    "zo",
]


def vocabulary() -> list[str]:
    """Words most frequent first, as in real text: function words, then a long tail in which the
    news words sit among thousands of rarer ones, so a search for two of them finds a few hundred
    stories, not every one."""
    function_words, news_words = WORDS[:60], WORDS[60:]
    rng = random.Random(0)  # noqa: S311 - repeatable made-up words, not a secret
    rare = sorted({"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(30_000)})
    rng.shuffle(rare)
    tail = rare[:25_000]
    # Spread the news words through ranks 300 to 3,000 of the tail.
    for index, word in enumerate(news_words):
        tail.insert(300 + index * 10, word)
    return function_words + tail


@dataclass(frozen=True)
class Counts:
    articles: int
    authors: int
    tags: int
    bylines: int
    tagged: int


def _zipf_weights(n: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(n)))


def _sentence(rng: random.Random, words: list[str], cum: list[float]) -> str:
    chosen = rng.choices(words, cum_weights=cum, k=rng.randint(8, 22))
    return " ".join(chosen).capitalize() + "."


def _paragraphs(rng: random.Random, words: list[str], cum: list[float], total_words: int) -> str:
    paragraphs, written = [], 0
    while written < total_words:
        sentences = [_sentence(rng, words, cum) for _ in range(rng.randint(3, 6))]
        written += sum(sentence.count(" ") + 1 for sentence in sentences)
        paragraphs.append(f"<p>{' '.join(sentences)}</p>")
    return "".join(paragraphs)


def _distinct(rng: random.Random, population: list, cum: list[float], k: int) -> list:
    chosen: dict = {}
    while len(chosen) < k:
        for item in rng.choices(population, cum_weights=cum, k=k):
            chosen.setdefault(item.pk, item)
    return list(chosen.values())[:k]


def _make_authors(rng: random.Random, count: int, seed: int) -> list[Author]:
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(names)
    authors = []
    for n in range(count):
        organisation = n % 20 == 19
        if organisation:
            name = f"{rng.choice(PLACES)} {rng.choice(['News Service', 'Press', 'Wire', 'Data Desk'])} {n}"
        else:
            name = names[n % len(names)] + ("" if n < len(names) else f" {n // len(names) + 1}")
        authors.append(
            Author(
                name=name,
                slug=f"{slugify(name)}-g{seed}-{n}",
                kind=Author.Kind.ORGANISATION if organisation else Author.Kind.PERSON,
                job_title="" if organisation else rng.choice(["Reporter", "Correspondent", "Editor", "Columnist"]),
                bio=f"<p>{_sentence(rng, WORDS, _zipf_weights(len(WORDS), 1.0))}</p>",
            )
        )
    return Author.objects.bulk_create(authors, batch_size=BATCH)


def _make_tags(rng: random.Random, count: int, seed: int) -> list[Tag]:
    names = list(dict.fromkeys(TOPICS))
    extra = [w.capitalize() for w in WORDS[60:]] + PLACES
    while len(names) < count:
        names.append(f"{rng.choice(extra)} {rng.choice(TOPICS).lower()} {len(names)}")
    names = names[:count]
    # Tags that exist already (the demo's "Climate", say) are reused, not duplicated.
    Tag.objects.bulk_create(
        [Tag(name=name, slug=f"{slugify(name)}-g{seed}") for name in names], batch_size=BATCH, ignore_conflicts=True
    )
    by_name = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    return [by_name[name] for name in names]


def already_generated(seed: int) -> bool:
    return Article.objects.filter(source_uri__startswith=f"{SOURCE_PREFIX}{seed}:").exists()


def generate(
    *, articles: int, authors: int, tags: int, seed: int = 1, until: datetime, progress: Callable[[int], None] = None
) -> Counts:
    """Write the data in batches, each batch in one transaction. Returns what was written."""
    if already_generated(seed):
        raise ValueError(f"Data for seed {seed} has been generated in this database already.")
    rng = random.Random(seed)  # noqa: S311 - repeatable generated stories, not a secret
    words = vocabulary()
    word_cum = _zipf_weights(len(words), 1.05)
    with transaction.atomic():
        author_rows = _make_authors(rng, authors, seed)
        tag_rows = _make_tags(rng, tags, seed)
    people = [a for a in author_rows if a.kind == Author.Kind.PERSON]
    organisations = [a for a in author_rows if a.kind == Author.Kind.ORGANISATION]
    people_cum, tag_cum = _zipf_weights(len(people), 0.8), _zipf_weights(len(tag_rows), 1.0)
    span = timedelta(days=5 * 365)
    bylines = tagged = 0
    for start in range(0, articles, BATCH):
        batch = []
        for n in range(start, min(start + BATCH, articles)):
            published = until - span * (n / max(articles, 1)) - timedelta(minutes=rng.randint(0, 600))
            headline = " ".join(rng.choices(WORDS[60:], k=rng.randint(6, 11))).capitalize()
            status = Article.Status.PUBLISHED if rng.random() > 0.02 else Article.Status.DRAFT
            batch.append(
                Article(
                    headline=headline,
                    slug=f"{slugify(headline)[:150]}-g{seed}-{n}",
                    standfirst=" ".join(_sentence(rng, words, word_cum) for _ in range(2)),
                    body=_paragraphs(rng, words, word_cum, rng.randint(600, 1200)),
                    dateline_place=rng.choice(PLACES),
                    language="en",
                    status=status,
                    published_at=published if status == Article.Status.PUBLISHED else None,
                    updated_at=(
                        published + timedelta(hours=rng.randint(1, 30))
                        if status == Article.Status.PUBLISHED and rng.random() < 0.1
                        else None
                    ),
                    credit=rng.choice(organisations) if organisations and rng.random() < 0.15 else None,
                    source_uri=f"{SOURCE_PREFIX}{seed}:{n}",
                )
            )
        with transaction.atomic():
            created = Article.objects.bulk_create(batch)
            byline_rows, tag_links = [], []
            for article in created:
                for position, author in enumerate(_distinct(rng, people, people_cum, rng.randint(1, 3))):
                    byline_rows.append(Byline(article=article, author=author, position=position))
                for tag in _distinct(rng, tag_rows, tag_cum, rng.randint(3, 8)):
                    tag_links.append(TaggedArticle(content_object=article, tag=tag))
            Byline.objects.bulk_create(byline_rows, batch_size=5000)
            TaggedArticle.objects.bulk_create(tag_links, batch_size=5000)
        bylines += len(byline_rows)
        tagged += len(tag_links)
        if progress:
            progress(len(created))
    return Counts(articles, len(author_rows), len(tag_rows), bylines, tagged)


def analyze() -> None:
    """Fresh planner statistics after a bulk load (without them one tag query took 30-40 ms)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
