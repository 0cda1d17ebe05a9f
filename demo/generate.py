"""A newsroom's worth of data for benchmarks: deterministic for a seed, written in bulk.

Stories are published over the years before `until`, with 600–1,200-word bodies, one to three
bylines and three to eight tags. Authors and tags follow long-tail (Zipf) distributions, so a
few tags carry tens of thousands of stories and most carry a handful, as on a real site.
Generated stories bypass the workflow on purpose: they are test data, marked by their source uri.
"""

import itertools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from hashlib import blake2b
from pathlib import Path

from django.db import connection, models, transaction
from django.utils.text import slugify
from taggit.models import Tag

from articles import changes
from articles.models import SEARCH_INDEXES, Article, Byline, TaggedArticle
from authors.models import Author
from demo import sections as demo_sections
from fronts.models import Block, arrange

SOURCE_PREFIX = "urn:newsroom:generated:"
BATCH = 1000

DATA = Path(__file__).resolve().parent / "data" / "words.json"


def source_version(*files: Path) -> str:
    """The generator's version: a digest of its code and word lists, so that any change to what
    it writes changes the version without anyone remembering to raise a number."""
    digest = blake2b(digest_size=6)
    for file in files:
        digest.update(file.read_bytes())
    return f"generator-{digest.hexdigest()}"


# Stamped on every generated story (as its source_version): `make bench-data` (--if-missing)
# replaces data an older version wrote instead of measuring it.
VERSION_FILES = (Path(__file__), DATA, Path(demo_sections.__file__))
VERSION = source_version(*VERSION_FILES)
_WORDS = json.loads(DATA.read_text())
FIRST_NAMES, LAST_NAMES, PLACES = _WORDS["first_names"], _WORDS["last_names"], _WORDS["places"]
TOPICS, SYLLABLES = _WORDS["topics"], _WORDS["syllables"]
# Words for text, most frequent first (Zipf): function words lead, news words follow.
WORDS = _WORDS["words"]


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


def _generated(seed: int):
    return Article.objects.filter(source_uri__startswith=f"{SOURCE_PREFIX}{seed}:")


def already_generated(seed: int) -> bool:
    """Data for this seed is there, whichever version of the generator wrote it."""
    return _generated(seed).exists()


def is_current(seed: int) -> bool:
    """The data for this seed was written by this version of the generator."""
    return already_generated(seed) and not _generated(seed).exclude(source_version=VERSION).exists()


def _delete_rows(queryset) -> int:
    """Delete the rows in one statement, without loading them or sending signals: generated
    data goes wholesale (100,000 stories), and the caller says once that content changed."""
    sql, params = queryset.values("pk").query.sql_with_params()
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({sql})", params)  # noqa: S608 - names from the model; values bound
        return cursor.rowcount


@transaction.atomic
def _release(stories) -> None:
    """Delete (or, where the reference may be empty, clear) every row that refers to these stories."""
    for relation in Article._meta.get_fields(include_hidden=True):
        if relation.many_to_many and relation.concrete:  # Article's own many-to-many tables
            through = relation.remote_field.through
            if not through._meta.auto_created:
                continue  # a model of ours (the tags'): its key to the story is read below
            _delete_rows(through.objects.filter(**{f"{relation.m2m_field_name()}__in": stories}))
        elif relation.many_to_many and relation.through._meta.auto_created:  # another's many-to-many
            through = relation.through
            _delete_rows(through.objects.filter(**{f"{relation.field.m2m_reverse_field_name()}__in": stories}))
        elif (relation.one_to_many or relation.one_to_one) and not relation.concrete:
            field = relation.field
            if field.model is Article:
                continue  # a story referring to another: none of these are generated
            rows = field.model._base_manager.filter(**{f"{field.name}__in": stories})
            if field.null and field.remote_field.on_delete is models.SET_NULL:
                rows.update(**{field.name: None})
            else:
                _delete_rows(rows)


