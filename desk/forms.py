"""Forms of the editors' desk: the article form (with its edit-conflict check) and the byline."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from taggit.models import Tag
from taggit.utils import parse_tags

from articles import diff
from articles.models import Article, Byline, tag_name_problem
from articles.revisions import article_snapshot
from newsroom.lib.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from pictures.forms import PictureFieldsMixin


class ArticleAdminForm(PictureFieldsMixin, forms.ModelForm):
    """The article change form. It carries the version it was opened at: a save over someone
    else's newer save is refused, the user's text stays in the form, and the difference is shown."""

    picture_field = "lead_image"

    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.all(),
        required=False,
        widget=AutocompleteSelectMultiple(Article._meta.get_field("tags"), admin.site),
        help_text="Start typing to find a tag.",
    )
    new_tags = forms.CharField(
        required=False,
        max_length=500,
        help_text="Tags that do not exist yet, separated by commas.",
    )
    opened_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    conflict_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)
    overwrite = forms.BooleanField(
        required=False,
        label="Save my version anyway",
        help_text="Replace the other person's changes shown above with mine.",
    )
    substantive = forms.BooleanField(
        required=False,
        label="Substantive update",
        help_text="Show readers an “Updated” time. Leave unticked for a typo fix.",
    )
    change_note = forms.CharField(
        required=False, max_length=500, label="Change note", help_text="For the log: what changed and why."
    )

    class Meta:
        model = Article
        fields = ["headline", "slug", "standfirst", "body", "dateline_place", "language", "credit", "tags"]

    def __init__(self, *args, **kwargs):
        self.user = kwargs.pop("user", None)
        super().__init__(*args, **kwargs)
        self.conflict: dict | None = None
        self.fields["opened_version"].initial = self.instance.version
        if "slug" in self.fields and self.instance.pk and self.instance.has_been_published:
            self.fields["slug"].help_text = (
                "The story has been published at this address. Change it only to fix a mistake: "
                "the old address will redirect here."
            )
        if self.user is not None and not self.user.has_perm("taggit.add_tag"):
            del self.fields["new_tags"]
        if not self.instance.is_live:
            del self.fields["substantive"], self.fields["change_note"]

    def clean_new_tags(self) -> list[str]:
        names = parse_tags(self.cleaned_data.get("new_tags", ""))
        problems = [problem for name in names if (problem := tag_name_problem(name))]
        if problems:
            raise ValidationError(problems)
        return names

    def clean(self):
        cleaned = super().clean()
        if "tags" in cleaned:
            cleaned["tags"] = [*cleaned["tags"], *cleaned.get("new_tags", [])]
        if self.instance.pk:
            self._check_version(cleaned)
        return cleaned

    def _check_version(self, cleaned) -> None:
        opened_at = cleaned.get("opened_version")
        current = self.instance.version  # the admin loaded the row locked, so this is the latest save
        if opened_at is None or opened_at == current:
            return
        if cleaned.get("overwrite") and cleaned.get("conflict_seen") == current:
            return
        stored = Article.objects.select_related("credit", "edited_by").get(pk=self.instance.pk)
        mine = self._submitted_snapshot(cleaned, stored)
        self.conflict = {
            "by": stored.edited_by,
            "at": stored.edited_at,
            "changes": diff.changes(article_snapshot(stored), mine),
        }
        # The next save may overwrite, but only this version and only if the user says so.
        data = self.data.copy()
        data["conflict_seen"] = current
        self.data = data
        who = stored.edited_by.get_username() if stored.edited_by else "someone"
        when = timezone.localtime(stored.edited_at).strftime("%d %b %Y, %H:%M:%S")
        raise ValidationError(
            f"{who} saved this article at {when}, after you opened it. Your changes have not been saved; "
            "they are still in the form below. Compare them with the saved version, then save again "
            "with “Save my version anyway” ticked, or reload the page to start from the saved version.",
            code="stale",
        )

    def _submitted_snapshot(self, cleaned, stored: Article) -> dict[str, str]:
        credit = cleaned.get("credit", stored.credit)
        return diff.snapshot(
            headline=cleaned.get("headline", stored.headline),
            slug=cleaned.get("slug", stored.slug),
            standfirst=cleaned.get("standfirst", stored.standfirst),
            body=cleaned.get("body", stored.body),
            dateline_place=cleaned.get("dateline_place", stored.dateline_place),
            language=cleaned.get("language", stored.language),
            credit=credit.name if credit else "",
            byline=[byline.author.name for byline in stored.bylines.select_related("author")],
            tags=[tag if isinstance(tag, str) else tag.name for tag in cleaned.get("tags", [])],
        )


class KnownAuthorSelect(AutocompleteSelect):
    """The author autocomplete, drawing the selected author from the byline row already read
    (BylineInline selects it with the row) instead of one query per row."""

    known = None

    def optgroups(self, name, value, attr=None):
        if self.known is not None and [str(v) for v in value if v] == [str(self.known.pk)]:
            return [(None, [self.create_option(name, self.known.pk, str(self.known), True, 0)], 0)]
        return super().optgroups(name, value, attr)


class BylineForm(forms.ModelForm):
    position = forms.IntegerField(required=False, min_value=0, max_value=99, help_text="Order in the byline.")

    class Meta:
        model = Byline
        fields = ["position", "author", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        widget = getattr(self.fields["author"].widget, "widget", self.fields["author"].widget)
        if isinstance(widget, KnownAuthorSelect) and Byline.author.is_cached(self.instance):
            widget.known = self.instance.author

    def validate_unique(self):
        """Positions and authors are checked across the whole byline by the formset."""


class BylineFormSet(BaseInlineFormSet):
    """The byline is saved as a whole: in the order of the position numbers (blank ones last),
    renumbered 0, 1, 2…, so reordering never trips over the one-author-per-position rule."""

    def validate_unique(self):
        """Equal or blank positions are fine (they are renumbered); a repeated author is not (clean)."""

    def clean(self):
        super().clean()
        rows = [
            (form.cleaned_data.get("position"), index, form)
            for index, form in enumerate(self.forms)
            if form.cleaned_data and form.cleaned_data.get("author") and not self._should_delete_form(form)
        ]
        authors = [form.cleaned_data["author"] for _, _, form in rows]
        if len(set(authors)) != len(authors):
            raise ValidationError("An author can appear only once in the byline.")
        rows.sort(key=lambda row: (row[0] is None, row[0] or 0, row[1]))
        self.ordered = [(form.cleaned_data["author"], form.cleaned_data.get("role", "")) for _, _, form in rows]

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.instance.pk is not None and form.instance.article_id == self.instance.pk:
            form.instance.article = self.instance  # the article being edited: no query per row
        return form

    def save(self, commit=True):
        authors, roles = [author for author, _ in self.ordered], [role for _, role in self.ordered]
        self.new_objects = self.instance.set_byline(authors, roles)
        self.changed_objects, self.deleted_objects = [], []
        return self.new_objects
