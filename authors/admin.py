from django.contrib import admin

from authors.models import Author


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "job_title", "is_active", "user"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "job_title", "bio", "photo", "is_active"]}),
        ("Links", {"fields": ["website", "x_handle", "mastodon_handle", "bluesky_handle"]}),
        ("Desk only", {"fields": ["email", "user"]}),
    ]
