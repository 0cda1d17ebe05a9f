"""Readers' pages. Every one starts from Article.objects.published(); each runs a fixed number
of queries whatever the data size (tests pin them)."""

import re
from datetime import date

from django.core.cache import caches
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.http import require_safe
from markupsafe import Markup

from articles.models import Article, ShareLink, SlugRedirect, public_authors, public_tags, public_tags_with_counts
from newsroom.lib.query import whole_number
from newsroom.lib.security import database_unavailable
from newsroom.lib.text import without_unusable_characters
from newsroom.lib.urls import absolute, is_canonical
from public import fragments, fronts, listings
from public import search as article_search
from public.caching import (
    LISTING,
    LISTING_OF,
    STORY,
    arrivals,
    author_listing,
    depends_on,
    page_state,
    public_page,
    section_listing,
    settings_for,
    shows,
    tag_listing,
)
from public.models import SitePage
from public.pagination import PER_PAGE, POSITION, Page, page_of
from public.sitemaps import (
    SITEMAPS,
    URLS_PER_MONTH,
    URLS_PER_SITEMAP,
    ArticleSitemap,
    StoryAddresses,
    article_months,
    live_stories_at_most,
    month_version,
    news_articles,
    sitemap_of,
)
from public.structured_data import breadcrumb_list, home_page, profile_page, section_trail

SEARCH_MAX_PAGES = 50
HOME = ""  # the home page's front, by the path of its page


def listing_page(request, listing: listings.Listing, *, also_shows=(), level: int = 2, **keys) -> tuple[Page, list]:
    """A keyset page of a listing and the rendered cards of its stories; a cursor past either end is a 404.
    `also_shows`: the rows of stories the page shows besides (a section's front above its listing):
    the listing's first page skips them, as a front's later blocks skip its earlier ones.

    The database picks the stories (only their keys are read); their cards come from the fragment cache.
    """
    shown = {row.pk for row in also_shows}

    def newest_rows(before, limit):
        if before is not None or not shown:
            return listing.rows(limit=limit, before=before, **keys)
        rows = listing.rows(limit=limit + len(shown), before=None, **keys)
        return [row for row in rows if row.pk not in shown][:limit]

    page = page_of(
        request,
        per_page=PER_PAGE,
        newest_rows=newest_rows,
        newer_querysets=lambda: [queryset.only(*listings.ROW_FIELDS) for queryset in listing.querysets(**keys)],
    )
    if not page.object_list and not page.first:
        raise Http404("No such page.")
    shows(request, [*also_shows, *page.object_list])
    lead = page.object_list[0] if page.first and page.object_list and not shown else None
    return page, fragments.cards(page.object_list, state=request.page_state, lead=lead, level=level)


def search_page(request, terms: article_search.SearchTerms) -> article_search.SearchPage:
    """A numbered page of search results, capped: deep pages of a search are not worth their cost."""
    number = whole_number(request.GET.get("page", "1"), least=1, most=SEARCH_MAX_PAGES)
    if number is None:
        raise Http404("No such page.")
    page = article_search.page(terms, number=number, per_page=PER_PAGE, most_pages=SEARCH_MAX_PAGES)
    if number > 1 and not page.rows:
        raise Http404("No such page.")
    return page


@require_safe
@public_page(depends=LISTING, front=lambda: HOME, reads=POSITION)
def home(request):
    """The home page's curated front, or the latest stories while it has none."""
    front = fronts.home_front(request)
    structured_data = home_page(request.site_settings)
    if front is None or not front.blocks:  # no front, or nothing live on it
        page, cards = listing_page(request, listings.LATEST)
        context = {"page": page, "cards": cards, "front": None, "structured_data": structured_data}
        return render(request, "public/home.html", context)
    if "before" in request.GET or "after" in request.GET:  # the home's pages before it had a front
        return redirect(f"{reverse('articles:latest')}?{request.GET.urlencode()}", permanent=True)
    return render(request, "public/home.html", {"front": front.blocks, "structured_data": structured_data})


@require_safe
@public_page(depends=LISTING, reads=POSITION)
def latest(request):
    """Every live story, newest first (the "most recent" block of a front leads here)."""
    page, cards = listing_page(request, listings.LATEST)
    return render(request, "public/latest.html", {"page": page, "cards": cards})


