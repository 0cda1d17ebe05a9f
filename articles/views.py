"""Readers' pages. Every one starts from Article.objects.published(); each runs a fixed number
of queries whatever the data size (tests pin them)."""

from datetime import UTC, datetime

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe
from markupsafe import Markup
from taggit.models import Tag

from articles import fragments
from articles import search as article_search
from articles.caching import page_state, public_page
from articles.models import Article, ShareLink, SlugRedirect, public_authors, public_tags_with_counts
from articles.ninjs.exporter import to_ninjs
from articles.pagination import Cursor, Page, older_than, page_of
from authors.models import Author
from newsroom.jinja2 import JSON_SCRIPT_ESCAPES
from newsroom.lib.prepared import Prepared
from newsroom.lib.query import whole_number
from newsroom.lib.security import database_unavailable
from newsroom.lib.urls import absolute

PAGE_SIZE = 20
SEARCH_MAX_PAGES = 50


class CappedPaginator(Paginator):
    """Counts at most SEARCH_MAX_PAGES pages of results; "more than 1,000" is as much as anyone needs."""

    @cached_property
    def count(self) -> int:
        limit = SEARCH_MAX_PAGES * self.per_page
        return self.object_list.order_by()[: limit + 1].count()


NINJS_FEED_SIZE = 30


class HtmlSafeJSONEncoder(DjangoJSONEncoder):
    """JSON whose text can never be taken for markup: <, > and & as \\u escapes (the data is the same)."""

    def encode(self, o) -> str:
        return super().encode(o).translate(JSON_SCRIPT_ESCAPES)


def _newest(queryset, before: Cursor | None = None):
    if before is not None:
        queryset = older_than(queryset, before)
    return queryset.order_by("-published_at", "-pk").values_list("pk", "published_at")[: PAGE_SIZE + 1]


# The pages of each listing, newest first, prepared: the first page and those reached by
# "Older stories". Sample values stand in for the moment, the position, the tag and the author
# until each request gives the real ones.
SAMPLE_TIME, SAMPLE_ID = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC), -987_654_321
SAMPLE_CURSOR = Cursor(datetime(1902, 3, 4, 5, 6, 7, tzinfo=UTC), -123_456_789)


def _prepared(build, **samples) -> tuple[Prepared, Prepared]:
    """The first page, and a page older than a cursor."""
    first = Prepared(lambda now, **values: _newest(build(now, **values)), now=SAMPLE_TIME, **samples)
    older = Prepared(
        lambda now, at, pk, **values: _newest(build(now, **values), Cursor(at, pk)),
        now=SAMPLE_TIME,
        at=SAMPLE_CURSOR.published_at,
        pk=SAMPLE_CURSOR.pk,
        **samples,
    )
    return first, older


NEWEST = _prepared(lambda now: Article.objects.published(at=now))
NEWEST_TAGGED = _prepared(
    lambda now, tag: Article.objects.published(at=now).filter(tagged_items__tag=tag), tag=SAMPLE_ID
)
NEWEST_BYLINED = _prepared(lambda now, author: Article.objects.published(at=now).by_parts(author)[0], author=SAMPLE_ID)
NEWEST_CREDITED = _prepared(lambda now, author: Article.objects.published(at=now).by_parts(author)[1], author=SAMPLE_ID)
LIVE_BY_SLUG = Prepared(
    lambda now, slug: Article.objects.published(at=now).filter(slug=slug).values_list("pk", "slug", "published_at"),
    now=SAMPLE_TIME,
    slug="prepared-sample-slug",
)


def rows_of(*prepared: tuple[Prepared, Prepared], **values):
    """first_rows for page_of(): the newest rows, or those before the cursor, from prepared queries."""

    def rows(before: Cursor | None) -> list:
        now = timezone.now()
        if before is None:
            return [row for first, _ in prepared for row in first.rows(now=now, **values)]
        return [
            row for _, older in prepared for row in older.rows(now=now, at=before.published_at, pk=before.pk, **values)
        ]

    return rows


def listing(request, querysets, first_rows) -> tuple[Page, list]:
    """A keyset page of a listing and the rendered cards of its stories; a cursor past either end is a 404.

    The database picks the stories (only their keys are read: `first_rows()` for the first page,
    the querysets `querysets()` builds for the others); their cards come from the fragment cache.
    """
    page = page_of(
        request,
        per_page=PAGE_SIZE,
        first_rows=first_rows,
        later=lambda: (queryset.only("pk", "published_at") for queryset in querysets()),
    )
    if not page.object_list and not page.first:
        raise Http404("No such page.")
    lead = page.object_list[0] if page.first and page.object_list else None
    return page, fragments.cards(page.object_list, state=request.page_state, lead=lead)


def search_page(request, queryset):
    """A numbered page of search results, capped: deep pages of a ranked search are not worth their cost."""
    number = whole_number(request.GET.get("page", "1"), least=1, most=SEARCH_MAX_PAGES)
    if number is None:
        raise Http404("No such page.")
    paginator = CappedPaginator(queryset, PAGE_SIZE, allow_empty_first_page=True)
    if number > paginator.num_pages:
        raise Http404("No such page.")
    return paginator.page(number)


