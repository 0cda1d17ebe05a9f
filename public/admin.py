"""The desk's previews in the readers' design: a story's, added to the article desk at
/admin/articles/article/<id>/preview/, and a front's layout, at /admin/fronts/layout/<id>/preview/;
and the pages about the site (About, Contact, the corrections policy), which editors edit."""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import admin
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin

from articles.models import Article
from desk.pages import desk_page
from fronts.admin import front_preview
from fronts.models import Layout
from newsroom.lib.admin import DeskModelAdmin
from public import fronts
from public.caching import page_state
from public.models import SitePage
from public.views import front_preview_response, preview_response


@desk_page(
    "<path:object_id>/preview/",
    name="preview",
    decorators=(never_cache, xframe_options_sameorigin, csp_replace({"frame-ancestors": [SELF]})),
)
def preview(article_admin, request, object_id):
    """Any story the user may see at the desk, as readers would see it, never cached or indexed."""
    article = article_admin.article_or_404(request, object_id)
    return preview_response(request, Article.objects.for_page().get(pk=article.pk))


@front_preview
def preview_front(request, layout: Layout):
    """A front's layout (a draft, a scheduled or an old one) as readers would see it now."""
    request.page_state = page_state()[0]
    request.site_settings = request.page_state.site
    return front_preview_response(request, str(layout), fronts.layout_front(request, layout))


@admin.register(SitePage)
class SitePageAdmin(DeskModelAdmin):
    """The pages about the site, for editors: live once saved, and never removed (every page's
    footer links to them)."""

    list_display = ["title", "slug", "updated_at"]
    ordering = ["slug"]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
