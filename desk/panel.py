"""The workflow panel of the story form: the one next action most likely wanted as the primary
button, the story's other possible actions in a list to choose from, and one comment box (with a
time or a correction's text when the action asks for one) shared by whichever action is chosen.

Each transition keeps its own form (articles.forms), all with the same prefix, so the server checks
the comment the way the chosen action wants it (required to return or unpublish)."""

from dataclasses import dataclass, field

from django import forms

# The next action most likely wanted: the first of these the user may take. A writer's draft goes
# to review, an editor publishes what is in review (or their draft), a scheduled story is
# rescheduled, a live one unpublished; a story in the trash is restored, an agency kill obeyed.
LIKELY = [
    "restore",
    "take_down",
    "publish",
    "schedule_at_embargo",
    "reschedule",
    "submit",
    "withdraw",
    "unpublish",
    "clear_hold",
    "correct",
    "return",
    "schedule",
    "trash",
]

# What the one comment box is for, by action, where its form's label says less.
COMMENT_FOR = {
    "submit": "Note for the editor (optional)",
    "withdraw": "Why you withdraw it (optional)",
    "publish": "Note for the workflow history (optional)",
    "schedule": "Note for the workflow history (optional)",
    "reschedule": "Why it moves (optional)",
    "schedule_at_embargo": "Note for the workflow history (optional)",
    "restore": "Note for the workflow history (optional)",
    "return": "Comment for the writer (required)",
    "unpublish": "Reason for unpublishing (required)",
}
NO_COMMENT = "No comment needed"
COMMENT_FIELD = "comment"


@dataclass
class Action:
    name: str
    label: str
    form: forms.Form

    @property
    def comment_label(self) -> str:
        if COMMENT_FIELD not in self.form.fields:
            return f"{self.label}: {NO_COMMENT.lower()}"
        about = COMMENT_FOR.get(self.name) or self.form.fields[COMMENT_FIELD].label
        return f"{self.label}: {about[0].lower()}{about[1:]}"

    @property
    def comment_required(self) -> bool:
        return COMMENT_FIELD in self.form.fields and self.form.fields[COMMENT_FIELD].required


@dataclass
class Extra:
    """A field some of the actions ask for beside the comment (the time to publish at)."""

    field: forms.BoundField
    names: list[str]  # the actions that ask for it
    errors: list[str] = field(default_factory=list)

    @property
    def for_names(self) -> str:
        return " ".join(self.names)


@dataclass
class Panel:
    primary: Action
    others: list[Action]
    chosen: str  # the other action chosen before the page came back (a refusal), if any
    comment: forms.BoundField | None
    comment_label: str
    comment_errors: list[str]
    extras: list[Extra]


def build(actions: list[tuple[str, str, forms.Form]], chosen: str = "") -> Panel | None:
    """The panel for these (name, label, form) actions; `chosen` is the action just asked for,
    whose form (bound) shows what was typed and why it was refused. Publish stays the next action
    while the checklist (of the story as saved) stops it: what it asks for is often fixed in the
    form and published with the same press."""
    if not actions:
        return None
    every = [Action(name, label, form) for name, label, form in actions]
    primary = min(every, key=lambda action: LIKELY.index(action.name) if action.name in LIKELY else len(LIKELY))
    others = [action for action in every if action is not primary]
    asked = next((action for action in every if action.name == chosen), None)
    shown = asked or primary
    for action in every:
        action.form.use_required_attribute = False  # required for some actions only: the server says so

    def errors_of(action: Action, name: str) -> list[str]:
        return list(action.form.errors.get(name, [])) if action is asked and action.form.is_bound else []

    with_comment = [action for action in (shown, *every) if COMMENT_FIELD in action.form.fields]
    comment = with_comment[0].form[COMMENT_FIELD] if with_comment else None
    extras = []
    for name in dict.fromkeys(name for action in every for name in action.form.fields if name != COMMENT_FIELD):
        asking = [action for action in every if name in action.form.fields]
        source = shown if shown in asking else asking[0]
        extras.append(Extra(source.form[name], [action.name for action in asking], errors_of(source, name)))
    return Panel(
        primary=primary,
        others=others,
        chosen=asked.name if asked is not None and asked is not primary else "",
        comment=comment,
        comment_label=shown.comment_label,
        comment_errors=errors_of(with_comment[0], COMMENT_FIELD) if with_comment else [],
        extras=extras,
    )
