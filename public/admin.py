"""The desk's preview of a story in the readers' design, added to the article desk at
/admin/articles/article/<id>/preview/."""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin

from articles.models import Article
from desk.pages import desk_page
from public.views import preview_response


@desk_page(
    "<path:object_id>/preview/",
    name="preview",
    decorators=(never_cache, xframe_options_sameorigin, csp_replace({"frame-ancestors": [SELF]})),
)
def preview(article_admin, request, object_id):
    """Any story the user may see at the desk, as readers would see it, never cached or indexed."""
    article = article_admin.article_or_404(request, object_id)
    return preview_response(request, Article.objects.for_page().get(pk=article.pk))
