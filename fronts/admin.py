"""The fronts at the desk: editors arrange a front's blocks by dragging them (django-admin-sortable2),
pin stories in their order, schedule the arrangement, preview it and restore an old one.

Every save of an arrangement (a Layout) makes a new one: the form of an existing layout is always
saved as new, so the history keeps each arrangement as it was, and the current one stays live
until the new one's time comes. Restoring is saving an old one again (or the "Restore" action).
The preview page is the readers' app's: public/admin.py adds it with front_preview().
"""

from collections.abc import Callable

from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.cache import never_cache

from articles.models import Article
from fronts.models import MOST_PER_BLOCK, Block, Front, Layout, Pin
from newsroom.lib.admin import DeskModelAdmin, NoRelatedDeleteMixin
from newsroom.lib.forms import PlainTextField
from newsroom.lib.widgets import AutocompleteAdminMixin, AutocompleteSelectMultiple

# The readers' app's preview of a layout: preview(request, layout) -> response (public/admin.py).
PREVIEW: list[Callable] = []


def front_preview(view: Callable) -> Callable:
    """Serve `view(request, layout)` as the preview of a layout at the desk."""
    PREVIEW[:] = [view]
    return view


class OrderedAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    """Redraws the chosen stories in the editor's order: Django lists them in queryset order."""

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        order = {str(item): index for index, item in enumerate(value)}
        for _, options, _ in groups:
            options.sort(key=lambda option: order.get(str(option["value"]), len(order)))
        return groups


class OrderedStoriesField(forms.ModelMultipleChoiceField):
    """Chosen stories as a list in the order they were given (the pins' order)."""

    def clean(self, value):
        chosen = super().clean(value)
        if len(chosen) > MOST_PER_BLOCK:
            raise forms.ValidationError(f"Pin at most {MOST_PER_BLOCK} stories in a block.")
        by_pk = {str(article.pk): article for article in chosen}
        ordered = [by_pk[str(item)] for item in dict.fromkeys(value or []) if str(item) in by_pk]
        return ordered


