"""The admin's autocomplete widgets, hardened: a tampered id in a POST is a form error, not a 500.

Django's autocomplete widgets look up the submitted ids to redraw an invalid form; an id that is
not a number ("abc") made that lookup raise ValueError. Ids the target field cannot read are
left out of the redraw (the field itself reports them as an invalid choice).
"""

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError


class ReadableIdsMixin:
    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field.target_field
        readable = []
        for item in value:
            try:
                target.to_python(item)
            except ValidationError:
                continue
            readable.append(item)
        return super().optgroups(name, readable, attr)


class AutocompleteSelect(ReadableIdsMixin, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(ReadableIdsMixin, widgets.AutocompleteSelectMultiple):
    pass


class CreatingAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    """An autocomplete in which a name that is no choice yet can be typed (select2's tagging; a
    comma ends a name): the name is posted as itself instead of an id, and drawn again as chosen
    when the form comes back. Tagging is on only once `creates` is set (who may create them)."""

    creates = False

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        if self.creates:
            attrs.update({"data-tags": "true", "data-token-separators": '[","]'})
        return attrs

    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field.target_field
        typed = []
        for item in value:
            try:
                target.to_python(item)
            except ValidationError:
                if str(item).strip():
                    typed.append(str(item))
        groups = super().optgroups(name, value, attr)
        options = groups[0][1]
        for item in typed:
            options.append(self.create_option(name, item, item, True, len(options)))
        return groups


class AutocompleteAdminMixin:
    """For a ModelAdmin or inline: its autocomplete_fields use the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = AutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = AutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)
