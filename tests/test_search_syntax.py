"""Readers' search does what its hint says, on PostgreSQL (full-text search) and on SQLite alike:
quoted phrases, `or`, `-word`; whole words only; what matched is marked; a story is found by the
names on its byline and its credit."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Article, Byline
from newsroom.lib import websearch
from tests.factories import make_article, make_author
from wire.importer import import_document

pytestmark = pytest.mark.django_db

HINT = "Use quotes for a phrase, “or” for either word, and a minus sign to leave a word out."


def results(client, query: str) -> list[tuple[str, str]]:
    """Each result's headline and snippet as a reader sees them, the marked words in [brackets]."""
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    for mark in page.select("mark"):
        mark.replace_with(f"[{mark.get_text()}]")
    return [
        (
            " ".join(card.select_one(".card__headline").get_text().split()),
            " ".join(card.select_one(".card__snippet").get_text().split()),
        )
        for card in page.select(".card")
    ]


def headlines(client, query: str) -> list[str]:
    return [headline for headline, _ in results(client, query)]


@pytest.fixture
def stories():
    """Stories an hour apart, newest first."""
    now = timezone.now()
    texts = [
        ("Council passes budget", "The vote was close.", "<p>The council voted for the budget late.</p>"),
        ("Taxis strike at dawn", "Drivers stop work.", "<p>Taxis stood still across the city.</p>"),
        ("Xi meets the press", "A rare interview.", "<p>Xi spoke for an hour.</p>"),
        ("Budget vote delayed", "Members walk out.", "<p>The vote on the budget moves to June.</p>"),
        ("Harbour reopens", "Ferries return.", "<p>The harbour was shut for a year.</p>"),
    ]
    for hours, (headline, standfirst, body) in enumerate(texts, start=1):
        make_article(headline, standfirst=standfirst, body=body, published_at=now - timedelta(hours=hours))


def test_the_hint_is_shown_because_its_syntax_is_honoured(client, stories):
    assert HINT in client.get("/search/").content.decode()


def test_a_quoted_phrase_matches_its_words_together_only(client, stories):
    assert headlines(client, '"budget vote"') == ["[Budget] [vote] delayed"]
    # Without quotes, both words anywhere: the headline's match first.
    assert headlines(client, "budget vote") == ["[Budget] [vote] delayed", "Council passes [budget]"]


def test_or_finds_either_word_newest_first(client, stories):
    assert headlines(client, "harbour or xi") == ["[Xi] meets the press", "[Harbour] reopens"]


def test_a_minus_sign_leaves_a_word_out_wherever_it_is(client, stories):
    assert headlines(client, "budget -june") == ["Council passes [budget]"]
    assert headlines(client, 'budget -"walk out"') == ["Council passes [budget]"]


def test_only_whole_words_match_and_exactly_they_are_marked(client, stories):
    ((headline, snippet),) = results(client, "xi")
    assert headline == "[Xi] meets the press"
    assert "[Xi] spoke for an hour" in snippet
    assert headlines(client, "axi") == []


def test_words_inside_markup_are_not_text(client):
    make_article("Quiet day", body='<p><strong>Nothing</strong> <a href="https://example.com/">happened</a>.</p>')
    assert headlines(client, "strong") == []
    assert headlines(client, "href") == []
    assert headlines(client, "nothing happened") == ["Quiet day"]


def test_a_snippet_starts_at_a_word_before_the_match(client):
    body = "<p>" + "Ordinary words come first in this story. " * 6 + "Then the ferry came back.</p>"
    make_article("Harbour news", standfirst="", body=body)
    ((_, snippet),) = results(client, "ferry")
    first_word = snippet.removeprefix("… ").split()[0]
    assert first_word in {"Ordinary", "words", "come", "first", "in", "this", "story."}, snippet
    assert "[ferry] came back" in snippet


