"""The editors' desk. Every permission is checked on the server; buttons only mirror the rules."""

import copy
from datetime import timedelta
from functools import partial, wraps
from urllib.parse import urlsplit

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, OuterRef, Prefetch, ProtectedError, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from reversion.models import Version
from taggit.models import Tag

from articles import diff, merge, revisions, workflow
from articles.models import (
    META_DESCRIPTION_SHOWN,
    SEO_TITLE_SHOWN,
    SOCIAL_DESCRIPTION_SHOWN,
    SOCIAL_HEADLINE_SHOWN,
    AgencyUpdate,
    Article,
    ArticleTransition,
    Byline,
    Section,
    ShareLink,
    SiteSettings,
    TaggedArticle,
    is_editor,
    is_reviewer,
)
from authors.models import Author
from desk import (
    pages,
    panel,
    picture_library,  # noqa: F401 - registers the picture library (PictureAdmin)
    publishing,
    views,
)
from desk.forms import (
    ACTION_PREFIX,
    LEAD_IMAGE,
    OTHER_ACTION,
    OTHER_FIELD,
    PUBLISHER_LOGO,
    RESTORE_FIELD,
    SHARE_IMAGE,
    SOCIAL_IMAGE,
    TRANSITION_FIELD,
    ArticleAdminForm,
    BylineForm,
    BylineFormSet,
    KnownAuthorSelect,
    SiteSettingsForm,
    TagForm,
    chosen_transition,
)
from desk.models import Autosave
from newsroom.lib.admin import DeskModelAdmin, NoRelatedDeleteMixin
from newsroom.lib.html import clean as clean_html
from newsroom.lib.paging import CappedPaginator
from newsroom.lib.query import id_from
from newsroom.lib.urls import absolute
from newsroom.lib.widgets import AutocompleteAdminMixin
from pictures.admin import picture_preview

# The one answer for a story this user may not open: the same whether it is hidden or missing.
STORY_NOT_FOUND = "This story doesn't exist, or you don't have access to it."


class StoryNotFound(Http404):
    def __init__(self):
        super().__init__(STORY_NOT_FOUND)


def card_image(picture) -> dict | None:
    """A picture as the desk's share-card preview shows it: the card's crop, small."""
    rendition = picture.best("16x9", "jpeg", at_least=640) if picture else None
    return {"url": picture.url_of(rendition), "alt": picture.alt_text} if rendition else None


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Article.State.choices

    def queryset(self, request, queryset):
        if self.value() in Article.State.values:
            return queryset.in_state(self.value())
        return queryset.not_in_trash()  # the trash is a state of its own: "In the trash"


