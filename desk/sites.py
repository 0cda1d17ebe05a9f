"""The desk's admin site: Django's, with the dashboard (desk.dashboard) as its index."""

from django.contrib import admin

from desk.dashboard import dashboard


class DeskSite(admin.AdminSite):
    site_header = site_title = "Newsroom desk"
    index_title = "Desk"

    def index(self, request, extra_context=None):
        return super().index(request, {"dashboard": dashboard(request.user), **(extra_context or {})})
