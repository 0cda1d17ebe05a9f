"""News extractors read a story page as its reader does: trafilatura and newspaper4k, two libraries
that aggregators, archives and research crawlers use, given a page a real server rendered. Each must
find the exact headline, every author in order, the publication date, and the story's text with
nothing of the page around it (promo line, About box, navigation, footer, other stories). Neither
may reach outside this machine while it reads: a socket guard refuses and records any attempt."""

import ipaddress
import socket
import urllib.request
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import newspaper
import pytest
import tldextract
import trafilatura
from bs4 import BeautifulSoup
from django.utils import timezone

from articles.models import Article, SiteSettings
from demo.content import load_demo
from tests.factories import ensure_editorial_groups, make_article, make_author

SEED_HEADLINE = "Xi, Putin resolve to deepen partnership, accuse US of upsetting strategic balance"
# An ordinary demo story: one author, a lead image (the one whose headline once came out with " · The Newsroom").
ORDINARY_HEADLINE = "City council approves year-long trial of overnight bus network"


@dataclass
class Reading:
    """What an extractor took from a page."""

    headline: str
    authors: list[str]
    published: date | None
    lines: list[str]  # the text, one block (paragraph, heading) a line
    image: str | None


def read_with_trafilatura(html: str, url: str) -> Reading:
    document = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    return Reading(
        headline=document.title,
        authors=document.author.split("; ") if document.author else [],
        published=date.fromisoformat(document.date) if document.date else None,
        lines=blocks(document.text, "\n"),
        image=document.image,
    )


def read_with_newspaper(html: str, url: str) -> Reading:
    # fetch_images=False: newspaper4k would otherwise download candidate images to size them.
    article = newspaper.Article(url, fetch_images=False)
    article.download(input_html=html)
    article.parse()
    return Reading(
        headline=article.title,
        authors=article.authors,
        # newspaper4k ranks a date in the URL (/2024/05/16/) above every other: it gives the day, not the time.
        published=article.publish_date.date() if article.publish_date else None,
        lines=blocks(article.text, "\n\n"),
        image=article.top_image or None,
    )


EXTRACTORS = {"trafilatura": read_with_trafilatura, "newspaper4k": read_with_newspaper}


def blocks(text: str, separator: str) -> list[str]:
    return [" ".join(block.split()) for block in text.split(separator) if block.strip()]


def text_blocks(html: str) -> list[str]:
    """The story body's paragraphs and headings, as a reader sees them."""
    soup = BeautifulSoup(html, "html.parser")
    return [" ".join(node.get_text(" ").split()) for node in soup.find_all(["p", "h2", "h3", "h4", "li"])]


def is_loopback(host) -> bool:
    if host in (None, "localhost", b"localhost"):
        return True
    try:
        return ipaddress.ip_address(host.decode() if isinstance(host, bytes) else host).is_loopback
    except ValueError:
        return False


def address_host(sock, address):
    return address[0] if sock.family in (socket.AF_INET, socket.AF_INET6) else None


@pytest.fixture
def outside_requests(monkeypatch) -> list:
    """Every attempt to look up or connect to a host other than this machine, refused and recorded
    (libraries catch a refused request and carry on, so the record is what a test asserts on)."""
    attempts = []

    def guarded(real, describe):
        def call(*args, **kwargs):
            host = describe(*args)
            if not is_loopback(host):
                attempts.append(f"{real.__name__} {host}")
                raise OSError(f"test guard: no request outside this machine ({host})")
            return real(*args, **kwargs)

        return call

    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        monkeypatch.setattr(socket, name, guarded(getattr(socket, name), lambda host, *rest: host))
    for name in ("connect", "connect_ex"):
        monkeypatch.setattr(socket.socket, name, guarded(getattr(socket.socket, name), address_host))
    # tldextract (newspaper4k uses it for domains) fetches the public suffix list on first use unless
    # told not to: no URLs and no disk cache leaves it the snapshot it ships, as its docs describe.
    monkeypatch.setattr(
        tldextract.tldextract, "TLD_EXTRACTOR", tldextract.TLDExtract(cache_dir=None, suffix_list_urls=())
    )
    return attempts


