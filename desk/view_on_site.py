"""The admin's "View on site" link, answering only for what the user may see."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect


def view_on_site(request, content_type_id: int, object_id: str):
    """The admin's "View on site" (/admin/r/<type>/<id>/), answering only for what the user may
    see in the admin and what its ModelAdmin offers a link for. Django's own redirects any
    staff member to any object's URL, so a writer could read the slugs of others' drafts. A
    hidden object and a missing one get the same 404."""
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_view_or_change_permission(request):
        raise Http404("Nothing to show on the site.")
    try:
        obj = model_admin.get_object(request, unquote(object_id))
    except (ValueError, ValidationError):
        obj = None
    if obj is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404("Nothing to show on the site.")
    if callable(model_admin.view_on_site):
        url = model_admin.view_on_site(obj)
    else:
        url = obj.get_absolute_url() if model_admin.view_on_site and hasattr(obj, "get_absolute_url") else None
    if not url:
        raise Http404("Nothing to show on the site.")
    return HttpResponseRedirect(url)