def remove(seed: int) -> int:
    """Remove the stories, authors and tags generated for this seed (by any version). Returns
    how many stories went."""
    stories = _generated(seed)
    # Blocks of these tags (the generated front's included), then every row that refers to the
    # stories (bylines, tags, pins, the desk's presence and autosaves, the log...): found from
    # the models, so a new table that refers to stories cannot stop the removal.
    Block.objects.filter(tag__slug__endswith=f"-g{seed}").delete()
    _release(stories)
    removed = _delete_rows(stories)
    _delete_rows(
        Author.objects.filter(slug__regex=rf"-g{seed}-[0-9]+$")
        .exclude(bylines__isnull=False)
        .exclude(credited_articles__isnull=False)
    )
    _delete_rows(Tag.objects.filter(slug__endswith=f"-g{seed}").exclude(articles_taggedarticle_items__isnull=False))
    changes.announce_change()
    return removed


def _bulk_load_search_indexes(loading: bool) -> None:
    """On PostgreSQL the search indexes take each story at once (migration 0017); while loading in
    bulk they collect new entries in their pending lists, merged into each index afterwards."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for index in SEARCH_INDEXES:
            cursor.execute(f"ALTER INDEX {index} SET (fastupdate = {'on' if loading else 'off'})")
            if not loading:
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])


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
    # Sections from their own random stream, so the rest of the data stays as it was without them.
    placing = random.Random(seed * 7919)  # noqa: S311 - repeatable, not a secret
    sections = list(demo_sections.ensure_sections().values())
    section_cum = _zipf_weights(len(sections), 0.7)
    span = timedelta(days=5 * 365)
    bylines = tagged = 0
    _bulk_load_search_indexes(True)
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
                    section=placing.choices(sections, cum_weights=section_cum)[0],
                    kicker=placing.choice(demo_sections.KICKERS) if placing.random() < 0.1 else "",
                    source_uri=f"{SOURCE_PREFIX}{seed}:{n}",
                    source_version=VERSION,
                )
            )
        with transaction.atomic():
            created = Article.objects.bulk_create(batch)
            byline_rows, tag_links, placements = [], [], []
            for article in created:
                if placing.random() < 0.05:  # a few stories appear in a second section
                    also = placing.choice(sections)
                    if also.pk != article.section_id:
                        placements.append(Article.also_in.through(article=article, section=also))
                for position, author in enumerate(_distinct(rng, people, people_cum, rng.randint(1, 3))):
                    byline_rows.append(Byline(article=article, author=author, position=position))
                for tag in _distinct(rng, tag_rows, tag_cum, rng.randint(3, 8)):
                    tag_links.append(TaggedArticle(content_object=article, tag=tag))
            Byline.objects.bulk_create(byline_rows, batch_size=5000)
            TaggedArticle.objects.bulk_create(tag_links, batch_size=5000)
            Article.also_in.through.objects.bulk_create(placements, batch_size=5000)
        bylines += len(byline_rows)
        tagged += len(tag_links)
        if progress:
            progress(len(created))
    _bulk_load_search_indexes(False)
    if tag_rows:
        _home_front({section.slug: section for section in sections}, tag_rows[0], seed)
    changes.announce_change()
    return Counts(articles, len(author_rows), len(tag_rows), bylines, tagged)


def _home_front(sections: dict, busiest_tag: Tag, seed: int) -> None:
    """A home front of eight blocks over the generated stories, as a desk would arrange it: a lead
    pinned a few hours down the latest (a pin and deduplication have work to do), top stories,
    four sections, the busiest tag and the most recent."""
    lead = _generated(seed).filter(status=Article.Status.PUBLISHED).order_by("-published_at")[5:6].first()
    arrange(
        blocks=[
            {"kind": Block.Kind.LEAD, "count": 1, "pins": [lead] if lead else []},
            {"kind": Block.Kind.TOP, "count": 4, "title": "Top stories"},
            {"kind": Block.Kind.SECTION, "count": 4, "section": sections["world"]},
            {"kind": Block.Kind.SECTION, "count": 3, "section": sections["politics"]},
            {"kind": Block.Kind.SECTION, "count": 3, "section": sections["business"]},
            {"kind": Block.Kind.TAG, "count": 3, "tag": busiest_tag},
            {"kind": Block.Kind.SECTION, "count": 3, "section": sections["science"]},
            {"kind": Block.Kind.LATEST, "count": 6},
        ],
        note=f"Generated home front (seed {seed})",
    )


def analyze() -> None:
    """Fresh planner statistics after a bulk load (without them one tag query took 30-40 ms)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