def front_preview_response(request, page_title: str, front: list) -> HttpResponse:
    """A front's layout (a draft, a scheduled one) in the readers' design for staff: never cached
    or indexed."""
    context = {"front": front, "preview": True, "preview_title": page_title}
    response = render(request, "public/home.html", context)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def preview_response(request, article: Article):
    """An unpublished article (read with for_page()) in the public template, with a banner: never
    cached or indexed (the admin preview and share links)."""
    parts = fragments.article_parts(article, state=page_state()[0], preview=True)
    response = render(request, "public/article_detail.html", {"article": article, "parts": parts, "preview": True})
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
@public_page(depends=STORY)
def article_detail(request, year: int, month: int, day: int, slug: str):
    article = listings.live_by_slug(slug)
    if article is None:
        moved = SlugRedirect.objects.filter(old_slug=slug, article__in=Article.objects.published()).first()
        if moved is None:
            raise Http404("No such article.")
        return redirect(moved.article, permanent=True)
    if not is_canonical(request, article.get_absolute_url()):
        return redirect(article, permanent=True)
    state = request.page_state
    parts = fragments.article_parts(article, state=state)
    section, tag = parts["section"], parts["more_tag"]
    # The "More in" lists change when a story comes into or leaves that section or tag: the page
    # depends on those arrivals (read before the rows) and on the stories the lists show.
    depends_on(
        request,
        section and arrivals(section_listing(section["slug"])),
        tag and arrivals(tag_listing(tag["slug"])),
    )
    # Their rows are kept under the page state (fragments.listing_head).
    in_section = on_tag = []
    if section:
        # A section the page state knows has no subsections skips their part of its listing.
        below = section["top_level"] and section["pk"] not in state.childless
        in_section = fragments.listing_head(
            "section",
            f"{section['pk']}.{below:d}",
            state=state,
            fetch=lambda: listings.section_head(section["pk"], top_level=below),
        )
    if tag:
        on_tag = fragments.listing_head("tag", str(tag["pk"]), state=state, fetch=lambda: listings.tag_head(tag["pk"]))
    in_section, on_tag = listings.more_after(article.pk, in_section=in_section, on_tag=on_tag)
    shows(request, [article, *in_section, *on_tag])
    cards = fragments.cards([*in_section, *on_tag], state=state, level=3)  # under "More in …"
    more = {"section": cards[: len(in_section)], "tag": cards[len(in_section) :]}
    return render(request, "public/article_detail.html", {"parts": parts, "more": more, "preview": False})


def shared_article(request, token: str):
    """An editor's share link: the one way an unpublished article is seen without a login."""
    link = ShareLink.from_token(token)
    if link is None:
        raise Http404("This link is not valid, or it has expired or been revoked.")
    article = Article.objects.for_page().get(pk=link.article_id)
    if article.is_live:
        return redirect(article)
    response = preview_response(request, article)
    response["Referrer-Policy"] = "no-referrer"  # the token must not leak to linked sites
    return response


@require_safe
@public_page
def tag_list(request):
    return render(request, "public/tag_list.html", {"tags": public_tags_with_counts().order_by("name")})


def same_but_case(public, slug: str) -> str | None:
    """The slug of the public tag or author (`public`) whose slug differs from this one only in
    case (/tags/China/ for /tags/china/: a link typed by hand), or None. Asked only on the way to
    a 404, so a found page costs nothing more."""
    return public.filter(slug__iexact=slug).exclude(slug=slug).values_list("slug", flat=True).first()


@require_safe
@public_page(depends=LISTING_OF, subject=lambda slug: tag_listing(slug), reads=POSITION)
def tag_detail(request, slug: str):
    # Only public tags: a tag of drafts alone and an unknown one take the same path (one query, 404).
    tag = fragments.lookup("tag", slug, state=request.page_state, fetch=lambda: public_tags().filter(slug=slug).first())
    if tag is None:
        if moved := same_but_case(public_tags(), slug):
            return redirect("articles:tag", slug=moved, permanent=True)
        raise Http404("No such tag.")
    page, cards = listing_page(request, listings.TAGGED, tag=tag.pk)
    if not page.object_list:
        raise Http404("No published articles carry this tag.")  # its name alone could leak a story
    return render(request, "public/tag_detail.html", {"tag": tag, "page": page, "cards": cards})


def section_profile(slug: str, parent: str | None = None) -> dict | None:
    """A section (listings.section_at) with its breadcrumbs' JSON-LD: kept under the page state's
    key, which every edit to a section and every story coming or going changes (the subsections
    shown are those with live stories)."""
    found = listings.section_at(slug, parent)
    if found is not None:
        found["structured_data"] = breadcrumb_list(section_trail(found["section"]))
    return found


