"""No draft, in-review, scheduled, embargoed, unpublished or trashed story shows on any public surface.

Every public surface is listed in SURFACES: a new surface must join it.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, Section, SlugRedirect
from fronts.models import Block, arrange
from tests.factories import make_article, make_author, make_staff

pytestmark = pytest.mark.django_db

HIDDEN_STATES = {
    "draft": (Article.Status.DRAFT, None),
    "in_review": (Article.Status.IN_REVIEW, None),
    "scheduled": (Article.Status.PUBLISHED, timedelta(days=1)),
    "unpublished": (Article.Status.DRAFT, timedelta(days=-3)),
    # Published an hour ago by the clock, but the agency's embargo runs until tomorrow.
    "embargoed": (Article.Status.PUBLISHED, timedelta(hours=-1)),
    # Live for three days, with an old address that redirected, then moved to the trash.
    "trashed": (Article.Status.PUBLISHED, timedelta(days=-3)),
}


@pytest.fixture
def world(client):
    """One live story, and one hidden story with its own secret tag and author."""
    visible_author = make_author("Visible Writer")
    live = make_article("Live story everyone may read", authors=[visible_author], tags=["Public topic"])
    # Another live story in its section and topic: the live story's page has "More in" lists.
    make_article("Second live story", authors=[visible_author], tags=["Public topic"])
    return {"client": client, "live": live, "visible_author": visible_author}


def dashed(state: str) -> str:
    return state.replace("_", "-")


def hide(state: str) -> Article:
    """The hidden story is in the live story's section (News) and topic, and also in a section and
    a subsection of News that no live story is in: their names must show nowhere."""
    status, offset = HIDDEN_STATES[state]
    article = make_article(
        f"SECRET {state} headline",
        standfirst=f"SECRET {state} standfirst",
        body=f"<p>SECRET {state} body text zebracorn</p>",
        slug=f"secret-{state}",
        status=status,
        published_at=timezone.now() + offset if offset else None,
        authors=[make_author(f"Hidden Writer {state}", slug=f"hidden-writer-{state}")],
        credit=make_author(f"Hidden Agency {state}", slug=f"hidden-agency-{state}", kind="organisation"),
        tags=[f"Secret tag {state}", "Public topic"],
        embargoed_until=timezone.now() + timedelta(days=1) if state == "embargoed" else None,
    )
    secret = Section.objects.create(name=f"SECRET section {state}", slug=f"secret-section-{dashed(state)}")
    desk = Section.objects.create(
        name=f"SECRET desk {state}", slug=f"secret-desk-{dashed(state)}", parent=article.section
    )
    article.also_in.set([secret, desk])
    # An address it once had: a story that was live answers at one (301), a hidden one at none.
    SlugRedirect.objects.create(old_slug=f"old-secret-{dashed(state)}", article=article)
    if state == "trashed":
        article = workflow.trash(article, user=make_staff("trashing-editor", "Editors"), comment="Legal advice.")
    return article


def guessed_article_url(article: Article) -> str:
    when = timezone.localtime(article.published_at or timezone.now())
    return reverse(
        "articles:detail", kwargs={"year": when.year, "month": when.month, "day": when.day, "slug": article.slug}
    )


def front_showing(hidden: Article, section=None) -> None:
    """A front (the home's, or a section's) that pins the hidden story and has blocks of its tag
    and section."""
    arrange(
        section=section,
        blocks=[
            {"kind": Block.Kind.LEAD, "count": 1, "pins": [hidden]},
            {"kind": Block.Kind.TOP, "count": 3, "pins": [hidden]},
            {"kind": Block.Kind.TAG, "count": 3, "tag": hidden.tags.order_by("pk").first(), "pins": [hidden]},
            {"kind": Block.Kind.SECTION, "count": 3, "section": hidden.section},
            {"kind": Block.Kind.LATEST, "count": 3},
        ],
    )


def live_month() -> str:
    return f"{timezone.localtime(Article.objects.get(headline__startswith='Live').published_at):%Y-%m}"


SURFACES = {
    "home": lambda c, a, s: c.get("/"),
    "home front": lambda c, a, s: front_showing(a) or c.get("/"),
    "latest": lambda c, a, s: c.get("/latest/"),
    "article URL": lambda c, a, s: c.get(guessed_article_url(a)),
    "old address": lambda c, a, s: c.get(guessed_article_url(a).replace(a.slug, f"old-secret-{dashed(s)}")),
    "tag index": lambda c, a, s: c.get("/tags/"),
    "tag page": lambda c, a, s: c.get(f"/tags/secret-tag-{s.replace('_', '-')}/"),
    "public tag page": lambda c, a, s: c.get("/tags/public-topic/"),
    "author index": lambda c, a, s: c.get("/authors/"),
    "author page": lambda c, a, s: c.get(f"/authors/hidden-writer-{s}/"),
    "credit page": lambda c, a, s: c.get(f"/authors/hidden-agency-{s}/"),
    "RSS feed": lambda c, a, s: c.get("/feed/"),
    "Atom feed": lambda c, a, s: c.get("/feed/atom/"),
    "tag feed": lambda c, a, s: c.get(f"/tags/secret-tag-{s.replace('_', '-')}/feed/"),
    "author feed": lambda c, a, s: c.get(f"/authors/hidden-writer-{s}/feed/"),
    "tag Atom feed": lambda c, a, s: c.get(f"/tags/secret-tag-{s.replace('_', '-')}/feed/atom/"),
    "author Atom feed": lambda c, a, s: c.get(f"/authors/hidden-writer-{s}/feed/atom/"),
    "public tag Atom feed": lambda c, a, s: c.get("/tags/public-topic/feed/atom/"),
    "sitemap": lambda c, a, s: c.get("/sitemap.xml"),
    "sitemap section": lambda c, a, s: c.get("/sitemap-articles.xml"),
    "month sitemap": lambda c, a, s: c.get(f"/sitemap-articles-{live_month()}.xml"),
    "pages sitemap": lambda c, a, s: c.get("/sitemap-pages.xml"),
    "news sitemap": lambda c, a, s: c.get("/news-sitemap.xml"),
    # The queries match the hidden story but are not secrets themselves (the page repeats them).
    "search by headline": lambda c, a, s: c.get("/search/", {"q": "headline"}),
    "search by body": lambda c, a, s: c.get("/search/", {"q": "body text"}),
    "live article JSON-LD": lambda c, a, s: c.get(Article.objects.get(headline__startswith="Live").get_absolute_url()),
    "ninjs export": lambda c, a, s: c.get(guessed_article_url(a) + "ninjs.json"),
    "ninjs feed": lambda c, a, s: c.get("/ninjs/"),
    # Sections: the hidden story is in News with the live one, and alone in two sections of its own.
    "section page": lambda c, a, s: c.get("/news/"),
    "section front": lambda c, a, s: front_showing(a, a.section) or c.get("/news/"),
    "section feed": lambda c, a, s: c.get("/news/feed/"),
    "section Atom feed": lambda c, a, s: c.get("/news/feed/atom/"),
    "hidden section page": lambda c, a, s: c.get(f"/secret-section-{dashed(s)}/"),
    "hidden section feed": lambda c, a, s: c.get(f"/secret-section-{dashed(s)}/feed/"),
    "hidden section Atom feed": lambda c, a, s: c.get(f"/secret-section-{dashed(s)}/feed/atom/"),
    "hidden subsection page": lambda c, a, s: c.get(f"/news/secret-desk-{dashed(s)}/"),
    "hidden subsection feed": lambda c, a, s: c.get(f"/news/secret-desk-{dashed(s)}/feed/"),
    "hidden subsection Atom feed": lambda c, a, s: c.get(f"/news/secret-desk-{dashed(s)}/feed/atom/"),
    "sections sitemap": lambda c, a, s: c.get("/sitemap-sections.xml"),
    # The live story's "More in News" and "More on #Public topic" lists.
    "more lists": lambda c, a, s: c.get(Article.objects.get(headline="Second live story").get_absolute_url()),
}


# Pages about the hidden story, its tag or its people do not exist for readers; the rest answer
# as usual, without it.
NOT_FOUND = {
    "article URL",
    "old address",
    "tag page",
    "author page",
    "credit page",
    "tag feed",
    "author feed",
    "tag Atom feed",
    "author Atom feed",
    "ninjs export",
    "hidden section page",
    "hidden section feed",
    "hidden section Atom feed",
    "hidden subsection page",
    "hidden subsection feed",
    "hidden subsection Atom feed",
}


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_hidden_story_appears_on_no_public_surface(world, state, surface):
    hidden = hide(state)
    response = SURFACES[surface](world["client"], hidden, state)
    assert response.status_code == (404 if surface in NOT_FOUND else 200)
    body = response.content.decode()
    for secret in [
        "SECRET",
        "zebracorn",
        f"Hidden Writer {state}",
        f"Hidden Agency {state}",
        f"Secret tag {state}",
        f"secret-tag-{state.replace('_', '-')}",
        hidden.slug,
        f"secret-section-{dashed(state)}",
        f"secret-desk-{dashed(state)}",
    ]:
        assert secret not in body, f"{secret!r} leaked on {surface}"


@pytest.mark.parametrize(
    "surface", ["article URL", "old address", "tag page", "author page", "credit page", "tag feed", "author feed"]
)
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_hidden_story_urls_answer_404_not_403(world, state, surface):
    hidden = hide(state)
    assert SURFACES[surface](world["client"], hidden, state).status_code == 404


def test_the_surfaces_do_show_the_live_story(world):
    """The same surfaces, checked the other way, so that the test above cannot pass by showing nothing."""
    client, live = world["client"], world["live"]
    expected = {
        "/": live.headline,
        "/latest/": live.headline,
        live.get_absolute_url(): live.headline,
        "/tags/": "Public topic",
        "/tags/public-topic/": live.headline,
        "/authors/": "Visible Writer",
        "/authors/visible-writer/": live.headline,
        "/feed/": live.headline,
        "/feed/atom/": live.headline,
        "/tags/public-topic/feed/": live.headline,
        "/authors/visible-writer/feed/": live.headline,
        "/tags/public-topic/feed/atom/": live.headline,
        "/authors/visible-writer/feed/atom/": live.headline,
        "/sitemap.xml": live.slug,
        "/sitemap-articles.xml": live.slug,
        f"/sitemap-articles-{timezone.localtime(live.published_at):%Y-%m}.xml": live.slug,
        "/sitemap-pages.xml": "<loc>http://127.0.0.1:8000/authors/</loc>",
        "/news-sitemap.xml": live.headline,
        "/search/?q=everyone": live.get_absolute_url(),
        live.get_absolute_url() + "ninjs.json": live.headline,
        "/ninjs/": live.headline,
        "/news/": live.headline,
        "/news/feed/": live.headline,
        "/news/feed/atom/": live.headline,
        "/sitemap-sections.xml": "/news/",
        Article.objects.get(headline="Second live story").get_absolute_url(): 'More in <a href="/news/">News</a>',
    }
    for url, text in expected.items():
        assert text in client.get(url).content.decode(), url
    front_showing(live)
    assert live.headline in client.get("/").content.decode()
    SlugRedirect.objects.create(old_slug="old-live", article=live)
    old_address = client.get(live.get_absolute_url().replace(live.slug, "old-live"))
    assert (old_address.status_code, old_address["Location"]) == (301, live.get_absolute_url())
