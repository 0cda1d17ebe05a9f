"""Readers' pages. Every one starts from Article.objects.published(); each runs a fixed number
of queries whatever the data size (tests pin them)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.http import require_safe
from taggit.models import Tag

from articles import search as article_search
from articles.caching import public_page, settings_for
from articles.models import Article, ShareLink, SlugRedirect, public_authors, public_tags
from articles.ninjs.exporter import to_ninjs
from articles.structured_data import news_article
from authors.models import Author
from newsroom.lib.urls import absolute

PAGE_SIZE = 20
NINJS_FEED_SIZE = 30


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """A page of the listing; a page number that is not a positive whole number, or past the end, is a 404."""
    number = request.GET.get("page", "1")
    if not number.isdigit() or int(number) < 1 or len(number) > 6:
        raise Http404("No such page.")
    paginator = Paginator(queryset, per_page, allow_empty_first_page=True)
    if int(number) > paginator.num_pages:
        raise Http404("No such page.")
    return paginator.page(int(number))


@require_safe
@public_page
def home(request):
    page = paginate(request, Article.objects.published().for_listing())
    return render(request, "articles/home.html", {"page": page})


def article_context(article: Article, *, preview: bool = False, request=None) -> dict:
    """What the article template needs; previews (admin or share link) show a banner and are not indexed."""
    context = {"article": article, "preview": preview}
    if not preview:
        context["structured_data"] = news_article(article, settings_for(request))
    return context


@require_safe
@public_page
def article_detail(request, year: int, month: int, day: int, slug: str):
    published = Article.objects.published().for_listing().prefetch_related("corrections")
    article = published.filter(slug=slug).first()
    if article is None:
        moved = SlugRedirect.objects.filter(old_slug=slug, article__in=Article.objects.published()).first()
        if moved is None:
            raise Http404("No such article.")
        return redirect(moved.article, permanent=True)
    if request.path != article.get_absolute_url():
        return redirect(article, permanent=True)
    return render(request, "articles/article_detail.html", article_context(article, request=request))


def shared_article(request, token: str):
    """An editor's share link: the one way an unpublished article is seen without a login."""
    link = ShareLink.from_token(token)
    if link is None:
        raise Http404("This link is not valid, or it has expired or been revoked.")
    article = Article.objects.filter(pk=link.article_id).for_listing().prefetch_related("corrections").get()
    if article.is_live:
        return redirect(article)
    response = render(request, "articles/article_detail.html", article_context(article, preview=True))
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the token must not leak to linked sites
    return response


@require_safe
@public_page
def tag_list(request):
    return render(request, "articles/tag_list.html", {"tags": public_tags().order_by("name")})


@require_safe
@public_page
def tag_detail(request, slug: str):
    tag = get_object_or_404(Tag, slug=slug)
    page = paginate(request, Article.objects.published().filter(tagged_items__tag=tag).for_listing())
    if not page.object_list:
        raise Http404("No published articles carry this tag.")  # its name alone could leak a story
    return render(request, "articles/tag_detail.html", {"tag": tag, "page": page})


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
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    page = paginate(request, Article.objects.published().by(author).for_listing())
    if not page.object_list:
        raise Http404("No published articles by this author.")  # no enumeration of staff
    return render(request, "articles/author_detail.html", {"author": author, "page": page})


@require_safe
@public_page
def search(request):
    terms = article_search.parse(request.GET.get("q", ""))
    page = paginate(request, article_search.search(terms).for_listing()) if terms else None
    results = []
    if page:
        marked = article_search.highlights(list(page.object_list), terms)
        results = [(article, *marked[article.pk]) for article in page.object_list]
    return render(request, "articles/search.html", {"terms": terms, "page": page, "results": results})


@require_safe
@public_page
def article_ninjs(request, year: int, month: int, day: int, slug: str):
    """A published article as IPTC ninjs 2.2, for syndication partners."""
    article = get_object_or_404(Article.objects.published().for_listing(), slug=slug)
    canonical = f"{article.get_absolute_url()}ninjs.json"
    if request.path != canonical:
        return redirect(canonical, permanent=True)
    return JsonResponse(to_ninjs(article), json_dumps_params={"ensure_ascii": False})


@require_safe
@public_page
def ninjs_feed(request):
    """The latest published articles as ninjs 2.2 documents: {"items": [...]}, newest first."""
    articles = Article.objects.published().for_listing()[:NINJS_FEED_SIZE]
    return JsonResponse(
        {"items": [to_ninjs(article) for article in articles]}, json_dumps_params={"ensure_ascii": False}
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
    """The 500 page: plain, and needing nothing (no database, no context processors) to render."""
    return HttpResponseServerError(loader.get_template("500.html", using="jinja2").render({}))
