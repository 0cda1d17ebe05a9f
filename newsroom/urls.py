"""Wires every app's addresses: the desk, the readers' site and the wire copy export."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path, re_path
from django.views.static import serve

from desk.view_on_site import view_on_site
from public import urls as public_urls
from wire import urls as wire_urls

admin.site.site_header = "Newsroom desk"
admin.site.site_title = "Newsroom desk"
admin.site.index_title = "Desk"

urlpatterns = [
    # Before the admin's own: Django's "view on site" would redirect any staff member anywhere.
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    *public_urls.site_patterns,
    # Agencies' systems push wire copy here with a source's token (wire/push.py).
    path("wire/", include((wire_urls.push_patterns, "wire"))),
]

handler500 = "public.views.server_error"


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

# One namespace for what readers (and syndication partners) fetch: articles:detail, articles:ninjs…
# Last, because the sections' pages (/world/, /world/asia/) answer any address left over.
readers = [*public_urls.urlpatterns, *wire_urls.urlpatterns, *public_urls.section_patterns]
urlpatterns.append(path("", include((readers, public_urls.app_name))))