@require_safe
@public_page
def home(request):
    page, cards = listing(request, lambda: [Article.objects.published()], first_rows=rows_of(NEWEST))
    return render(request, "articles/home.html", {"page": page, "cards": cards})


def preview_response(request, article: Article):
    """An unpublished article (read with for_page()) in the public template, with a banner: never
    cached or indexed (the admin preview and share links)."""
    parts = fragments.article_parts(article, state=page_state(), preview=True)
    response = render(request, "articles/article_detail.html", {"article": article, "parts": parts, "preview": True})
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
@public_page
def article_detail(request, year: int, month: int, day: int, slug: str):
    found = LIVE_BY_SLUG.rows(now=timezone.now(), slug=slug)
    article = Article(pk=found[0][0], slug=found[0][1], published_at=found[0][2]) if found else None
    if article is None:
        moved = SlugRedirect.objects.filter(old_slug=slug, article__in=Article.objects.published()).first()
        if moved is None:
            raise Http404("No such article.")
        return redirect(moved.article, permanent=True)
    # request.path is decoded; our URLs are percent-encoded (a slug may be "kjøpt").
    if escape_uri_path(request.path) != article.get_absolute_url():
        return redirect(article, permanent=True)
    parts = fragments.article_parts(article, state=request.page_state)
    return render(request, "articles/article_detail.html", {"parts": parts, "preview": False})


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
    return render(request, "articles/tag_list.html", {"tags": public_tags_with_counts().order_by("name")})


@require_safe
@public_page
def tag_detail(request, slug: str):
    tag = fragments.lookup("tag", slug, state=request.page_state, fetch=lambda: Tag.objects.filter(slug=slug).first())
    if tag is None:
        raise Http404("No such tag.")
    page, cards = listing(
        request,
        lambda: [Article.objects.published().filter(tagged_items__tag=tag)],
        first_rows=rows_of(NEWEST_TAGGED, tag=tag.pk),
    )
    if not page.object_list:
        raise Http404("No published articles carry this tag.")  # its name alone could leak a story
    return render(request, "articles/tag_detail.html", {"tag": tag, "page": page, "cards": cards})


@require_safe
@public_page
def author_list(request):
    authors = list(public_authors().order_by("name"))
    return render(
        request,
        "articles/author_list.html",
        {
            "people": [author for author in authors if author.is_active and not author.is_organisation],
            "organisations": [author for author in authors if author.is_active and author.is_organisation],
            "former": [author for author in authors if not author.is_active],
        },
    )


@require_safe
@public_page
def author_detail(request, slug: str):
    profile = fragments.lookup("author", slug, state=request.page_state, fetch=lambda: author_profile(slug))
    if profile is None:
        raise Http404("No such author.")
    author = profile["author"]
    page, cards = listing(
        request,
        lambda: Article.objects.published().by_parts(author),
        first_rows=rows_of(NEWEST_BYLINED, *([NEWEST_CREDITED] if profile["credits"] else []), author=author.pk),
    )
    if not page.object_list:
        raise Http404("No published articles by this author.")  # no enumeration of staff
    context = {"author": author, "profile": profile, "page": page, "cards": cards}
    return render(request, "articles/author_detail.html", context)


def author_profile(slug: str) -> dict | None:
    """An author, their rendered profile, and whether any story credits them (most never are)."""
    author = Author.objects.select_related("photo").filter(slug=slug).first()
    if author is None:
        return None
    return {
        "author": author,
        "credits": Article.objects.filter(credit=author).exists(),
        "header": Markup(fragments.render("articles/author_header.html", {"author": author})),  # noqa: S704 - our template
    }


@require_safe
@public_page
def search(request):
    terms = article_search.parse(request.GET.get("q", ""))
    page = search_page(request, article_search.search(terms).for_listing()) if terms else None
    results = []
    if page:
        marked = article_search.highlights(list(page.object_list), terms)
        results = [(article, *marked[article.pk]) for article in page.object_list]
    return render(request, "articles/search.html", {"terms": terms, "page": page, "results": results})


@require_safe
@public_page
def article_ninjs(request, year: int, month: int, day: int, slug: str):
    """A published article as IPTC ninjs 2.2, for syndication partners."""
    article = get_object_or_404(Article.objects.published().for_listing().with_tags(), slug=slug)
    canonical = f"{article.get_absolute_url()}ninjs.json"
    if escape_uri_path(request.path) != canonical:
        return redirect(canonical, permanent=True)
    return JsonResponse(to_ninjs(article), encoder=HtmlSafeJSONEncoder, json_dumps_params={"ensure_ascii": False})


@require_safe
@public_page
def ninjs_feed(request):
    """The latest published articles as ninjs 2.2 documents: {"items": [...]}, newest first."""
    articles = Article.objects.published().for_listing().with_tags()[:NINJS_FEED_SIZE]
    return JsonResponse(
        {"items": [to_ninjs(article) for article in articles]},
        encoder=HtmlSafeJSONEncoder,
        json_dumps_params={"ensure_ascii": False},
    )


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