def served(live_server, article: Article) -> tuple[str, str]:
    url = live_server.url + article.get_absolute_url()
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        return response.read().decode("utf-8"), url


def page_furniture(html: str) -> list[str]:
    """Texts of the page around the story: masthead, navigation, footer, hashtags, other stories."""
    soup = BeautifulSoup(html, "html.parser")
    nodes = soup.select(".skip-link, .masthead a, .site-nav a, .site-footer p, .site-footer a, .hashtags a, .more h2")
    texts = {" ".join(node.get_text(" ").split()) for node in nodes}
    assert len(texts) >= 10, texts  # the page has its furniture: a check of nothing proves nothing
    return sorted(texts)


def assert_reads_the_story(reading: Reading, article: Article, html: str) -> None:
    story = text_blocks(article.body)
    assert reading.lines, "no text extracted"
    assert story[0] in reading.lines
    assert story[-1] in reading.lines
    # The text is the story (trafilatura leads with the headline and standfirst) and nothing else.
    assert set(reading.lines) <= {article.headline, article.standfirst, *story}
    text = "\n".join(reading.lines)
    assert SiteSettings.load().promo_text not in text
    page = BeautifulSoup(html, "html.parser")
    assert " ".join(page.select_one(".promo").get_text().split()) not in text
    assert "About The Author" not in text
    for bio in page.select(".about__bio"):
        assert " ".join(bio.get_text().split()) not in text
    for furniture in page_furniture(html):
        assert furniture not in reading.lines


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_extractors_read_the_seed_story(live_server, outside_requests, extractor):
    ensure_editorial_groups()
    load_demo(password="demo-password-for-tests", pictures=False)
    article = Article.objects.published().get(headline=SEED_HEADLINE)
    html, url = served(live_server, article)

    reading = EXTRACTORS[extractor](html, url)

    assert reading.headline == SEED_HEADLINE
    # The byline, then the credit line's agency, as the JSON-LD names them.
    assert reading.authors == ["Sandeep Dikshit", "Tribune News Service"]
    assert reading.published == date(2024, 5, 16)
    assert_reads_the_story(reading, article, html)
    assert outside_requests == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_extractors_read_an_ordinary_story_with_a_lead_image(live_server, outside_requests, extractor):
    ensure_editorial_groups()
    load_demo(password="demo-password-for-tests")
    article = Article.objects.published().get(headline=ORDINARY_HEADLINE)
    assert article.lead_image is not None and len(article.byline_authors) == 1 and article.credit is None
    html, url = served(live_server, article)

    reading = EXTRACTORS[extractor](html, url)

    assert reading.headline == ORDINARY_HEADLINE
    assert reading.authors == [article.byline_authors[0].name]
    assert reading.published == timezone.localtime(article.published_at).date()
    assert_reads_the_story(reading, article, html)
    assert urlsplit(reading.image).path.startswith(f"/media/{article.lead_image.folder}/")
    assert outside_requests == []


@pytest.mark.django_db
@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_extractors_read_non_ascii_author_names_exactly(client, outside_requests, extractor):
    authors = [make_author("Zoë O'Brien-Åström"), make_author("Łukasz Nowak")]
    article = make_article("Ça va? São Paulo’s 東京 twin", authors=authors, body="<p>Both cities signed.</p>")
    response = client.get(article.get_absolute_url())

    reading = EXTRACTORS[extractor](response.content.decode(), "http://testserver" + article.get_absolute_url())

    assert reading.headline == "Ça va? São Paulo’s 東京 twin"
    assert reading.authors == ["Zoë O'Brien-Åström", "Łukasz Nowak"]
    assert outside_requests == []


def test_the_guard_records_a_request_outside_this_machine(outside_requests):
    # tldextract as newspaper4k would find it untold: no cache, so it asks for the public suffix list.
    untold = tldextract.TLDExtract(cache_dir=None)
    assert untold("http://news.example.co.uk/").suffix == "co.uk"  # from its snapshot, once refused
    assert outside_requests and all("getaddrinfo" in attempt for attempt in outside_requests)
    with socket.socket() as sock, pytest.raises(OSError, match="test guard"):
        sock.connect(("192.0.2.1", 80))
    assert outside_requests[-1] == "connect 192.0.2.1"