def test_a_story_is_found_by_the_names_on_its_byline(client):
    make_article("Bridge reopens", authors=[make_author("Asha Verma"), make_author("Ben Okoro")])
    make_article("Ferry returns", authors=[make_author("Carla Ruiz")])
    assert headlines(client, "Verma") == ["Bridge reopens"]
    assert headlines(client, '"Ben Okoro"') == ["Bridge reopens"]
    assert sorted(headlines(client, "ruiz or okoro")) == ["Bridge reopens", "Ferry returns"]
    assert headlines(client, "bridge -verma") == ["Ferry returns"]  # its body names the bridge


def test_a_story_is_found_by_its_credit(client):
    make_article("Storm warning", credit=make_author("Northern Wire Agency", kind="organisation"))
    assert headlines(client, "northern wire") == ["Storm warning"]


def test_the_names_follow_every_change_of_the_byline_and_of_the_author(client):
    story = make_article("Bridge reopens")
    asha = make_author("Asha Verma")
    byline = Byline.objects.create(article=story, author=asha, position=0)  # after the story, as the desk saves
    assert headlines(client, "verma") == ["Bridge reopens"]
    asha.name = "Asha Verma-Singh"
    asha.save()
    assert headlines(client, "singh") == ["Bridge reopens"]
    byline.delete()
    assert headlines(client, "singh") == []
    story.credit = asha
    story.save(update_fields=["credit"])
    assert headlines(client, "singh") == ["Bridge reopens"]


def test_bylines_written_in_bulk_are_searchable(client):
    stories = [make_article(f"Story {n}") for n in range(3)]
    dana = make_author("Dana Whitfield")
    Byline.objects.bulk_create(Byline(article=story, author=dana, position=0) for story in stories)
    assert sorted(headlines(client, "whitfield")) == ["Story 0", "Story 1", "Story 2"]


def test_words_that_are_not_ascii_match_whole_and_in_any_case(client):
    make_article("Kjøpte ærlig øl på Ålesund", standfirst="", body="<p>Øl for alle.</p>")
    make_article("北京发布新的空气质量报告", standfirst="", body="<p>报告</p>")
    make_article("Mølle", authors=[make_author("Åse Ødegård")])
    assert headlines(client, "Ålesund") == ["Kjøpte ærlig øl på [Ålesund]"]
    assert headlines(client, "ødegård") == ["Mølle"]
    assert headlines(client, "øl") == ["Kjøpte ærlig [øl] på Ålesund"]
    assert headlines(client, "Øl") == ["Kjøpte ærlig [øl] på Ålesund"]
    assert headlines(client, "Ålesun") == []
    # In its body; in the headline it is part of a longer word.
    assert headlines(client, "报告") == ["北京发布新的空气质量报告"]


def test_a_control_character_is_no_part_of_the_words(client, stories):
    assert headlines(client, "\x00xi\x07") == ["[Xi] meets the press"]
    assert headlines(client, "\u200bharbour") == ["[Harbour] reopens"]


def test_an_absurdly_long_query_is_cut_after_a_whole_word_and_keeps_its_syntax(client, stories):
    query = "budget -june " + "harbour " * 5000
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert "only its first words were used" in page.select_one(".notice").get_text()
    assert [" ".join(h.get_text().split()) for h in page.select(".card__headline")] == []  # harbour and budget
    assert headlines(client, "budget -june " + "vote " * 5000) == ["Council passes [budget]"]


def test_a_query_of_nothing_but_syntax_finds_nothing_and_fails_nothing(client, stories):
    for query in ['"', "or", "-", '- "" or', "*", "&|!()<->:", "--", '-""']:
        assert headlines(client, query) == [], query


ADD_A_WORD = "Add a word to search for: a minus sign only leaves a word out"


@pytest.mark.parametrize("query", ["-budget", '-"walk out"', "-budget -harbour", "budget or -june", "-xi or -taxis"])
def test_a_search_that_only_leaves_words_out_asks_for_a_word_and_reads_no_story(client, stories, query):
    client.get("/search/", {"q": "warm"})  # the first request after a change fills the shared page state
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": query})
    page = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 200
    assert ADD_A_WORD in " ".join(page.select_one("main").get_text().split())
    assert not page.select(".card") and not page.select_one(".search-count")
    assert page.select_one("#search-q")["value"] == query, "the words stay in the box to add to"
    assert not [query["sql"] for query in queries if '"articles_article"' in query["sql"]]