class BlockForm(forms.ModelForm):
    stories = OrderedStoriesField(
        queryset=Article.objects.only("pk", "headline"),
        required=False,
        widget=OrderedAutocompleteSelectMultiple(Block._meta.get_field("pinned"), admin.site),
        label="Pinned stories",
        help_text="Shown first, in this order; a story that is not live is left out until it is.",
    )

    class Meta:
        model = Block
        fields = ["kind", "title", "count", "section", "tag", "stories", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["stories"] = [pin.article_id for pin in self.instance.pins.all()]

    def has_changed(self) -> bool:
        # Saved as a new layout, each row is new: a row left as its defaults must be kept too.
        return True

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.pins.all().delete()
        Pin.objects.bulk_create(
            Pin(block=self.instance, article=article, position=index)
            for index, article in enumerate(self.cleaned_data.get("stories", []))
        )


class BlockInline(AutocompleteAdminMixin, NoRelatedDeleteMixin, SortableTabularInline):
    model = Block
    form = BlockForm
    extra = 0
    max_num = 20
    autocomplete_fields = ["section", "tag"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section__parent", "tag").prefetch_related("pins")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("section", "tag"):
            # A row of the arrangement picks a section or tag; it is not the place to edit one.
            field.widget.can_add_related = field.widget.can_change_related = field.widget.can_view_related = False
        return field


class LayoutForm(forms.ModelForm):
    live_from = forms.DateTimeField(
        label="Goes live at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        help_text=Layout._meta.get_field("live_from").help_text,
    )

    # "<front pk>:<pk of its newest arrangement>" when the form was opened: a save after another
    # editor saved that front is stopped once, with their arrangement named (nothing is lost
    # either way: every save is a revision, and the form comes back with what was arranged).
    opened = PlainTextField(widget=forms.HiddenInput, required=False, max_length=40)

    class Meta:
        model = Layout
        fields = ["front", "live_from", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        front = self.instance.front_id or self.initial.get("front")
        if front and not self.is_bound:
            self.initial["opened"] = f"{front}:{_newest_arrangement(front) or ''}"
        now = timezone.localtime().replace(second=0, microsecond=0)
        live_from = self.instance.live_from
        if not self.is_bound and (self.instance.pk is None or (live_from is not None and live_from <= now)):
            # Saving an arrangement that was live makes it live again now (a restore, an edit).
            self.initial["live_from"] = now
        self.initial["note"] = ""

    def clean(self):
        cleaned = super().clean()
        front, opened = cleaned.get("front"), (cleaned.get("opened") or "").split(":")
        if front is None or len(opened) != 2 or opened[0] != str(front.pk):
            return cleaned  # opened on another front, or posted without the field: nothing to compare
        newest = _newest_arrangement(front.pk)
        if newest is not None and str(newest) != opened[1]:
            other = Layout.objects.select_related("created_by").get(pk=newest)
            who = other.created_by.get_username() if other.created_by else "someone"
            when = timezone.localtime(other.created_at).strftime("%H:%M")
            self.data = self.data.copy()
            self.data["opened"] = f"{front.pk}:{newest}"  # seen: saving again replaces theirs
            raise forms.ValidationError(
                f"{who} saved an arrangement of this front at {when}, after you opened this one. Yours is "
                "below, not saved: open theirs in another tab to compare, or save again to make yours "
                "the newest (theirs stays in the history)."
            )
        return cleaned

    def clean_live_from(self):
        live_from = self.cleaned_data["live_from"]
        # A time that has passed means now: an arrangement cannot go live in the past, and it
        # must come after the one live now (the field shows minutes, the live one has seconds).
        return timezone.now() if live_from is not None and live_from <= timezone.now() else live_from


def _newest_arrangement(front_pk) -> int | None:
    return Layout.objects.filter(front_id=front_pk).order_by("-pk").values_list("pk", flat=True).first()


@admin.register(Layout)
class LayoutAdmin(SortableAdminBase, DeskModelAdmin):
    form = LayoutForm
    inlines = [BlockInline]
    list_display = ["__str__", "state_label", "live_from", "created_by", "note", "preview_link"]
    list_filter = ["front"]
    list_select_related = ["front__section__parent", "created_by"]
    actions = ["restore"]
    fields = ["front", "live_from", "note", "preview_link", "opened"]
    readonly_fields = ["preview_link"]

    class Media:
        css = {"all": ["fronts/layout.css"]}

    def get_queryset(self, request):
        live = Layout.objects.filter(front=OuterRef("front")).live().values("pk")[:1]
        return (
            super().get_queryset(request).select_related("front__section__parent", "created_by").annotate(live_pk=live)
        )

    @admin.display(description="state")
    def state_label(self, layout: Layout) -> str:
        return layout.state_beside(layout.live_pk)

    @admin.display(description="preview")
    def preview_link(self, layout: Layout) -> str:
        if not layout.pk:
            return "Save it (as a draft, with no time) to preview it."
        return format_html('<a href="{}">Preview</a>', reverse("admin:fronts_layout_preview", args=[layout.pk]))

    def get_urls(self):
        preview = self.admin_site.admin_view(never_cache(self.preview))
        return [path("<int:object_id>/preview/", preview, name="fronts_layout_preview"), *super().get_urls()]

    def preview(self, request, object_id: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        layout = get_object_or_404(Layout.objects.select_related("front__section__parent"), pk=object_id)
        return PREVIEW[0](request, layout)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id and request.method == "POST":
            # An arrangement is never changed in place: each save is a new revision.
            request.POST = request.POST.copy()
            request.POST["_saveasnew"] = "1"
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("front", Front.objects.filter(section__isnull=True).values_list("pk", flat=True).first())
        return initial

    def save_model(self, request, obj: Layout, form, change: bool) -> None:
        obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        if obj.live_from and obj.live_from > timezone.now():
            when = timezone.localtime(obj.live_from).strftime("%d %b %Y at %H:%M")
            self.message_user(request, f"Scheduled: this arrangement goes live on {when}.", messages.INFO)
        elif obj.live_from is None:
            self.message_user(request, "Saved as a draft: preview it, then give it a time to go live.", messages.INFO)
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description="Restore: make a copy of it live now", permissions=["add"])
    def restore(self, request, queryset):
        with transaction.atomic():
            for layout in queryset.select_related("front"):
                layout.copy(live_from=timezone.now(), user=request.user, note=f"Restored from {layout}")
        self.message_user(request, "Restored: the copy is live now.", messages.SUCCESS)


@admin.register(Front)
class FrontAdmin(DeskModelAdmin):
    list_display = ["__str__", "live_arrangement", "arrange"]
    list_select_related = ["section__parent"]
    fields = ["section", "history"]
    readonly_fields = ["history"]
    autocomplete_fields = ["section"]

    def get_readonly_fields(self, request, obj=None):
        return ["section", "history"] if obj else ["history"]

    def get_queryset(self, request):
        layouts = Layout.objects.filter(front=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                live_pk=layouts.live().values("pk")[:1],
                live_at=layouts.live().values("live_from")[:1],
                newest_pk=layouts.order_by("-pk").values("pk")[:1],
            )
        )

    @admin.display(description="live since")
    def live_arrangement(self, front: Front) -> str:
        return timezone.localtime(front.live_at).strftime("%d %b %Y %H:%M") if front.live_at else "none yet"

    @admin.display(description="")
    def arrange(self, front: Front) -> str:
        """The live arrangement to start from (or the newest one, or a first one)."""
        start = front.live_pk or front.newest_pk
        if start is None:
            return format_html('<a href="{}?front={}">Arrange</a>', reverse("admin:fronts_layout_add"), front.pk)
        return format_html('<a href="{}">Arrange</a>', reverse("admin:fronts_layout_change", args=[start]))

    @admin.display(description="history")
    def history(self, front: Front) -> str:
        if not front.pk:
            return "Save the front, then arrange it."
        layouts = list(front.layouts.select_related("created_by", "front__section__parent")[:50])
        live = front.live_layout()
        rows = [
            (
                reverse("admin:fronts_layout_change", args=[layout.pk]),
                str(layout),
                layout.state_beside(live.pk if live else None),
                layout.created_by or "",
                layout.note,
            )
            for layout in layouts
        ]
        if not rows:
            return format_html(
                '<a href="{}?front={}">Arrange this front</a>', reverse("admin:fronts_layout_add"), front.pk
            )
        return format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a>: {} · {} {}</li>', rows))