def _section_page(request, slug: str, parent: str | None):
    key = f"{parent}/{slug}" if parent else slug
    found = fragments.lookup(
        "section",
        key,
        state=request.page_state,
        fetch=lambda: section_profile(slug, parent),
        version=request.page_state.key,
    )
    # An unknown address, a subsection under another parent and a section with nothing live
    # answer alike: its name alone could leak what the desk is preparing.
    if found is None:
        raise Http404("No such section.")
    section = found["section"]
    listing = listings.of_section(has_subsections=found["has_subsections"])
    # The section's curated front, above its listing, on its first page.
    front = None if "before" in request.GET or "after" in request.GET else fronts.section_front(request, section)
    # Under a front, the listing comes under its own "Latest in …" heading.
    level = 3 if front else 2
    page, cards = listing_page(
        request, listing, also_shows=front.rows if front else (), level=level, section=section.pk
    )
    if not page.object_list and not front:
        raise Http404("No such section.")
    context = {
        "section": section,
        "subsections": found["subsections"],
        "structured_data": found["structured_data"],
        "front": front.blocks if front else None,
        "page": page,
        "cards": cards,
    }
    return render(request, "public/section_detail.html", context)


@require_safe
@public_page(depends=LISTING_OF, subject=section_listing, front=fronts.section_page, reads=POSITION)
def section_detail(request, slug: str):
    return _section_page(request, slug, None)


@require_safe
@public_page(depends=LISTING_OF, subject=section_listing, front=fronts.section_page, reads=POSITION)
def subsection_detail(request, parent: str, slug: str):
    return _section_page(request, slug, parent)


@require_safe
@public_page
def author_list(request):
    authors = list(public_authors().order_by("name"))
    return render(
        request,
        "public/author_list.html",
        {
            "people": [author for author in authors if author.is_active and not author.is_organisation],
            "organisations": [author for author in authors if author.is_active and author.is_organisation],
            "former": [author for author in authors if not author.is_active],
        },
    )


@require_safe
@public_page(depends=LISTING_OF, subject=lambda slug: author_listing(slug), reads=POSITION)
def author_detail(request, slug: str):
    profile = fragments.lookup("author", slug, state=request.page_state, fetch=lambda: author_profile(slug))
    if profile is None:
        if moved := same_but_case(public_authors(), slug):
            return redirect("articles:author", slug=moved, permanent=True)
        raise Http404("No such author.")
    author = profile["author"]
    page, cards = listing_page(request, listings.of_author(credited=profile["credits"]), level=3, author=author.pk)
    if not page.object_list:
        raise Http404("No published articles by this author.")  # no enumeration of staff
    context = {"author": author, "profile": profile, "page": page, "cards": cards}
    return render(request, "public/author_detail.html", {**context, "structured_data": profile_page(author)})


def author_profile(slug: str) -> dict | None:
    """An author, their rendered profile, and whether any story credits them (most never are)."""
    # Only public authors: staff who never had a live story and unknown names answer alike.
    author = public_authors().select_related("photo").filter(slug=slug).first()
    if author is None:
        return None
    return {
        "author": author,
        "credits": Article.objects.filter(credit=author).exists(),
        "header": Markup(fragments.render("public/author_header.html", {"author": author})),  # noqa: S704 - our template
    }


@require_safe
@public_page(reads=("q", "page"))
def search(request):
    terms = article_search.parse(request.GET.get("q", ""))
    page = search_page(request, terms)  # a bad page number is a 404, with words to look for or not
    results = fragments.search_results(page.rows, terms) if terms else []
    return render(request, "public/search.html", {"terms": terms, "page": page, "results": results})


@require_safe
@public_page
def site_page(request, slug: str):
    """About, Contact, the corrections policy: kept under the site version, which an edit bumps."""
    page = fragments.lookup(
        "page", slug, state=request.page_state, fetch=lambda: SitePage.objects.filter(slug=slug).first()
    )
    if page is None:
        raise Http404("This page has not been written yet.")
    return render(request, "public/page.html", {"page": page})


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /search/",
        "",
        f"Sitemap: {absolute(reverse('sitemap'))}",
        f"Sitemap: {absolute(reverse('news-sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def server_error(request):
    """The 500 page: plain, and needing nothing (no database, no context processors) to render.

    When the database is out of reach it is a 503 with Retry-After: the failure is temporary and
    the connections recover by themselves once it is back."""
    if database_unavailable():
        page = loader.get_template("503.html", using="jinja2").render({})
        return HttpResponse(page, status=503, headers={"Retry-After": "10", "Cache-Control": "no-store"})
    return HttpResponseServerError(loader.get_template("500.html", using="jinja2").render({}))


