from django.contrib import admin

from authors.models import Author

# What a writer may change on the author linked to their own account.
OWN_PROFILE_FIELDS = {"bio", "photo"}


def manages_authors(user) -> bool:
    """Editors manage every author; writers only their own bio and photo."""
    return user.is_active and user.has_perm("authors.add_author")


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "job_title", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["name", "slug", "kind", "job_title", "bio", "photo", "is_active"]}),
            ("Links", {"fields": ["website", "x_handle", "mastodon_handle", "bluesky_handle"]}),
        ]
        if manages_authors(request.user):
            fieldsets.append(("Desk only (never shown on the site)", {"fields": ["email", "user"]}))
        return fieldsets

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if manages_authors(request.user) else {}

    def get_readonly_fields(self, request, obj=None):
        if manages_authors(request.user):
            return []
        fields = [field for _, options in self.get_fieldsets(request, obj) for field in options["fields"]]
        return [field for field in fields if field not in OWN_PROFILE_FIELDS]

    def has_change_permission(self, request, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or manages_authors(request.user) or obj.user_id == request.user.pk