def test_a_word_to_look_for_beside_words_left_out_is_a_search(client, stories):
    page = BeautifulSoup(client.get("/search/", {"q": "-june budget"}).content, "html.parser")
    assert ADD_A_WORD not in page.get_text()
    assert headlines(client, "-june budget") == ["Council passes [budget]"]


def byline_marks(client, query: str) -> list[tuple[str, str]]:
    """Each result's credit and byline as shown, the marked words in [brackets]."""
    page = BeautifulSoup(client.get("/search/", {"q": query}).content, "html.parser")
    for mark in page.select("mark"):
        mark.replace_with(f"[{mark.get_text()}]")

    def text(card, selector: str) -> str:
        node = card.select_one(selector)
        return " ".join(node.get_text().split()) if node else ""

    return [(text(card, ".card__credit"), text(card, ".card__byline")) for card in page.select(".card")]


def test_the_name_a_story_was_found_by_is_marked_in_its_byline_and_credit(client):
    make_article(
        "Bridge reopens",
        authors=[make_author("Asha Verma"), make_author("Ben Okoro")],
        credit=make_author("Northern Wire Agency", kind="organisation"),
    )
    assert byline_marks(client, "Verma") == [("Northern Wire Agency", "By Asha [Verma] and Ben Okoro")]
    assert byline_marks(client, '"ben okoro"') == [("Northern Wire Agency", "By Asha Verma and [Ben] [Okoro]")]
    assert byline_marks(client, "northern") == [("[Northern] Wire Agency", "By Asha Verma and Ben Okoro")]
    # Each name still links to its author's page.
    page = BeautifulSoup(client.get("/search/", {"q": "verma"}).content, "html.parser")
    assert [a["href"] for a in page.select(".card__byline a")] == ["/authors/asha-verma/", "/authors/ben-okoro/"]


def test_the_desk_search_finds_the_same_stories(client, stories):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL: the same full-text query answers both")
    assert list(Article.objects.matching("xi").values_list("headline", flat=True)) == ["Xi meets the press"]


def test_wire_stories_are_found_by_their_byline_and_credit():
    examples = Path(__file__).resolve().parent / "ninjs" / "examples"
    found = 0
    for path in sorted(examples.glob("*.json")):
        article = import_document(path.name, path.read_bytes()).article
        if article is None:
            continue
        names = [byline.author.name for byline in article.bylines.all()]
        names += [article.credit.name] if article.credit else []
        for name in names:
            assert Article.objects.matching(f'"{name}"').filter(pk=article.pk).exists(), (path.name, name)
            found += 1
    assert found, "the examples name someone"


def test_the_demo_stories_are_found_by_their_authors_and_agency(client, demo):
    from authors.models import Author

    for name in ("Sandeep Dikshit", "Tribune News Service", "Owen Marsh"):
        theirs = set(Article.objects.published().by(Author.objects.get(name=name)).values_list("headline", flat=True))
        page = BeautifulSoup(client.get("/search/", {"q": f'"{name}"'}).content, "html.parser")
        shown = {" ".join(h.get_text().split()) for h in page.select(".card__headline")}
        assert theirs and theirs <= shown, name


WORDS = st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=12).filter(
    lambda word: re.fullmatch(r"\w+", word)
)


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(word=WORDS, before=WORDS, after=WORDS, gap=st.sampled_from([" ", ", ", "\n", " — ", "'", "("]))
def test_a_word_matches_whole_and_never_inside_another(word, before, after, gap):
    found = re.compile(websearch.pattern(websearch.Term((word,))), re.IGNORECASE)
    assert found.search(f"{before}{gap}{word}{gap}{after}")
    assert not found.search(f"{before}{word}")
    assert not found.search(f"{word}{after}")
    if len(word.upper()) == len(word):  # "ß" is "SS": no longer the same word to a pattern
        assert found.search(f"{word.upper()}{gap}{after}")
