"""Forms of the editors' desk: the article form (with its merge of concurrent edits) and the byline."""

from hashlib import blake2b

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html
from taggit.models import Tag
from taggit.utils import parse_tags

from articles import diff, merge, revisions, workflow
from articles.body import picture_ids
from articles.models import Article, Byline, SiteSettings, tag_name_problem, unusable_picture_ids
from newsroom.lib.forms import PlainTextField
from newsroom.lib.html import WORDS_PER_MINUTE, reading_time, word_count
from newsroom.lib.html import clean as clean_html
from newsroom.lib.query import id_from
from newsroom.lib.widgets import AutocompleteSelect, CreatingAutocompleteSelectMultiple
from pictures.forms import PictureSlot, with_pictures

# The name of the workflow buttons of the change form; their value names the transition, or
# OTHER_ACTION for the one chosen in the panel's "Other actions" list (OTHER_FIELD).
TRANSITION_FIELD = "_transition"
OTHER_ACTION = "other"
OTHER_FIELD = "action-other"
# The prefix of the workflow fields on the change form: one comment box (and one time) shared by
# whichever action is chosen, so "action-comment" goes with Submit, Return, Unpublish alike.
ACTION_PREFIX = "action"
# The button that brings back the user's autosave into the form (nothing is saved until they save).
RESTORE_FIELD = "_restore_autosave"


def chosen_transition(data, pressed: str | None) -> str:
    """The name of the transition asked for: the button pressed, or the one chosen from the list
    of other actions when its button was pressed ("" if none was chosen)."""
    return (data.get(OTHER_FIELD) or "") if pressed == OTHER_ACTION else (pressed or "")


def field_label(name: str) -> str:
    """How the desk names a merged field (credit_id: "Credit"), as the compare page does."""
    return dict(diff.COMPARED_FIELDS)[name.removesuffix("_id")]


def form_field(name: str) -> str:
    """The form field that edits a merged field: a foreign key's id by the key's name."""
    return name.removesuffix("_id")


def _fingerprint(version: int, result: merge.Merge) -> str:
    """Names the conflicts a user was shown, so their choices apply to exactly those."""
    shown = repr((version, sorted(result.conflicts.items()), result.body_conflicts))
    return f"{version}:{blake2b(shown.encode(), digest_size=8).hexdigest()}"


LEAD_IMAGE = PictureSlot("lead_image")
SOCIAL_IMAGE = PictureSlot(
    "social_image",
    prefix="social_picture",
    label="Social image",
    help_text="For share cards only; the lead image is used if none. 1200 × 675 px or larger.",
)


class TagChoiceField(forms.ModelMultipleChoiceField):
    """Tags chosen in the autocomplete: ids of tags, and names typed there that are not tags yet
    (CreatingAutocompleteSelectMultiple). Cleans to (tags, names); a name is held to the rule of
    every new tag (tag_name_problem), and only someone who may add tags may type one."""

    creates = False

    def clean(self, value):
        values = [str(item) for item in (value or [])]
        ids = [item for item in values if id_from(item)]
        names = list(dict.fromkeys(" ".join(item.split()) for item in values if not id_from(item) and item.strip()))
        if names and not self.creates:
            raise ValidationError("Choose existing tags: you may not create new ones.", code="no_new_tags")
        problems = [problem for name in names if (problem := tag_name_problem(name))]
        if problems:
            raise ValidationError(problems)
        return list(super().clean(ids)) if ids else [], names


