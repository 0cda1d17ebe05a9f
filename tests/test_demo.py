"""`load_demo` fills a fresh database with the seed story and demo accounts, and is safe to rerun."""

import io
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, SiteSettings
from authors.models import Author
from demo.content import DATA
from demo.sections import KICKERS, SECTIONS

pytestmark = pytest.mark.django_db

APPS = ["auth.user", "auth.group", "authors", "articles", "pictures", "taggit"]
STORIES = json.loads((DATA / "stories.json").read_text())["stories"]
LIVE = [entry for entry in STORIES if entry["state"] == "published"]


def dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", *APPS, indent=1, stdout=out)
    return out.getvalue()


def test_load_demo_twice_gives_the_same_database():
    call_command("load_demo", password="first-password-123", stdout=io.StringIO())
    first = dump()
    output = io.StringIO()
    call_command("load_demo", password="first-password-123", stdout=output)
    assert dump() == first
    assert "0 new objects" in output.getvalue()


def test_demo_has_stories_in_every_state_and_the_seed_authors(demo):
    assert Article.objects.published().count() == len(LIVE) + 1 == 23  # and the seed story
    assert Article.objects.drafts().exists()
    assert Article.objects.in_review().exists()
    assert Article.objects.scheduled().exists()
    assert Article.objects.drafts().filter(published_at__isnull=False).exists(), "an unpublished story"
    assert Article.objects.in_trash().exists(), "a story in the trash, to restore"

    agency = Author.objects.get(name="Tribune News Service")
    assert agency.kind == Author.Kind.ORGANISATION
    assert agency.bio.startswith("The Tribune News Service brings you the latest news, analysis and insights")
    assert Author.objects.get(name="Sandeep Dikshit").bio == ""


def test_demo_accounts_are_in_their_groups_and_can_log_in(demo, client):
    User = get_user_model()
    assert User.objects.get(username="admin").is_superuser
    assert list(User.objects.get(username="editor").groups.values_list("name", flat=True)) == ["Editors"]
    assert list(User.objects.get(username="writer").groups.values_list("name", flat=True)) == ["Writers"]
    editor = User.objects.get(username="editor")
    assert editor.check_password("demo-password-for-tests")
    client.force_login(editor)  # logging in by form is the browser tests' job (and axes would count it)
    assert client.get("/admin/").status_code == 200


def test_demo_stories_and_authors_have_pictures_with_alt_text():
    from demo.content import load_demo
    from pictures.models import Picture

    load_demo(password="first-password-123")
    pictured = Article.objects.published().filter(lead_image__isnull=False)
    assert pictured.count() >= 9
    newest = Article.objects.published().order_by("-published_at")[:12]
    assert sum(article.lead_image_id is not None for article in newest) >= 5, "a lead and four top stories"
    assert all(article.lead_image.alt_text for article in pictured)
    assert all(article.lead_image.renditions for article in pictured)
    assert Author.objects.filter(photo__isnull=False).count() >= 3
    site = SiteSettings.load()
    # The site's default share image and its logo, with their alt texts and the logo's square crop.
    assert site.default_share_image.alt_text and site.default_share_image.share_image() is not None
    assert site.publisher_logo.alt_text and site.publisher_logo_url.startswith(("http://", "https://"))
    in_bodies = sum(len(entry.get("body_pictures", {})) for entry in STORIES)
    assert in_bodies >= 4, "the story of every block: an inline picture and a gallery"
    shown = pictured.count() + Author.objects.filter(photo__isnull=False).count() + 2 + in_bodies
    assert Picture.objects.count() == shown


def test_every_section_and_subsection_has_at_least_two_live_stories(demo):
    for slug, name, _description, _parent in SECTIONS:
        assert Article.objects.published().filter(section__slug=slug).count() >= 2, name


def test_each_live_demo_story_reads_as_a_news_story(demo):
    """Our stories, not the seed (an agency's copy): 3 to 6 paragraphs of 150 to 350 words, a
    dateline, a byline, a section and, on the kicker, a label the desk uses."""
    for entry in LIVE:
        article = Article.objects.published().get(headline=entry["headline"])
        paragraphs = BeautifulSoup(article.body, "html.parser").find_all("p", recursive=False)
        words = len(BeautifulSoup(article.body, "html.parser").get_text(" ").split())
        assert 3 <= len(paragraphs) <= 6 and 150 <= words <= 350, (article.headline, len(paragraphs), words)
        assert article.dateline_place and article.standfirst and article.bylines.exists(), article.headline
        assert article.kicker in KICKERS or article.kicker == "", article.headline
    assert 0.25 <= sum(bool(entry.get("kicker")) for entry in LIVE) / len(LIVE) <= 0.45
    opinion = Article.objects.published().filter(section__slug="opinion")
    assert set(opinion.values_list("kicker", flat=True)) == {"Comment"}


def test_demo_stories_and_authors_pass_the_desks_validation(demo):
    """load_demo creates objects without a form: its data must be what the desk itself would accept."""
    for article in Article.objects.filter(headline__in=[entry["headline"] for entry in STORIES]):
        article.full_clean()
    for author in Author.objects.all():
        author.full_clean()


def test_non_ascii_headlines_keep_their_letters_in_the_page_and_the_address(demo, client):
    for place in ("São Paulo", "Kraków"):
        article = Article.objects.published().get(headline__startswith=place)
        assert place.lower().replace(" ", "-") in article.slug
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        page = BeautifulSoup(response.content, "html.parser")
        assert page.select_one("h1").get_text(strip=True) == article.headline
        assert page.select_one(".story__dateline").get_text(" ", strip=True).startswith(place)


def test_tag_pages_of_the_demo_list_several_stories(demo, client):
    for tag in ("transport", "city-council", "climate", "economy", "science"):
        page = BeautifulSoup(client.get(f"/tags/{tag}/").content, "html.parser")
        assert len(page.select(".card")) >= 3, tag


def test_new_demo_authors_have_pages_with_their_stories(demo, client):
    for author in Author.objects.filter(name__in=["Owen Marsh", "Marta Kowalczyk", "Kenji Hayashi", "Ruth Calloway"]):
        page = BeautifulSoup(client.get(author.get_absolute_url()).content, "html.parser")
        assert len(page.select(".card")) >= 2, author.name
        assert author.job_title, author.name
