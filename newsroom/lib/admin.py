"""What every desk ModelAdmin shares: a changelist takes only the filters it shows.

Django's admin accepts any lookup on a model's own fields in the query string
(`?email__startswith=a`, `?body__regex=(a+)+$`): an oracle for what the page never shows and a
way to hold a worker with a catastrophic regex. Here a changelist accepts exactly the parameters
its declared list_filter and date_hierarchy produce, and search goes through search_fields only.
"""

from django.contrib import admin
from django.contrib.admin.filters import FieldListFilter
from django.contrib.admin.utils import get_fields_from_path


def declared_parameters(model_admin, request) -> set[str]:
    """The query-string names the changelist's own filters read."""
    names = set()
    for list_filter in model_admin.get_list_filter(request):
        if callable(list_filter) and not isinstance(list_filter, (tuple, list)):
            spec = list_filter(request, {}, model_admin.model, model_admin)
        else:
            field_path, filter_class = (
                list_filter if isinstance(list_filter, (tuple, list)) else (list_filter, FieldListFilter.create)
            )
            field = get_fields_from_path(model_admin.model, field_path)[-1]
            spec = filter_class(field, request, {}, model_admin.model, model_admin, field_path=field_path)
        names.update(spec.expected_parameters())
    if model_admin.date_hierarchy:
        names.update(f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day"))
    return names


class StrictLookupsMixin:
    def lookup_allowed(self, lookup, value, request=None) -> bool:
        if request is None:
            return False
        if not hasattr(self, "_declared_parameters"):
            # The names depend on the filters, not on who asks: worked out once per process.
            self._declared_parameters = declared_parameters(self, request)
        return lookup in self._declared_parameters and super().lookup_allowed(lookup, value, request)


class NoRelatedDeleteMixin:
    """No form field offers to delete the record it points to (the admin's ✖ beside a choice,
    which removed an author's record from a story's byline row): a record is deleted on its own
    page, where what depends on it is listed. For ModelAdmins and inlines alike."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if hasattr(getattr(formfield, "widget", None), "can_delete_related"):
            formfield.widget.can_delete_related = False
        return formfield


class DeskModelAdmin(StrictLookupsMixin, NoRelatedDeleteMixin, admin.ModelAdmin):
    """The base of every ModelAdmin of ours (tests/security/test_admin_scope.py checks it)."""
