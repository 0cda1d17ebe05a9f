"""The wire desk's import page, added to the article desk at /admin/articles/article/import-ninjs/."""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from articles.models import is_editor
from desk.pages import desk_page
from wire import update_desk  # noqa: F401 - adds the agency-update page to the desk
from wire.forms import WireCopyForm
from wire.importer import Outcome, Rejected, import_document


@desk_page("import-ninjs/", name="import", link="Import wire copy", allowed=is_editor)
def import_view(article_admin, request):
    """Editors upload agency copy (ninjs files or zips of them); each story arrives as a draft."""
    if not is_editor(request.user):
        raise PermissionDenied
    form = WireCopyForm(request.POST, request.FILES) if request.method == "POST" else WireCopyForm()
    outcomes = []
    if request.method == "POST" and form.is_valid():
        outcomes = [
            Outcome(name, "rejected", str(raw))
            if isinstance(raw, Rejected)
            else import_document(name, raw, user=request.user, files=form.files_for(name))
            for name, raw in form.cleaned_data["files"]
        ]
    context = {
        **article_admin.admin_site.each_context(request),
        "opts": article_admin.opts,
        "title": "Import wire copy (IPTC ninjs)",
        "form": form,
        "outcomes": outcomes,
        "counts": sorted(Counter(outcome.status for outcome in outcomes).items()),
    }
    return TemplateResponse(request, "admin/articles/article/import_ninjs.html", context)
