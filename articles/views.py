from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from taggit.models import Tag

from articles.models import Article, Byline, ShareLink
from authors.models import Author

PAGE_SIZE = 20


def listed(queryset):
    """What a listing shows of each article: bylines with their authors, the credit, the tags."""
    return queryset.select_related("credit").prefetch_related(
        Prefetch("bylines", queryset=Byline.objects.select_related("author")), "tags"
    )


def home(request):
    page = Paginator(listed(Article.objects.published()), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/home.html", {"page": page})


def article_context(article: Article, *, preview: bool = False) -> dict:
    """What the article template needs; previews (admin or share link) show a banner and are not indexed."""
    return {"article": article, "preview": preview}


def article_detail(request, year: int, month: int, day: int, slug: str):
    article = get_object_or_404(listed(Article.objects.published()).prefetch_related("corrections"), slug=slug)
    if request.path != article.get_absolute_url():
        return redirect(article, permanent=True)
    return render(request, "articles/article_detail.html", article_context(article))


def shared_article(request, token: str):
    """An editor's share link: the one way an unpublished article is seen without a login."""
    link = ShareLink.from_token(token)
    if link is None:
        raise Http404("This link is not valid, or it has expired or been revoked.")
    article = listed(Article.objects.filter(pk=link.article_id)).prefetch_related("corrections").get()
    if article.is_live:
        return redirect(article)
    response = render(request, "articles/article_detail.html", article_context(article, preview=True))
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the token must not leak to linked sites
    return response


def tag_detail(request, slug: str):
    tag = get_object_or_404(Tag, slug=slug)
    articles = listed(Article.objects.published().filter(tags=tag))
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    if not page.object_list:
        raise Http404("No published articles with this tag.")
    return render(request, "articles/tag_detail.html", {"tag": tag, "page": page})


def author_detail(request, slug: str):
    author = get_object_or_404(Author, slug=slug)
    articles = listed(Article.objects.published().filter(Q(bylines__author=author) | Q(credit=author)).distinct())
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    if not page.object_list:
        raise Http404("No published articles by this author.")
    return render(request, "articles/author_detail.html", {"author": author, "page": page})
