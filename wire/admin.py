"""The wire desk's import page, added to the article desk at /admin/articles/article/import-ninjs/,
and the sources that may push wire copy (Wire → Sources), each with a token shown only once."""

from collections import Counter

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from articles.models import is_editor
from desk.pages import desk_page
from newsroom.lib.admin import DeskModelAdmin
from wire import update_desk  # noqa: F401 - adds the agency-update page to the desk
from wire.forms import WireCopyForm
from wire.importer import Outcome, Rejected, import_document
from wire.models import Source


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


@admin.register(Source)
class SourceAdmin(DeskModelAdmin):
    """Editors add a source and copy its token from the page that follows: it is stored only as a
    hash, so it is never shown again. "Regenerate token" makes a new one and the old one stops working."""

    list_display = ["name", "default_credit", "default_section", "is_active", "token", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    fields = ["name", "default_credit", "default_section", "is_active", "token", "created_at", "last_used_at"]
    readonly_fields = ["token", "created_at", "last_used_at"]
    list_select_related = ["default_credit", "default_section__parent"]

    @admin.display(description="Token")
    def token(self, source: Source) -> str:
        return f"{source.token_prefix}…" if source.token_prefix else "(made when the source is saved)"

    def get_urls(self):
        regenerate = self.admin_site.admin_view(require_POST(self.regenerate_token_view))
        return [
            path("<path:object_id>/regenerate-token/", regenerate, name="wire_source_regenerate_token"),
            *super().get_urls(),
        ]

    def save_model(self, request, obj: Source, form, change: bool) -> None:
        if not change:
            request.new_wire_token = obj.new_token()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj: Source, post_url_continue=None):
        token = getattr(request, "new_wire_token", None)
        if token is None or "_popup" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return self._token_page(request, obj, token, made="added")

    def regenerate_token_view(self, request, object_id: str):
        source = self.get_object(request, unquote(object_id))
        if source is None:
            raise Http404
        if not self.has_change_permission(request, source):
            raise PermissionDenied
        token = source.new_token()
        source.save(update_fields=["token_prefix", "token_hash"])
        self.log_change(request, source, "Regenerated the token; the old one no longer works.")
        return self._token_page(request, source, token, made="given a new token")

    def _token_page(self, request, source: Source, token: str, *, made: str):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"The token for {source.name}",
            "source": source,
            "token": token,
            "made": made,
            "push_url": request.build_absolute_uri(reverse("wire:push")),
            "change_url": reverse("admin:wire_source_change", args=[source.pk]),
        }
        response = TemplateResponse(request, "admin/wire/source/token.html", context)
        add_never_cache_headers(response)  # the token must not stay in any cache
        return response