class AgencyFilter(admin.SimpleListFilter):
    title = "agency"
    parameter_name = "agency"

    def lookups(self, request, model_admin):
        return [
            ("held", "Killed or withheld"),
            ("embargoed", "Embargoed"),
            ("update", "Agency update waiting"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "held":
            return queryset.exclude(wire_hold="")
        if self.value() == "embargoed":
            return queryset.filter(embargoed_until__gt=timezone.now())
        if self.value() == "update":
            return queryset.filter(agency_updates__status=AgencyUpdate.Status.PENDING).distinct()
        return queryset


class ChosenFilter(admin.SimpleListFilter):
    """A filter by one author or tag, chosen from a link in the list (the byline and tag columns):
    the sidebar shows only the chosen one. Listing every author and tag there rendered thousands
    of links on every request at 100,000 stories."""

    chosen_model = None

    def chosen(self):
        pk = id_from(self.value() or "")
        return self.chosen_model.objects.filter(pk=pk).first() if pk else None

    def lookups(self, request, model_admin):
        chosen = self.chosen()
        return [(str(chosen.pk), str(chosen))] if chosen else []


class AuthorFilter(ChosenFilter):
    title = "author"
    parameter_name = "author"
    chosen_model = Author

    def queryset(self, request, queryset):
        chosen = self.chosen()
        return queryset.by(chosen) if chosen else queryset


class TagFilter(ChosenFilter):
    title = "tag"
    parameter_name = "tag"
    chosen_model = Tag

    def queryset(self, request, queryset):
        chosen = self.chosen()
        return queryset.filter(tagged_items__tag=chosen) if chosen else queryset


# Sections as the navigation lists them: each top-level section, then its subsections.
SECTIONS_IN_ORDER = [
    Coalesce("parent__position", "position").asc(),
    Coalesce("parent__name", "name").asc(),
    F("parent_id").asc(nulls_first=True),
    "position",
    "name",
]


# The most pages of the article list that are counted (CappedPaginator).
DESK_COUNTED_PAGES = 40


def sections_in_order():
    """Sections as the navigation lists them, each named with its parent (read with it)."""
    return Section.objects.select_related("parent").order_by(*SECTIONS_IN_ORDER)


class SectionFilter(admin.SimpleListFilter):
    """Stories filed in a section (a top-level one takes in its subsections): a short list, in the
    navigation's order, read in one small query."""

    title = "section"
    parameter_name = "section"

    def lookups(self, request, model_admin):
        return [(str(section.pk), str(section)) for section in sections_in_order()]

    def queryset(self, request, queryset):
        pk = id_from(self.value() or "")
        if pk is None:
            return queryset
        return queryset.filter(section__in=Section.objects.filter(Q(pk=pk) | Q(parent=pk)).values("pk"))


class ArticleChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The list shows no body or standfirst: at 100,000 stories reading them was most of the query.
        return super().get_queryset(request, exclude_parameters).defer("body", "standfirst")


class MineFilter(admin.SimpleListFilter):
    title = "whose"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", "Mine (created or bylined)")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.owned_by(request.user)
        return queryset


def own_author(request):
    """The author linked to the user's account, if any (read once per request)."""
    if not hasattr(request, "own_author"):
        request.own_author = Author.objects.filter(user=request.user).first() if request.user.is_authenticated else None
    return request.own_author


class BylineInline(AutocompleteAdminMixin, NoRelatedDeleteMixin, admin.TabularInline):
    model = Byline
    form = BylineForm
    formset = BylineFormSet
    extra = 0
    autocomplete_fields = ["author"]
    fields = ["position", "author", "role"]
    verbose_name = "byline"
    verbose_name_plural = "byline (in order)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author":
            kwargs["widget"] = KnownAuthorSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_extra(self, request, obj=None, **kwargs):
        # A new story's byline starts with the writer's own name (ArticleAdmin.get_formset_kwargs).
        return 1 if obj is None and own_author(request) is not None else 0

    def _may_edit(self, request, obj) -> bool:
        if obj is None:
            return request.user.has_perm("articles.add_article")
        return obj.can_be_edited_by(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._may_edit(request, obj)

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("articles.view_article")


@admin.register(Article)
class ArticleAdmin(AutocompleteAdminMixin, DeskModelAdmin):
    form = ArticleAdminForm
    list_display = ["headline", "state", "section_name", "byline", "tag_list", "edited_at", "edited_by"]
    list_filter = [
        StateFilter,
        SectionFilter,
        MineFilter,
        AgencyFilter,
        AuthorFilter,
        TagFilter,
        "published_at",
    ]
    list_select_related = ["edited_by", "section__parent"]
    readonly_fields = ["lead_image_preview", "social_image_preview", "search_and_social_preview", "body_as_read"]
    search_fields = ["headline", "body"]  # shows the search box; get_search_results also reads the names
    # Latest activity first: every save and every workflow step sets edited_at.
    ordering = ["-edited_at"]
    # No date_hierarchy: its MIN/MAX and list of years scanned every matching story per request;
    # the "published" filter in the sidebar gives the same ranges without a query.
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["credit"]
    inlines = [BylineInline]
    actions = ["submit_selected", "publish_selected", "trash_selected", "restore_selected"]
    show_full_result_count = False
    list_per_page = 50  # a screenful or two; a page of 100 rows took 80 ms to render

    def view_on_site(self, article: Article) -> str | None:
        return article.get_absolute_url() if article.is_live else None

    # Who sees and changes what.

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
            .with_tags()
        )

    def has_change_permission(self, request, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or obj.can_be_edited_by(request.user)

    def has_publish_permission(self, request) -> bool:
        return is_editor(request.user)

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        if article is not None and request.method == "POST" and transaction.get_connection().in_atomic_block:
            # The change form saves inside the admin's transaction: hold the row until the save
            # is done, so the version check cannot race. (Workflow views lock in workflow.py.)
            article = Article.objects.select_for_update().get(pk=article.pk)
        return article

    # The form.

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)

        class RequestArticleForm(form_class):
            def __init__(self, *args, **form_kwargs):
                form_kwargs["user"] = request.user
                form_kwargs["restored"] = getattr(request, "restored_autosave", None)
                super().__init__(*args, **form_kwargs)

        return RequestArticleForm

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        author = own_author(request) if isinstance(inline, BylineInline) and obj.pk is None else None
        if author is not None and request.method == "GET":
            # Shown, not assumed: on the POST the row counts only if it is still in the form.
            kwargs["initial"] = [{"author": author.pk, "position": 0}]
        return kwargs

    def get_fieldsets(self, request, obj=None):
        editable = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        tags = ["tags", "new_tags"] if editable and request.user.has_perm("taggit.add_tag") else ["tags"]
        fieldsets = [
            (None, {"fields": ["kicker", "headline", "slug", "standfirst", "body" if editable else "body_as_read"]}),
            # "desk-side": the right-hand column of the story form (change_form.html's field_sets).
            ("Section", {"fields": ["section", "also_in"], "classes": ["desk-side"]}),
            (
                "Dateline, credit and tags",
                {"fields": ["dateline_place", "credit", *tags, "language"], "classes": ["desk-side"]},
            ),
            (
                "Lead image",
                {
                    "fields": ["lead_image_preview", *(LEAD_IMAGE.field_names if editable else [])],
                    "classes": ["desk-side"],
                },
            ),
            (
                "Search and social",
                {
                    "fields": [
                        "search_and_social_preview",
                        "seo_title",
                        "meta_description",
                        "social_headline",
                        "social_description",
                        "social_image_preview",
                        *(SOCIAL_IMAGE.field_names if editable else []),
                    ],
                    "description": "Optional: how the story shows in search results and when it is shared. "
                    "Each field left empty takes the headline, standfirst or lead image.",
                    "classes": ["search-and-social"],
                },
            ),
        ]
        if editable:
            fieldsets[0][1]["fields"] += ["opened_version", "conflict_seen"]
            if obj is not None and obj.is_live:
                fieldsets.append(
                    ("This story is live", {"fields": ["substantive", "change_note"], "classes": ["desk-side"]})
                )
        return fieldsets

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            kwargs["queryset"] = sections_in_order()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "also_in":
            kwargs["queryset"] = sections_in_order()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="Body")
    def body_as_read(self, article: Article) -> str:
        """The body as readers will read it (through the one cleaner), not as raw HTML."""
        return format_html('<div class="desk-body-read">{}</div>', mark_safe(clean_html(article.body)))  # noqa: S308

    @admin.display(description="Current picture")
    def lead_image_preview(self, article: Article) -> str:
        return picture_preview(article.lead_image, focal_for=LEAD_IMAGE.prefix)

    @admin.display(description="Current social image")
    def social_image_preview(self, article: Article) -> str:
        return picture_preview(article.social_image, focal_for=SOCIAL_IMAGE.prefix)

    @admin.display(description="Preview")
    def search_and_social_preview(self, article: Article) -> str:
        """The Google result and the share card, drawn (and redrawn as the editor types) by
        static/desk/social.js from the form's fields, falling back as the page does."""
        site = SiteSettings.objects.select_related("default_share_image").filter(pk=1).first()
        site_name = site.site_name if site else settings.SITE_NAME
        images = {
            "social": card_image(article.social_image),
            "lead": card_image(article.lead_image),
            "default": card_image(site and site.default_share_image),
        }
        return render_to_string(
            "admin/articles/article/search_and_social_preview.html",
            {
                "site_name": site_name,
                "site_url": absolute("/"),
                "domain": urlsplit(settings.SITE_URL).hostname,
                "address": absolute(article.get_absolute_url()) if article.published_at else "",
                "summary": article.summary,
                "images": images,
                "image": images["social"] or images["lead"] or images["default"],
                "title": f"{article.effective_seo_title} · {site_name}",
                "description": article.effective_meta_description,
                "headline": article.effective_social_headline,
                "card_description": article.effective_social_description,
                "shown": {
                    "title": SEO_TITLE_SHOWN,
                    "description": META_DESCRIPTION_SHOWN,
                    "headline": SOCIAL_HEADLINE_SHOWN,
                    "card_description": SOCIAL_DESCRIPTION_SHOWN,
                },
            },
        )

    def save_model(self, request, obj, form, change):
        form.save_picture(request.user)
        if not change:
            obj.created_by = request.user
        obj.edited_by = request.user
        super().save_model(request, obj, form, change)
        # Saved: the user's autosave of it (or of the new story this was) has done its job.
        Autosave.objects.filter(user=request.user, article=obj if change else None).delete()

    def save_related(self, request, form, formsets, change):
        if form.merged is not None:
            self._merge_byline(form, formsets)
        super().save_related(request, form, formsets, change)
        # The revision records the article once everything is saved: text, byline and tags.
        reversion.add_to_revision(form.instance)
        if change and form.instance.is_live:
            # The edit to a live story is logged as such before any button pressed with it runs
            # (an Unpublish pressed with edits used to find the story already taken down).
            workflow.record_update(
                form.instance,
                user=request.user,
                substantive=form.cleaned_data.get("substantive", False),
                comment=form.cleaned_data.get("change_note", ""),
            )
        if form.transition is not None:
            self._after_saving(request, form)
        if form.merged is not None:
            kept = " and ".join(name.lower() for name in form.merged["kept"])
            messages.info(
                request,
                f"{form.merged['who']} saved this story at {form.merged['when']}, after you opened it: "
                + (
                    f"their changes to the {kept} are kept, and yours are applied."
                    if kept
                    else "yours are applied too."
                ),
            )

    def _after_saving(self, request, form) -> None:
        """The workflow button pressed on the change form, run once its edits are saved, in the
        same transaction. A refused transition leaves the saved edits saved and says why."""
        transition, article = form.transition, form.instance
        request.desk_transition = transition
        if not publishing.confirmed(transition, request.POST):
            if refused := publishing.refusal(transition, article, request.user):
                messages.error(request, f"Your changes are saved, but “{transition.label}” was not done: {refused}")
            else:
                messages.success(request, "Your changes are saved.")
                request.desk_confirmation = publishing.ask(request, article, transition, form.transition_form)
            return
        try:
            transition.run(article, user=request.user, **form.transition_form.cleaned_data)
        except (PermissionDenied, workflow.WorkflowError) as error:
            messages.error(request, f"Your changes are saved, but “{transition.label}” was not done: {error}")
        else:
            messages.success(request, f"Your changes are saved. {transition.label}: done for “{article.headline}”.")

    def response_change(self, request, obj):
        if getattr(request, "desk_transition", None) is None:
            return super().response_change(request, obj)
        if confirmation := getattr(request, "desk_confirmation", None):
            return redirect(confirmation)  # the edits are saved; the publish asks first
        if Article.objects.visible_to(request.user).filter(pk=obj.pk).exists():
            return redirect(self._change_url(obj))
        return redirect("admin:articles_article_changelist")

    def _refused_save(self, request, article: Article) -> TemplateResponse:
        """A save this user may no longer make (the story moved on elsewhere): what happened, and
        everything they typed, to copy; never a bare 403."""
        last = article.transitions.select_related("user").first()
        reason = f"This story is now {article.state_label[0].lower()}{article.state_label[1:]}"
        if last is not None:
            who = last.user.get_username() if last.user else "someone"
            reason += f" ({last.get_action_display().lower()} by {who}, {timezone.localtime(last.created_at):%d %b %Y, %H:%M})"
        reason += ", so you can no longer change it."
        typed = [
            (label, request.POST.get(name, ""), False)
            for name, label in [
                ("kicker", "Kicker"),
                ("headline", "Headline"),
                ("standfirst", "Standfirst"),
                ("dateline_place", "Dateline place"),
            ]
            if request.POST.get(name, "").strip()
        ]
        if request.POST.get("body", "").strip():
            typed.append(("Body", mark_safe(clean_html(request.POST["body"])), True))  # noqa: S308 - cleaned
        if request.POST.get("new_tags", "").strip():
            typed.append(("New tags", request.POST["new_tags"], False))
        Autosave.keep(request.user, article, request.POST)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "article": article,
            "title": "Your changes were not saved",
            "reason": reason,
            "typed": typed,
            "kept_as_autosave": True,
        }
        return TemplateResponse(request, "admin/articles/article/save_refused.html", context, status=409)

    @staticmethod
    def _merge_byline(form, formsets) -> None:
        """A stale form's byline, merged by author with the byline saved since it was opened."""
        theirs = list(form.instance.bylines.order_by("position", "id").values_list("author_id", "role"))
        base = form.merge_base["byline"] if form.merge_base is not None else theirs
        for formset in formsets:
            if isinstance(formset, BylineFormSet) and hasattr(formset, "ordered"):
                mine = [(author.pk, role) for author, role in formset.ordered]
                merged = merge.merge_byline(base, mine, theirs)
                authors = Author.objects.in_bulk([author for author, _ in merged])
                formset.ordered = [(authors[pk], role) for pk, role in merged if pk in authors]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and RESTORE_FIELD in request.POST:
            try:
                article = self.article_or_404(request, object_id) if object_id is not None else None
            except StoryNotFound:
                return self.story_not_found(request)
            if not views.restore_into(request, article):
                messages.info(request, "There were no unsaved changes to restore.")
                return HttpResponseRedirect(request.path)
        if request.method == "POST" and object_id is not None:
            article = self.get_object(request, unquote(object_id))
            refused = article is not None and not self.has_change_permission(request, article)
            if refused and self.has_view_permission(request, article):
                return self._refused_save(request, article)
        # Manual: the article is added to the revision in save_related, after its byline and
        # tags are saved, so the revision holds what was saved and not the state half-way.
        with reversion.create_revision(manage_manually=True):
            reversion.set_user(request.user)
            reversion.set_comment("Added" if object_id is None else "Edited")
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self._desk_context(request, obj))
        form = context["adminform"].form
        context["conflict"] = getattr(form, "conflict", None)
        editable = self.has_change_permission(request, obj) if obj is not None else self.has_add_permission(request)
        context.update(views.editing_context(request, obj, editable=editable))
        notices = [error for error in form.non_field_errors().as_data() if error.code == "restored"]
        context["restored_notice"] = notices[0].message if notices else ""
        if notices and len(context["errors"]) == 1:
            context["errors"] = []  # only the notice that nothing is saved yet: not "correct the errors"
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _workflow_actions(self, request, article: Article) -> list[tuple]:
        """(name, label, form) of each action. On an editable story the buttons submit the change
        form itself (the story's edits are saved first), so their fields carry the actions' one
        prefix, and what was posted (an action refused, an autosave brought back) is shown again."""
        editable = self.has_change_permission(request, article)
        actions = []
        for transition in workflow.available_transitions(article, request.user):
            options = {"auto_id": "id_%s", "label_suffix": ""}
            if editable:
                options["prefix"] = ACTION_PREFIX
            if transition.name == "reschedule":  # the picker opens at the time it has now
                options["initial"] = {"publish_at": article.published_at}
            posted = request.POST if editable and request.method == "POST" else getattr(request, "panel_data", None)
            form = transition.form(**options) if posted is None else transition.form(posted, **options)
            if editable:
                for field in form.fields.values():
                    field.widget.attrs["form"] = "article_form"
            actions.append((transition.name, transition.label, form))
        return actions

    def _desk_context(self, request, article: Article) -> dict:
        transitions = list(article.transitions.select_related("user")[:50])
        open_comment = (
            transitions[0] if transitions and transitions[0].action == ArticleTransition.Action.RETURN else None
        )
        may_share = is_reviewer(request.user) and not article.is_live and not article.is_trashed
        actions = self._workflow_actions(request, article)
        # What the publish checklist would refuse, shown before anyone presses Publish or Schedule.
        may_go_live = any(name in ("publish", "schedule") for name, _, _ in actions)
        share_links = [link for link in article.share_links.all() if link.is_active] if may_share else []
        pressed = (
            request.POST.get(TRANSITION_FIELD) if request.method == "POST" else getattr(request, "panel_action", None)
        )
        return {
            "workflow_actions": actions,
            "workflow_panel": panel.build(actions, chosen_transition(request.POST, pressed)),
            "other_action_field": OTHER_FIELD,
            "other_action": OTHER_ACTION,
            "publish_problems": workflow.publish_problems(article) if may_go_live else [],
            "actions_save_the_form": self.has_change_permission(request, article),
            "transitions": transitions,
            "open_comment": open_comment,
            "corrections": article.corrections.all(),
            "share_links": share_links,
            "may_share": may_share,
            "may_read_history": article.history_visible_to(request.user),
            "pending_agency_updates": article.agency_updates.filter(status=AgencyUpdate.Status.PENDING)[:5],
            "wire_attachments": list(article.wire_attachments.select_related("picture")[:50]),
            "share_hours": settings.SHARE_LINK_HOURS,
        }

    # The list.

    @admin.display(description="State", ordering="status")
    def state(self, article: Article) -> str:
        marks = [article.state_label]
        if article.wire_hold:
            marks.append(f"⚠ {article.get_wire_hold_display()}")
        if article.is_embargoed:
            marks.append(article.embargo_label)
        return " · ".join(marks)

    @admin.display(description="Section", ordering="section__name")
    def section_name(self, article: Article) -> str:
        if article.section is None:
            return "—"
        return format_html(
            '<a href="?section={}" title="Stories in {}">{}</a>', article.section_id, article.section, article.section
        )

    @admin.display(description="Byline")
    def byline(self, article: Article) -> str:
        return format_html_join(
            ", ",
            '<a href="?author={}" title="Stories by {}">{}</a>',
            ((a.pk, a.name, a.name) for a in article.byline_authors),
        )

    @admin.display(description="Tags")
    def tag_list(self, article: Article) -> str:
        return format_html_join(
            ", ",
            '<a href="?tag={}" title="Stories tagged {}">{}</a>',
            ((t.pk, t.name, t.name) for t in article.sorted_tags),
        )

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # At most 40 pages are counted (2,000 stories; counting 10,000 of the busiest author's took
        # 58 ms at 100,000 stories), 20 of a search (matches of a common word are counted from the
        # full-text index row by row): the list never counts the archive. Past that, the list says
        # "more than" and an editor narrows it by date, section or status.
        most_pages = 20 if request.GET.get("q", "").strip() else DESK_COUNTED_PAGES
        return CappedPaginator(queryset, per_page, orphans, allow_empty_first_page, most_pages=most_pages)

    def get_search_results(self, request, queryset, search_term):
        """The desk's search goes through the full-text index (Article.objects.matching), never
        a LIKE over every body: that took 8.5 s and more at 100,000 stories."""
        if request.GET.get(StateFilter.parameter_name) != Article.State.TRASHED:
            # The autocompletes (a front's pins) search here too, past the list's filters.
            queryset = queryset.not_in_trash()
        if not search_term.strip():
            return queryset, False
        return queryset.matching(search_term[:200]), False

    @admin.action(description="Submit the selected drafts for review", permissions=["change"])
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, lambda article: workflow.submit(article, user=request.user), "submitted")

    @admin.action(description="Publish the selected articles now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        return publishing.publish_selected(self, request, queryset)

    def _bulk(self, request, queryset, transition, done: str) -> None:
        succeeded, refused = 0, []
        for article in queryset:
            try:
                transition(article)
                succeeded += 1
            except (PermissionDenied, workflow.WorkflowError) as error:
                refused.append(f"“{article.headline}”: {error}")
        if succeeded:
            messages.success(request, f"{succeeded} article(s) {done}.")
        for line in refused:
            messages.error(request, line)

    # The trash: deleting a story moves it there (workflow.trash); only purge_trash deletes one.

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # for everyone, superusers too: no "Delete" button, no "Delete selected" action

    def has_trash_permission(self, request) -> bool:
        return request.user.has_perm("articles.change_article")  # each story's rule: workflow._may_trash

    def delete_view(self, request, object_id, extra_context=None):
        """The admin's delete address (bookmarked, or typed): nothing is deleted; the story's page offers the trash."""
        article = self.article_or_404(request, object_id)
        messages.info(
            request,
            "Stories are not deleted: “Move to the trash” takes one off the site, restorable for "
            f"{settings.TRASH_DAYS} days.",
        )
        return redirect(self._change_url(article))

    def get_actions(self, request):
        """In the trash, the one thing to do is restore; elsewhere, restoring has nothing to act on."""
        actions = super().get_actions(request)
        if request.GET.get(StateFilter.parameter_name) == Article.State.TRASHED:
            return {name: action for name, action in actions.items() if name == "restore_selected"}
        actions.pop("restore_selected", None)
        return actions

    @admin.action(description="Move the selected stories to the trash", permissions=["trash"])
    def trash_selected(self, request, queryset):
        self._bulk(request, queryset, lambda article: workflow.trash(article, user=request.user), "moved to the trash")

    @admin.action(description="Restore the selected stories from the trash (as drafts)", permissions=["trash"])
    def restore_selected(self, request, queryset):
        self._bulk(
            request, queryset, lambda article: workflow.restore(article, user=request.user), "restored as drafts"
        )

    # Workflow, preview, share links and revisions: pages of their own.

    def get_urls(self):
        def view(function, *decorators):
            function = self._answering_story_not_found(function)
            for decorator in decorators:
                function = decorator(function)
            return self.admin_site.admin_view(function)

        name = f"{self.opts.app_label}_{self.opts.model_name}"
        # Pages other apps add to the desk (wire copy import, the preview), at the same kind of address.
        added = [
            path(page.route, view(partial(page.view, self), *page.decorators), name=f"{name}_{page.name}")
            for page in pages.PAGES
        ]
        editing = [
            path("autosave/", view(partial(views.autosave, self), require_POST), name=f"{name}_autosave_new"),
            path(
                "autosave/discard/",
                view(partial(views.discard_autosave, self), require_POST),
                name=f"{name}_discard_autosave_new",
            ),
            path(
                "<path:object_id>/autosave/", view(partial(views.autosave, self), require_POST), name=f"{name}_autosave"
            ),
            path(
                "<path:object_id>/autosave/discard/",
                view(partial(views.discard_autosave, self), require_POST),
                name=f"{name}_discard_autosave",
            ),
            path(
                "<path:object_id>/presence/", view(partial(views.presence, self), require_POST), name=f"{name}_presence"
            ),
            path(
                "<path:object_id>/presence/leave/",
                view(partial(views.leave, self), require_POST),
                name=f"{name}_leave",
            ),
        ]
        return [
            *added,
            *editing,
            path(
                "<path:object_id>/transition/<str:action>/",
                view(self.transition_view, require_POST),
                name=f"{name}_transition",
            ),
            path(
                "<path:object_id>/confirm/<str:action>/",
                view(partial(publishing.confirm_view, self)),
                name=f"{name}_confirm",
            ),
            path("<path:object_id>/share/", view(self.share_view, require_POST), name=f"{name}_share"),
            path(
                "<path:object_id>/share/<uuid:link_id>/revoke/",
                view(self.revoke_share_view, require_POST),
                name=f"{name}_revoke_share",
            ),
            path("<path:object_id>/revisions/", view(self.revisions_view), name=f"{name}_revisions"),
            path("<path:object_id>/revisions/compare/", view(self.compare_view), name=f"{name}_compare"),
            path(
                "<path:object_id>/revisions/<int:version_id>/restore/",
                view(self.restore_view, require_POST),
                name=f"{name}_restore",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        links = [
            (page.link, reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{page.name}"))
            for page in pages.PAGES
            if page.link and page.allowed(request.user)
        ]
        links.append(("Trash", f"?state={Article.State.TRASHED}"))
        extra = {**(extra_context or {}), "desk_links": links}
        if request.GET.get(StateFilter.parameter_name) == Article.State.TRASHED:
            extra["title"] = (
                f"The trash: a story is deleted for good {settings.TRASH_DAYS} days after it was moved here"
            )
        return super().changelist_view(request, extra)

    def article_or_404(self, request, object_id) -> Article:
        """The article if this user may see it; StoryNotFound otherwise (never a hint that it exists)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise StoryNotFound
        return article

    def article_history_or_404(self, request, object_id) -> Article:
        """The article if this user may read its revisions; StoryNotFound otherwise, as for a missing one."""
        article = self.article_or_404(request, object_id)
        if not article.history_visible_to(request.user):
            raise StoryNotFound
        return article

    def story_not_found(self, request) -> TemplateResponse:
        """The page for a story this user may not open, hidden or missing alike: one status, one message."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Story not found",
            "message": STORY_NOT_FOUND,
        }
        return TemplateResponse(request, "admin/articles/article/not_found.html", context, status=404)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django's change, history and delete pages redirect with "… with ID “7” doesn't exist.
        # Perhaps it was deleted?": here the desk's one answer instead.
        return self.story_not_found(request)

    def _answering_story_not_found(self, view):
        """A desk view of a story, answering StoryNotFound with story_not_found()."""

        @wraps(view)
        def answered(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except StoryNotFound:
                return self.story_not_found(request)

        return answered

    def _change_url(self, article: Article) -> str:
        return reverse("admin:articles_article_change", args=[article.pk])

    def transition_view(self, request, object_id, action):
        article = self.article_or_404(request, object_id)
        if action == OTHER_ACTION and not request.POST.get(OTHER_FIELD):
            messages.error(request, "Choose one of the other actions first, then press its button.")
            return self._panel_again(request, object_id, action)
        transition = workflow.TRANSITIONS.get(chosen_transition(request.POST, action))
        if transition is None or not transition.button:
            raise Http404("No such transition.")
        form = transition.form(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{transition.label}: {label or field} – {' '.join(errors)}")
            return self._panel_again(request, object_id, action)
        if not publishing.confirmed(transition, request.POST):
            if refused := publishing.refusal(transition, article, request.user):
                messages.error(request, refused)
                return self._panel_again(request, object_id, action)
            return redirect(publishing.ask(request, article, transition, form))
        try:
            transition.run(article, user=request.user, **form.cleaned_data)
        except (PermissionDenied, workflow.WorkflowError) as error:
            messages.error(request, str(error))  # on the story's page, not a bare 403
            return self._panel_again(request, object_id, action)
        messages.success(request, f"{transition.label}: done for “{article.headline}”.")
        if Article.objects.visible_to(request.user).filter(pk=article.pk).exists():
            return redirect(self._change_url(article))
        return redirect("admin:articles_article_changelist")

    def _panel_again(self, request, object_id, action: str):
        """The story's page after an action its panel asked for was refused, with what was typed
        there (the comment, the time) kept in the panel: a redirect would lose it."""
        again = copy.copy(request)
        again.method = "GET"
        again.panel_data, again.panel_action = request.POST, action
        return self.change_view(again, object_id)

    def share_view(self, request, object_id):
        article = self.article_or_404(request, object_id)
        if not is_reviewer(request.user):
            raise PermissionDenied
        if article.is_trashed:
            messages.info(request, workflow.IN_THE_TRASH)
            return redirect(self._change_url(article))
        if article.is_live:
            messages.info(request, "This article is live: share its public address instead.")
            return redirect(self._change_url(article))
        link = ShareLink.objects.create(
            article=article,
            created_by=request.user,
            expires_at=timezone.now() + timedelta(hours=settings.SHARE_LINK_HOURS),
        )
        address = absolute(link.get_absolute_url())
        messages.success(
            request,
            format_html(
                "Share link created; it works until {} without a login: <a href='{}'>{}</a>",
                f"{timezone.localtime(link.expires_at):%d %b %Y, %H:%M}",
                address,
                address,
            ),
        )
        return redirect(self._change_url(article))

    def revoke_share_view(self, request, object_id, link_id):
        article = self.article_or_404(request, object_id)
        if not is_reviewer(request.user):
            raise PermissionDenied
        link = get_object_or_404(ShareLink, pk=link_id, article=article)
        link.revoked_at = link.revoked_at or timezone.now()
        link.save(update_fields=["revoked_at"])
        messages.success(request, "Share link revoked: it no longer works.")
        return redirect(self._change_url(article))

    def revisions_view(self, request, object_id):
        article = self.article_history_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "article": article,
            "title": f"Revisions of “{article.headline}”",
            "versions": revisions.versions_of(article),
            "may_restore": article.can_be_edited_by(request.user),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def compare_view(self, request, object_id):
        article = self.article_history_or_404(request, object_id)
        versions = revisions.versions_of(article)
        try:
            older = versions.get(pk=id_from(request.GET.get("from", "")))
            newer = versions.get(pk=id_from(request.GET.get("to", "")))
        except Version.DoesNotExist as error:
            raise Http404("Choose two revisions of this article.") from error
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        changes = diff.changes(revisions.version_snapshot(older), revisions.version_snapshot(newer))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "article": article,
            "title": f"Compare revisions of “{article.headline}”",
            "older": older,
            "newer": newer,
            "changes": changes,
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        article = self.article_history_or_404(request, object_id)
        version = get_object_or_404(revisions.versions_of(article), pk=version_id)
        revisions.restore(article, version, user=request.user)
        messages.success(request, "The revision was restored as a new revision; nothing was lost.")
        return HttpResponseRedirect(self._change_url(article))


@admin.register(SiteSettings)
class SiteSettingsAdmin(DeskModelAdmin):
    form = SiteSettingsForm
    list_display = ["site_name", "promo_text"]
    readonly_fields = ["default_share_image_preview", "publisher_logo_preview"]

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["site_name", "promo_text", "promo_url"]}),
            ("Default share image", {"fields": ["default_share_image_preview", *SHARE_IMAGE.field_names]}),
            ("Publisher logo", {"fields": ["publisher_logo_preview", *PUBLISHER_LOGO.field_names]}),
        ]

    @admin.display(description="Current share image")
    def default_share_image_preview(self, site: SiteSettings) -> str:
        return picture_preview(site.default_share_image, focal_for=SHARE_IMAGE.prefix)

    @admin.display(description="Current logo")
    def publisher_logo_preview(self, site: SiteSettings) -> str:
        return picture_preview(site.publisher_logo, focal_for=PUBLISHER_LOGO.prefix)

    def save_model(self, request, obj, form, change):
        form.save_picture(request.user)
        super().save_model(request, obj, form, change)

    def has_add_permission(self, request) -> bool:
        return not SiteSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(DeskModelAdmin):
    """Tags for the desk. Writers find (here and in a story's tag box) tags of stories they may
    see and tags nobody has used yet: a tag used only on someone else's draft could give it away."""

    form = TagForm
    list_display = ["name", "slug"]
    ordering = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        tags = super().get_queryset(request)
        if is_editor(request.user):
            return tags
        # A tag nobody has used yet (made ahead by an editor) gives nothing away.
        visible = Article.objects.visible_to(request.user).values("pk")
        used = TaggedArticle.objects.values("tag_id")
        seen = TaggedArticle.objects.filter(content_object__in=visible).values("tag_id")
        return tags.filter(~Q(pk__in=used) | Q(pk__in=seen))


@admin.register(Section)
class SectionAdmin(DeskModelAdmin):
    """The paper's sections, in the order of the navigation, each subsection under its parent
    (editors manage them). A section that holds stories or subsections cannot be deleted."""

    list_display = ["name", "parent", "slug", "position", "is_active", "live_stories"]
    list_display_links = ["name"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["parent"]
    ordering = SECTIONS_IN_ORDER
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "parent", "description", "position", "is_active"]

    def get_queryset(self, request):
        # The count of live stories comes with the rows, in the same query (published(): the one rule).
        live = (
            Article.objects.published()
            .filter(section=OuterRef("pk"))
            .order_by()
            .values("section")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return super().get_queryset(request).annotate(live_count=Coalesce(Subquery(live), 0))

    @admin.display(description="Live stories", ordering="live_count")
    def live_stories(self, section: Section) -> str:
        stories = reverse("admin:articles_article_changelist")
        return format_html('<a href="{}?section={}">{}</a>', stories, section.pk, section.live_count)

    def get_deleted_objects(self, objs, request):
        """A section that holds stories (filed there, live or not) or subsections is protected: the
        page says what to move first, without listing (or reading) every story in it."""
        sections = list(objs)
        protected = []
        for section in sections:
            stories = Article.objects.filter(section=section).count()
            if stories:
                trashed = Article.objects.in_trash().filter(section=section).count()
                where = (
                    f" ({trashed} in the trash: restore them to move them, or wait for the purge.)" if trashed else ""
                )
                protected.append(
                    f"{section}: {stories} {'story is' if stories == 1 else 'stories are'} filed in it. "
                    f"Move them to another section first.{where}"
                )
            children = [child.name for child in section.children.all()]
            if children:
                protected.append(f"{section}: its subsections ({', '.join(children)}) must be moved or deleted first.")
        if protected:
            return [], {}, set(), protected
        return super().get_deleted_objects(sections, request)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ProtectedError:  # a story filed in it after the page was shown: nothing was deleted
            return self._still_in_use(request)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ProtectedError:  # the same, through "Delete selected sections"
            return self._still_in_use(request)

    def _still_in_use(self, request):
        messages.error(request, "Nothing was deleted: a story was filed in the section meanwhile. Move it first.")
        return redirect("admin:articles_section_changelist")
