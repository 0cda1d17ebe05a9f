from django import forms
from django.contrib import admin

from authors.models import Author
from newsroom.lib.admin import DeskModelAdmin
from newsroom.lib.widgets import AutocompleteAdminMixin
from pictures.admin import picture_preview
from pictures.forms import PictureSlot, with_pictures

PHOTO_FIELDS = ["photo_preview", "image", "image_credit", "image_focal_x", "image_focal_y", "image_remove"]
# What a writer may change on the author linked to their own account: the bio and the photo.
OWN_PROFILE_FIELDS = {"bio", *PHOTO_FIELDS}


# The photo's alt text is the author's name.
PHOTO = PictureSlot("photo", label="Photo", alt_required=False)


class AuthorForm(with_pictures(PHOTO), forms.ModelForm):
    class Meta:
        model = Author
        fields = [
            "name",
            "slug",
            "kind",
            "job_title",
            "bio",
            "is_active",
            "website",
            "x_handle",
            "mastodon_handle",
            "bluesky_handle",
            "email",
            "user",
        ]

    def save_picture(self, user) -> None:
        self.cleaned_data["image_alt"] = self.cleaned_data.get("name") or self.instance.name
        super().save_picture(user)


def manages_authors(user) -> bool:
    """Editors manage every author; writers only their own bio and photo."""
    return user.is_active and user.has_perm("authors.add_author")


@admin.register(Author)
class AuthorAdmin(AutocompleteAdminMixin, DeskModelAdmin):
    form = AuthorForm
    readonly_fields = ["photo_preview"]
    list_display = ["name", "kind", "job_title", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]

    def get_fieldsets(self, request, obj=None):
        editable = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        fieldsets = [
            (None, {"fields": ["name", "slug", "kind", "job_title", "bio", "is_active"]}),
            ("Photo", {"fields": PHOTO_FIELDS if editable else ["photo_preview"]}),
            ("Links", {"fields": ["website", "x_handle", "mastodon_handle", "bluesky_handle"]}),
        ]
        if manages_authors(request.user):
            fieldsets.append(("Desk only (never shown on the site)", {"fields": ["email", "user"]}))
        return fieldsets

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if manages_authors(request.user) else {}

    def get_readonly_fields(self, request, obj=None):
        if manages_authors(request.user):
            return ["photo_preview"]
        fields = [field for _, options in self.get_fieldsets(request, obj) for field in options["fields"]]
        return ["photo_preview", *(field for field in fields if field not in OWN_PROFILE_FIELDS)]

    @admin.display(description="Current photo")
    def photo_preview(self, author: Author) -> str:
        return picture_preview(author.photo, focal_for=PHOTO.prefix)

    def save_model(self, request, obj, form, change):
        form.save_picture(request.user)
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or manages_authors(request.user) or obj.user_id == request.user.pk
