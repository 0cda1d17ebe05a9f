from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path, re_path, register_converter
from django.views.static import serve

from articles import sitemap_views
from articles.views import robots_txt
from newsroom import converters

register_converter(converters.FourDigitYear, "yyyy")
register_converter(converters.TwoDigits, "dd")
register_converter(converters.UnicodeSlug, "uslug")

admin.site.site_header = "Newsroom desk"
admin.site.site_title = "Newsroom desk"
admin.site.index_title = "Desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap_views.sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_views.sitemap_section, name="sitemap-section"),
    path("news-sitemap.xml", sitemap_views.news_sitemap, name="news-sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("", include("articles.urls")),
]

handler500 = "articles.views.server_error"


def bench_ceiling(request):
    """Hello world behind the same middleware as every page: the ceiling `make bench` compares with."""
    return HttpResponse("Hello, world")


if settings.BENCH:
    urlpatterns.insert(0, path("_bench/ceiling/", bench_ceiling, name="bench-ceiling"))


def media_patterns():
    """Uploaded media for `make demo` and development; production serves media elsewhere."""
    prefix = settings.MEDIA_URL.lstrip("/")
    return [re_path(rf"^{prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]


if settings.SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    urlpatterns += media_patterns()
