from django.contrib import admin

from articles.models import Article, Byline, SiteSettings


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["author"]
    fields = ["position", "author", "role"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "status", "published_at", "edited_at"]
    list_filter = ["status"]
    search_fields = ["headline", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["credit"]
    inlines = [BylineInline]
    fields = ["headline", "slug", "standfirst", "body", "dateline_place", "language", "credit", "tags"]


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    list_display = ["site_name", "promo_text"]

    def has_add_permission(self, request) -> bool:
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
