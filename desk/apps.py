from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class DeskConfig(AppConfig):
    """The editors' desk: the article admin, its forms and its own pages."""

    name = "desk"
    default = True  # the app's own config; DeskAdminConfig below stands in for Django's admin


class DeskAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the desk's site (desk.sites.DeskSite, its dashboard) as admin.site."""

    default = False
    default_site = "desk.sites.DeskSite"
