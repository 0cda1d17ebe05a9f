"""The picture library at the desk: every picture a user may use (articles.models.usable_pictures),
to search, describe (alt text, caption, credit, focal point), replace and upload; deleted only
while no story shows it. And the two JSON calls the story editor makes (see /tmp/lead/blocks.md):

- GET  chooser/?q=<text>&page=<n>  -> {"results": [P...], "more": bool}, newest first, 24 a page
- GET  chooser/?ids=4,5,6          -> {"results": [P...]}, the usable ones, in the order asked
- POST upload/ (file, alt_text, caption, credit) -> 201 P, or 400 {"errors": {field: [message]}}

P = {"id", "alt", "caption", "credit", "thumb" (a ~320 px rendition's URL), "width", "height"}.

Here rather than in pictures/admin.py: the rule of who may use a picture and the stories showing
one are the articles' (imports point down); pictures.admin keeps the preview helpers.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article, ArticlePicture, is_editor, usable_pictures
from newsroom.lib import images
from newsroom.lib.admin import DeskModelAdmin
from newsroom.lib.forms import PlainTextField
from newsroom.lib.query import id_from, whole_number
from newsroom.lib.text import without_unusable_characters
from pictures.admin import picture_preview
from pictures.forms import ACCEPT, ALT_TEXT_MISSING, UPLOAD_HELP, PictureUploadForm
from pictures.models import Picture

PER_PAGE = 24
MOST_PAGES = 1_000  # deeper than anyone scrolls a chooser; bounds the OFFSET
MOST_IDS = 100  # a gallery holds 30
MOST_QUERY = 200  # characters of a search
MOST_STORIES_NAMED = 20  # in the message refusing a deletion
THUMB_WIDTH = 320


def chosen(picture: Picture) -> dict:
    """A picture as the story editor's chooser shows it (P in the module's docstring)."""
    thumb = picture.best("4x3", "jpeg", at_least=THUMB_WIDTH)
    return {
        "id": picture.pk,
        "alt": picture.alt_text,
        "caption": picture.caption,
        "credit": picture.credit,
        "thumb": picture.url_of(thumb) if thumb else "",
        "width": picture.width,
        "height": picture.height,
    }


def errors_of(form: forms.Form) -> dict[str, list[str]]:
    return {field: [str(message) for message in messages_] for field, messages_ in form.errors.items()}


class PictureAddForm(PictureUploadForm, forms.ModelForm):
    """The library's Add page: the upload's own fields and validation (PictureUploadForm)."""

    class Meta:
        model = Picture
        fields = ["alt_text", "caption", "credit"]


class PictureChangeForm(forms.ModelForm):
    """A picture's description and focal point (as percentages, which static/desk/focal.js sets by
    a click on the picture), and a file to replace it with, validated as every upload is."""

    alt_text = PlainTextField(
        max_length=300,
        label="Alt text",
        help_text="What the picture shows, for readers who cannot see it.",
        error_messages={"required": ALT_TEXT_MISSING},
    )
    picture_focal_x = forms.IntegerField(
        min_value=0, max_value=100, label="Focal point, across (%)", help_text="Crops keep this point."
    )
    picture_focal_y = forms.IntegerField(min_value=0, max_value=100, label="Focal point, down (%)")
    replacement = forms.FileField(
        required=False,
        label="Replace the file",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=f"Every story showing the picture shows the new file. {UPLOAD_HELP}",
        error_messages={"empty": images.empty_or_damaged()},
    )

    class Meta:
        model = Picture
        fields = ["alt_text", "caption", "credit"]

    class Media:
        js = ["desk/focal.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("picture_focal_x", round(self.instance.focal_x * 100))
        self.initial.setdefault("picture_focal_y", round(self.instance.focal_y * 100))

    def clean_replacement(self) -> images.CleanImage | None:
        upload = self.cleaned_data.get("replacement")
        return images.clean_upload(upload) if upload else None

    def save(self, commit=True):
        picture = super().save(commit=False)
        focal = (self.cleaned_data["picture_focal_x"] / 100, self.cleaned_data["picture_focal_y"] / 100)
        self.moved = focal != (picture.focal_x, picture.focal_y)
        picture.focal_x, picture.focal_y = focal
        if commit:
            self.save_picture()
        return picture

    def save_picture(self) -> None:
        """Store the change: a replaced file or a moved focal point makes the renditions anew."""
        picture = self.instance
        if (replacement := self.cleaned_data.get("replacement")) is not None:
            picture.replace_file(replacement)
            return
        if self.moved:  # one save, so stories showing it are told once
            picture.remake_renditions(also=["alt_text", "caption", "credit"])
        else:
            picture.save()


@admin.register(Picture)
class PictureAdmin(DeskModelAdmin):
    list_display = ["thumbnail", "alt_text", "caption", "credit", "uploader", "stories"]
    list_display_links = ["alt_text"]  # the thumbnail is decorative beside it (alt="")
    search_fields = ["alt_text", "caption", "credit"]
    ordering = ["-created_at", "-pk"]
    readonly_fields = ["preview"]
    list_per_page = 50
    show_full_result_count = False
    actions = None  # no bulk deletion: one at a time, where the stories showing it are named

    # Who sees and changes what: the one rule of usable pictures, on the server for every request.

    def get_queryset(self, request):
        body = ArticlePicture.objects.filter(picture=OuterRef("pk")).order_by().values("picture")
        lead = Article.objects.filter(Q(lead_image=OuterRef("pk")) | Q(social_image=OuterRef("pk")))
        return (
            usable_pictures(request.user)
            .select_related("uploaded_by")
            .annotate(
                body_uses=Coalesce(Subquery(body.annotate(n=Count("pk")).values("n")), 0),
                lead_uses=Coalesce(Subquery(lead.order_by().values(n=Count("pk"))[:1]), 0),
            )
        )

    def has_change_permission(self, request, obj=None) -> bool:
        """Editors describe every picture; writers the ones they uploaded (others' are read only)."""
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or is_editor(request.user) or obj.uploaded_by_id == request.user.pk

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = PictureChangeForm if obj is not None else PictureAddForm
        # The forms' own fields (the file is not a field of the model's that a form may edit);
        # the description only, to read, for someone who may not change it.
        read_only = obj is not None and not self.has_change_permission(request, obj)
        kwargs["fields"] = ["alt_text", "caption", "credit"] if read_only else None
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["file", "alt_text", "caption", "credit"]
        described = ["preview", "alt_text", "caption", "credit"]
        if not self.has_change_permission(request, obj):
            return described
        return [*described, "picture_focal_x", "picture_focal_y", "replacement"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return ["preview", "alt_text", "caption", "credit"]
        return self.readonly_fields

    def save_form(self, request, form, change):
        if not change:  # stored through the one upload pipeline, renditions and all
            return form.create_picture(request.user)
        return form.save(commit=False)

    def save_related(self, request, form, formsets, change):
        if change:  # a picture has no many-to-many fields; a new one was stored whole
            super().save_related(request, form, formsets, change)

    def save_model(self, request, obj, form, change):
        if change:  # a new picture was stored by save_form()
            form.save_picture()

    # The list.

    @admin.display(description="Picture")
    def thumbnail(self, picture: Picture) -> str:
        thumb = picture.best("4x3", "jpeg", at_least=THUMB_WIDTH)
        if thumb is None:
            return "–"
        return format_html(
            '<img src="{}" width="120" height="90" alt="" class="picture-thumbnail">', picture.url_of(thumb)
        )

    @admin.display(description="Uploaded by", ordering="uploaded_by__username")
    def uploader(self, picture: Picture) -> str:
        return picture.uploaded_by.get_username() if picture.uploaded_by else "–"

    @admin.display(description="Used in")
    def stories(self, picture: Picture) -> str:
        parts = []
        if picture.body_uses:
            parts.append(f"{picture.body_uses} stor{'y' if picture.body_uses == 1 else 'ies'}")
        if picture.lead_uses:
            parts.append(f"lead or social image of {picture.lead_uses}")
        return ", ".join(parts) or "No story"

    @admin.display(description="Picture")
    def preview(self, picture: Picture) -> str:
        # The focal point button shows only beside the focal point boxes (static/desk/focal.js).
        return picture_preview(picture, focal_for="picture")

    # Deleting: refused while a story shows the picture, naming the stories.

    def delete_view(self, request, object_id, extra_context=None):
        picture = self.get_object(request, unquote(object_id))
        if picture is not None and self.has_delete_permission(request, picture):
            stories = list(
                Article.objects.showing(picture)
                .order_by("-edited_at", "-pk")
                .only("pk", "headline")[: MOST_STORIES_NAMED + 1]
            )
            if stories:
                messages.error(request, self.refusal(picture, stories))
                return redirect(reverse("admin:pictures_picture_change", args=[picture.pk]))
        return super().delete_view(request, object_id, extra_context)

    @staticmethod
    def refusal(picture: Picture, stories: list[Article]) -> str:
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:articles_article_change", args=[story.pk]), story.headline)
                for story in stories[:MOST_STORIES_NAMED]
            ),
        )
        more = " and more" if len(stories) > MOST_STORIES_NAMED else ""
        return format_html(
            "“{}” was not deleted: {} show{} it ({}{}). Take it out of {} first.",
            picture,
            "a story" if len(stories) == 1 else "these stories",
            "s" if len(stories) == 1 else "",
            links,
            more,
            "it" if len(stories) == 1 else "them",
        )

    # The story editor's calls.

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("chooser/", self.admin_site.admin_view(require_GET(self.chooser_view)), name=f"{name}_chooser"),
            path("upload/", self.admin_site.admin_view(require_POST(self.upload_view)), name=f"{name}_upload"),
            *super().get_urls(),
        ]

    def chooser_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        usable = usable_pictures(request.user)
        if "ids" in request.GET:
            asked = [pk for part in request.GET["ids"].split(",")[:MOST_IDS] if (pk := id_from(part.strip()))]
            found = usable.in_bulk(asked)
            return JsonResponse({"results": [chosen(found[pk]) for pk in dict.fromkeys(asked) if pk in found]})
        text = without_unusable_characters(request.GET.get("q", ""))[:MOST_QUERY]
        page = whole_number(request.GET.get("page", "1"), least=1, most=MOST_PAGES) or 1
        start = (page - 1) * PER_PAGE
        rows = list(usable.matching(text).newest_first()[start : start + PER_PAGE + 1])
        return JsonResponse({"results": [chosen(picture) for picture in rows[:PER_PAGE]], "more": len(rows) > PER_PAGE})

    def upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PictureUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return JsonResponse({"errors": errors_of(form)}, status=400)
        with transaction.atomic():
            picture = form.create_picture(request.user)
        return JsonResponse(chosen(picture), status=201)
