"""The agency-update page of the wire desk, added to the article desk at
/admin/articles/article/<id>/agency-update/<update>/: the agency's newer version beside the
desk's text, field by field, to apply (all or some fields) or dismiss."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache

from articles.models import AgencyUpdate, is_editor
from articles.workflow import WorkflowError
from desk.pages import desk_page
from wire import updates


@desk_page("<path:object_id>/agency-update/<int:update_id>/", name="agency_update", decorators=(never_cache,))
def agency_update_view(article_admin, request, object_id, update_id):
    article = article_admin.article_or_404(request, object_id)
    update = AgencyUpdate.objects.filter(pk=update_id, article=article).first()
    if update is None:
        raise Http404("No such agency update.")
    differences = updates.differences(update)
    back = reverse("admin:articles_article_change", args=[article.pk])
    if request.method == "POST":
        if not is_editor(request.user):
            raise PermissionDenied
        if update.status != AgencyUpdate.Status.PENDING:
            messages.warning(request, f"This agency update was {update.get_status_display().lower()} already.")
            return HttpResponseRedirect(back)
        if "_dismiss" in request.POST:
            updates.dismiss(update, user=request.user)
            messages.success(request, "The agency's update was dismissed; the story is as the desk left it.")
            return HttpResponseRedirect(back)
        chosen = request.POST.getlist("field") if "_apply_chosen" in request.POST else [d.name for d in differences]
        try:
            updates.apply(update, user=request.user, names=chosen)
        except WorkflowError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(request.path)
        messages.success(request, "The agency's update was applied; the earlier text is kept as a revision.")
        return HttpResponseRedirect(back)
    context = {
        **article_admin.admin_site.each_context(request),
        "opts": article_admin.opts,
        "article": article,
        "update": update,
        "differences": differences,
        "may_decide": is_editor(request.user) and update.status == AgencyUpdate.Status.PENDING,
        "title": f"Agency update of “{article.headline}”",
    }
    return TemplateResponse(request, "admin/articles/article/agency_update.html", context)