XML = "application/xml; charset=utf-8"
# Sitemaps are kept under keys that change with what they show: the time only bounds memory.
SITEMAP_SECONDS = 60 * 60


def xml_document(request, template: str, context: dict) -> str:
    """A rendered XML document, well-formed whatever reached the database (see public.feeds.WellFormed)."""
    return without_unusable_characters(loader.render_to_string(template, context, request))


def xml_response(request, template: str, context: dict) -> HttpResponse:
    return HttpResponse(xml_document(request, template, context), content_type=XML)


def _section_url(name: str, number: int = 1) -> str:
    return absolute(reverse("sitemap-section", kwargs={"section": name})) + (f"?p={number}" if number > 1 else "")


def _index_locations(request) -> list[str] | None:
    """The sections /sitemap.xml lists, or None while everything fits in one file."""
    # Sections, tags and authors as counts of their tables: cheap, and at least as many as are
    # public; the pages exactly, from the page state.
    state = request.page_state
    bounds = {name: sitemap_of(name, state).upper_bound() for name in ("pages", "sections", "tags", "authors")}
    if live_stories_at_most(URLS_PER_SITEMAP - sum(bounds.values())):
        return None
    months = article_months(request.page_state.latest_live)
    files = {
        name: [_section_url(name, number) for number in range(1, max(1, -(-count // URLS_PER_SITEMAP)) + 1)]
        for name, count in bounds.items()
    }
    pages = files.pop("pages")
    return (
        pages
        + [_section_url(f"articles-{month:%Y-%m}") for month in months]
        + [location for locations in files.values() for location in locations]
    )


@require_safe
@public_page
def sitemap(request):
    """One sitemap while everything fits in one file; an index of sections once it does not."""
    # Kept with the page state's key, which changes with every change readers see.
    key = f"newsroom:sitemap-index:{request.page_state.key}:{URLS_PER_SITEMAP}"
    cache = caches["fragments"]
    if (locations := cache.get(key)) is None:
        locations = _index_locations(request) or []
        cache.set(key, locations, SITEMAP_SECONDS)
    if not locations:
        sections = [sitemap_of(name, request.page_state) for name in SITEMAPS]
        return xml_response(request, "sitemap.xml", {"urlset": [e for s in sections for e in s.entries(s.items())]})
    return xml_response(request, "sitemap_index.xml", {"sitemaps": locations})


MONTH_SECTION = re.compile(r"articles-(\d{4})-(\d{2})")


@require_safe
@public_page(reads=("p",))
def sitemap_section(request, section: str):
    """A month of stories (articles-2026-03), or a page of a whole section (?p=N): the index
    lists months for stories; /sitemap-articles.xml?p=N, which it listed before, still answers."""
    if found := MONTH_SECTION.fullmatch(section):
        year, number = int(found[1]), int(found[2])
        if not 1 <= number <= 12 or year < 1:
            raise Http404("No such sitemap.")
        return _month_section(request, date(year, number, 1))
    if section not in SITEMAPS:
        raise Http404("No such sitemap.")
    number = whole_number(request.GET.get("p", "1"), least=1, most=10_000)
    if number is None:
        raise Http404("No such sitemap page.")
    sitemap = sitemap_of(section, request.page_state)
    start = (number - 1) * URLS_PER_SITEMAP
    entries = sitemap.entries(sitemap.items()[start : start + URLS_PER_SITEMAP])
    if not entries and number > 1:
        raise Http404("No such sitemap page.")
    return xml_response(request, "sitemap.xml", {"urlset": entries})


def _month_section(request, month: date) -> HttpResponse:
    stories, revisions = month_version(month)
    if not stories:
        raise Http404("No such sitemap.")
    key = f"newsroom:sitemap-month:{month:%Y-%m}:{stories}:{revisions}"
    cache = caches["fragments"]
    if (document := cache.get(key)) is None:
        sitemap = ArticleSitemap(month)
        entries = sitemap.entries(sitemap.items()[:URLS_PER_MONTH])
        document = xml_document(request, "sitemap.xml", {"urlset": entries})
        cache.set(key, document, SITEMAP_SECONDS)
    return HttpResponse(document, content_type=XML)


@require_safe
@public_page
def news_sitemap(request):
    site = settings_for(request)
    address = StoryAddresses()
    entries = [
        (address(published_at, slug), published_at, headline, language)
        for published_at, slug, headline, language in news_articles()
    ]
    return xml_response(request, "sitemaps/news.xml", {"entries": entries, "publication": site.site_name})