class ArticleAdminForm(with_pictures(LEAD_IMAGE, SOCIAL_IMAGE), forms.ModelForm):
    """The article change form. It carries the version it was opened at. A save over someone
    else's newer save is merged (articles.merge): what only they changed is kept, what only
    this user changed is applied, and what both changed is shown side by side to choose from,
    with the user's text still in the form."""

    tags = TagChoiceField(
        queryset=Tag.objects.all(),
        required=False,
        widget=CreatingAutocompleteSelectMultiple(Article._meta.get_field("tags"), admin.site),
        help_text="Start typing to find a tag.",
    )
    new_tags = PlainTextField(
        required=False,
        max_length=500,
        help_text="Tags that do not exist yet, separated by commas.",
    )
    opened_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    conflict_seen = PlainTextField(widget=forms.HiddenInput, required=False, max_length=100)
    substantive = forms.BooleanField(
        required=False,
        label="Substantive update",
        help_text="Show readers an “Updated” time. Leave unticked for a typo fix.",
    )
    change_note = PlainTextField(
        required=False, max_length=500, label="Change note", help_text="For the log: what changed and why."
    )

    class Meta:
        model = Article
        fields = [
            "kicker",
            "headline",
            "slug",
            "standfirst",
            "body",
            "section",
            "also_in",
            "dateline_place",
            "language",
            "credit",
            "tags",
            "seo_title",
            "meta_description",
            "social_headline",
            "social_description",
        ]
        widgets = {
            "also_in": forms.CheckboxSelectMultiple,
            "meta_description": forms.Textarea(attrs={"rows": 3}),
            "social_description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        self.user = kwargs.pop("user", None)
        self.restored = kwargs.pop("restored", None)  # the autosave this form was filled from
        super().__init__(*args, **kwargs)
        self.conflict: dict | None = None
        self.merged: dict | None = None  # who and what a successful merge kept, for the message
        self.merge_base: dict | None = None  # the version the user opened, for merging the byline
        self.fields["opened_version"].initial = self.instance.version
        if "slug" in self.fields and self.instance.pk and self.instance.has_been_published:
            self.fields["slug"].help_text = (
                "The story has been published at this address. Change it only to fix a mistake: "
                "the old address will redirect here."
            )
        if self.user is not None and not self.user.has_perm("taggit.add_tag"):
            del self.fields["new_tags"]
        elif "tags" in self.fields:
            # A tag that does not exist yet is typed in the autocomplete itself (or the box below).
            self.fields["tags"].creates = self.fields["tags"].widget.creates = True
            self.fields["tags"].help_text = "Start typing to find a tag; type a new one and a comma to create it."
        if "body" in self.fields:  # counted again as the writer types (static/desk/wordcount.js)
            # Not self["body"]: a bound field made now would keep the help text it had.
            body = self.data.get("body") if self.is_bound else self.get_initial_for_field(self.fields["body"], "body")
            counted = reading_time(word_count(body or ""))
            self.fields["body"].help_text = format_html(
                '{} <span class="desk-wordcount" aria-live="polite" data-words-per-minute="{}">{}</span>',
                self.fields["body"].help_text,
                WORDS_PER_MINUTE,
                counted,
            )
        if not self.instance.is_live:
            del self.fields["substantive"], self.fields["change_note"]

    def clean_body(self) -> str:
        """A body naming a picture (inline or in a gallery) this user may not use, or one that does
        not exist, is refused with the ids: a forged or stale id never reaches a reader."""
        body = self.cleaned_data.get("body") or ""
        if self.user is not None and (refused := unusable_picture_ids(self.user, picture_ids(clean_html(body)))):
            listed = ", ".join(str(pk) for pk in refused)
            raise ValidationError(
                f"The body shows {'a picture' if len(refused) == 1 else 'pictures'} you cannot use "
                f"(not in the library, or not yours to use): {listed}. Remove "
                f"{'it' if len(refused) == 1 else 'them'}, or choose from the picture library.",
                code="unusable_picture",
            )
        return body

    def clean_new_tags(self) -> list[str]:
        names = parse_tags(self.cleaned_data.get("new_tags", ""))
        problems = [problem for name in names if (problem := tag_name_problem(name))]
        if problems:
            raise ValidationError(problems)
        return names

    def clean(self):
        cleaned = super().clean()
        if "tags" in cleaned:
            chosen, typed = cleaned["tags"]
            cleaned["tags"] = [*chosen, *typed, *cleaned.get("new_tags", [])]
        self._check_transition()
        if self.instance.pk and not self.errors:
            self._merge_if_stale(cleaned)
        if self.restored is not None:
            when = timezone.localtime(self.restored.saved_at).strftime("%d %b %Y, %H:%M")
            self.add_error(
                None,
                ValidationError(
                    f"These are your unsaved changes from {when}, brought back into the form. Nothing is "
                    "saved yet: check them (a picture you had chosen must be chosen again), then save.",
                    code="restored",
                ),
            )
        return cleaned

    def _check_transition(self) -> None:
        """A workflow button pressed on this form: its own fields (a comment, a time) are checked
        with the story's, so a mistake in either leaves nothing done and everything typed in place."""
        self.transition, self.transition_form = None, None
        pressed = self.data.get(TRANSITION_FIELD)
        if not pressed:
            return
        name = chosen_transition(self.data, pressed)
        if not name:
            raise ValidationError("Choose one of the other actions first, then press its button.")
        transition = workflow.TRANSITIONS.get(name)
        if transition is None or not transition.button or self.instance.pk is None:
            raise ValidationError("That workflow action does not exist.")
        self.transition = transition
        self.transition_form = transition.form(self.data, prefix=ACTION_PREFIX, label_suffix="")
        for field, errors in self.transition_form.errors.items():
            label = self.transition_form.fields[field].label if field in self.transition_form.fields else ""
            self.add_error(None, f"{transition.label}: {label or field} – {' '.join(errors)}")

    def _mine(self, cleaned, stored: Article) -> dict:
        """This user's form as a merge snapshot; fields the form does not hold are the saved ones."""
        theirs = revisions.merge_snapshot(stored)
        mine = {}
        for name in merge.SCALAR_FIELDS:
            field = form_field(name)
            if field not in cleaned:
                mine[name] = theirs[name]
            else:
                mine[name] = cleaned[field] if field == name else getattr(cleaned[field], "pk", None)
        for name in merge.SET_FIELDS:
            mine[name] = {item.pk for item in cleaned[name]} if name in cleaned else theirs[name]
        mine["body"] = clean_html(cleaned["body"]) if "body" in cleaned else theirs["body"]
        mine["tags"] = (
            {(tag if isinstance(tag, str) else tag.name).casefold() for tag in cleaned["tags"]}
            if "tags" in cleaned
            else theirs["tags"]
        )
        return mine

    def _merge_if_stale(self, cleaned) -> None:
        opened_at = cleaned.get("opened_version")
        current = self.instance.version  # the admin loaded the row locked, so this is the latest save
        if opened_at is None or opened_at == current:
            return
        stored = Article.objects.select_related("credit", "edited_by").get(pk=self.instance.pk)
        self.merge_base = revisions.merge_snapshot_at(stored, opened_at)
        theirs = revisions.merge_snapshot(stored)
        result = merge.merge(self.merge_base, self._mine(cleaned, stored), theirs)
        who = stored.edited_by.get_username() if stored.edited_by else "someone"
        when = timezone.localtime(stored.edited_at).strftime("%d %b %Y, %H:%M:%S")
        fingerprint = _fingerprint(current, result)
        if result.has_conflicts and cleaned.get("conflict_seen") != fingerprint:
            self._show_conflicts(result, theirs, stored, fingerprint)
            raise ValidationError(
                f"{who} saved this article at {when}, after you opened it. Nothing has been saved yet: "
                "the changes only one of you made are in the form below, and where you both changed "
                "the same thing, both versions are shown above it. Choose, then save again.",
                code="stale",
            )
        self._apply(cleaned, result, theirs)
        kept = [field_label(name) for name in result.theirs_only]
        self.merged = {"who": who, "when": when, "kept": kept}

    def _choice(self, name: str) -> str:
        return "theirs" if self.data.get(f"merge-{name}") == "theirs" else "mine"

    def _apply(self, cleaned, result: merge.Merge, theirs: dict) -> None:
        """The merged values into the cleaned data, with the user's choice where both changed a field."""
        values = dict(result.values)
        for name, conflict in result.conflicts.items():
            if self._choice(name) == "theirs":
                values[name] = conflict.theirs[0]
        choices = {n: self._choice(f"body-{n}") for n in range(len(result.body_conflicts))}
        values["body"] = result.body(choices)
        for name in [*merge.SCALAR_FIELDS, "body"]:
            field = form_field(name)
            if field not in cleaned:
                continue
            if field == name:
                cleaned[name] = values[name]
            else:  # a foreign key: the chosen row (gone, if someone deleted it meanwhile: then none)
                cleaned[field] = self.fields[field].queryset.filter(pk=values[name]).first()
        for name in merge.SET_FIELDS:
            if name in cleaned:
                cleaned[name] = self.fields[name].queryset.filter(pk__in=values[name])
        if "tags" in cleaned:
            submitted = {(tag if isinstance(tag, str) else tag.name).casefold(): tag for tag in cleaned["tags"]}
            saved = {tag.name.casefold(): tag for tag in self.instance.tags.all()}
            cleaned["tags"] = [submitted.get(name) or saved[name] for name in sorted(values["tags"])]

    def _show_conflicts(self, result: merge.Merge, theirs: dict, stored: Article, fingerprint: str) -> None:
        """The form again with the merged values, and what both changed side by side."""
        data = self.data.copy()
        for name in result.theirs_only:
            if name not in ("body", *merge.SET_FIELDS) and form_field(name) in self.fields:
                data[form_field(name)] = "" if theirs[name] is None else theirs[name]
        for name in merge.SET_FIELDS:  # what both added, without what either removed
            if name in self.fields:
                data.setlist(name, [str(pk) for pk in sorted(result.values[name])])
        data["body"] = result.body()
        existing = {tag.name.casefold(): tag for tag in Tag.objects.filter(name__in=[*result.values["tags"]])}
        existing |= {tag.name.casefold(): tag for tag in stored.tags.all()}
        data.setlist("tags", [str(existing[name].pk) for name in sorted(result.values["tags"]) if name in existing])
        if "new_tags" in self.fields:
            data["new_tags"] = ", ".join(name for name in sorted(result.values["tags"]) if name not in existing)
        data["conflict_seen"] = fingerprint
        self.data = data
        fields = []
        for name, conflict in result.conflicts.items():
            mine, their = conflict.mine[0], conflict.theirs[0]
            if form_field(name) != name:  # a foreign key: its rows by name
                names = {
                    row.pk: str(row) for row in self.fields[form_field(name)].queryset.filter(pk__in=[mine, their])
                }
                mine, their = names.get(mine, ""), names.get(their, "")
            mine, their = str(mine or ""), str(their or "")
            fields.append(
                {
                    "name": name,
                    "label": field_label(name),
                    "mine": mine,
                    "theirs": their,
                    "diff": diff.inline_diff(their, mine),
                }
            )
        body = [
            {
                "number": number,
                # Block by block, as the compare shows them: a picture or a gallery has no text to read.
                "mine": diff.as_blocks("".join(conflict.mine)),
                "theirs": diff.as_blocks("".join(conflict.theirs)),
                "diff": diff.block_diff(
                    diff.canonical("".join(conflict.theirs)), diff.canonical("".join(conflict.mine))
                ),
            }
            for number, conflict in enumerate(result.body_conflicts)
        ]
        self.conflict = {"by": stored.edited_by, "at": stored.edited_at, "fields": fields, "body": body}


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
    """The byline is saved as a whole, by author (Article.set_byline): in the order of the
    position numbers (blank ones last), renumbered 0, 1, 2…"""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Rows are matched by author, not by id: the id of a row someone else's save removed
        # must not make this form invalid (it did, with an error nobody could see).
        name = self.model._meta.pk.name
        form.fields[name] = forms.IntegerField(
            required=False, widget=forms.HiddenInput, initial=form.fields[name].initial
        )

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


class TagForm(forms.ModelForm):
    """A tag as editors name it: the same rule as a tag typed on a story (tag_name_problem)."""

    name = PlainTextField(max_length=100)

    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if problem := tag_name_problem(name):
            raise ValidationError(problem)
        return name


SHARE_IMAGE = PictureSlot(
    "default_share_image",
    prefix="share_image",
    label="Share image",
    help_text="Shown on share cards of pages without a picture of their own. 1200 × 675 px or larger.",
)
PUBLISHER_LOGO = PictureSlot(
    "publisher_logo",
    prefix="logo",
    label="Logo",
    help_text="For search engines and feeds: square, at least 512 × 512 px, on a plain background.",
)


class SiteSettingsForm(with_pictures(SHARE_IMAGE, PUBLISHER_LOGO), forms.ModelForm):
    class Meta:
        model = SiteSettings
        fields = ["site_name", "promo_text", "promo_url"]
