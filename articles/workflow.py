"""The editorial workflow: the only code that changes an article's status and publication times.

TRANSITIONS is the one table of what can happen to an article: each transition's label, the
states it starts from, who may make it, the form it asks for and the function that makes it.
The desk builds its buttons from it and dispatches through it; tests and commands call the
functions. Each function checks permission on the server, locks the article's row, refuses what
the current state does not allow, writes a log row and a revision, and announces the change to
readers' caches on commit.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import reversion
from django import forms as django_forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from reversion.models import Revision, Version

from articles import forms
from articles.changes import announce_change
from articles.models import Article, ArticleTransition, Correction, WireHold, is_editor, is_reviewer

Status = Article.Status
Action = ArticleTransition.Action


class WorkflowError(Exception):
    """A transition the article's state or the input does not allow; the message is for the user."""


# The publish checklist: each check returns what stops an article from going live, or None.
# Higher apps add their own with @publish_check (articles never imports them).
PublishCheck = Callable[[Article], str | None]
PUBLISH_CHECKS: list[PublishCheck] = []


def publish_check(check: PublishCheck) -> PublishCheck:
    """Add a check to the publish checklist (a decorator)."""
    PUBLISH_CHECKS.append(check)
    return check


@publish_check
def _has_headline(article: Article) -> str | None:
    return None if article.headline.strip() else "The headline is empty."


@publish_check
def _has_body(article: Article) -> str | None:
    return None if article.body.strip() else "The body is empty."


@publish_check
def _has_byline_or_credit(article: Article) -> str | None:
    return None if article.credit_id or article.bylines.exists() else "Add a byline or a credit."


@publish_check
def _has_section(article: Article) -> str | None:
    return None if article.section_id else "Choose a section."


@publish_check
def _not_held_by_the_agency(article: Article) -> str | None:
    if not article.wire_hold:
        return None
    return f"{article.get_wire_hold_display()} ({article.wire_hold_reason or 'no reason given'}): an editor must clear the hold first."


@publish_check
def _lead_image_has_alt_text(article: Article) -> str | None:
    if article.lead_image_id and not article.lead_image.alt_text.strip():
        return "The lead image needs alt text."
    return None


def publish_problems(article: Article) -> list[str]:
    """Everything on the checklist that stops the article from going live."""
    return [problem for check in PUBLISH_CHECKS if (problem := check(article))]


def not_ready(article: Article) -> str | None:
    """What publish() answers when the checklist stops the article, or None."""
    problems = publish_problems(article)
    return "Not ready to publish: " + " ".join(problems) if problems else None


def _required(comment: str, what: str) -> str:
    comment = (comment or "").strip()
    if not comment:
        raise WorkflowError(f"{what} is required.")
    return comment


@contextmanager
def _transition(article: Article, name: str, user) -> Iterator[Article]:
    """One transaction with the article's row locked, a revision, and the permission and state checks."""
    with transaction.atomic(), reversion.create_revision():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        TRANSITIONS[name].check(locked, user)
        yield locked


def _record(article: Article, *, user, action: str, from_status: str, comment: str = "", publish_at=None) -> None:
    ArticleTransition.objects.create(
        article=article,
        action=action,
        from_status=from_status,
        to_status=article.status,
        user=user,
        comment=comment,
        publish_at=publish_at,
    )
    reversion.set_user(user)
    reversion.set_comment(f"{Action(action).label}{': ' + comment if comment else ''}")
    reversion.add_to_revision(article)
    if Article.Status.PUBLISHED in (from_status, article.status):
        # Live, scheduled or taken down: readers' pages change (or will, at the scheduled time).
        # A submit or a return changes nothing readers see, so their validators stay.
        # An agency update may move an embargo, and a new schedule moves the story's arrival.
        came_or_went = from_status != article.status or action in (Action.AGENCY_UPDATE, Action.RESCHEDULE)
        announce_change(stories=[article.pk], came_or_went=came_or_went)


def _move(article: Article, *, user, to: str, **fields) -> Article:
    article.status = to
    article.edited_by = user
    for name, value in fields.items():
        setattr(article, name, value)
    article.save(update_fields=["status", "edited_by", *fields])
    return article


def submit(article: Article, *, user, comment: str = "") -> Article:
    """Draft → in review."""
    with _transition(article, "submit", user) as article:
        _move(article, user=user, to=Status.IN_REVIEW)
        _record(article, user=user, action=Action.SUBMIT, from_status=Status.DRAFT, comment=comment.strip())
    return article


def return_to_draft(article: Article, *, user, comment: str) -> Article:
    """In review → draft, with a comment for the writer."""
    with _transition(article, "return", user) as article:
        comment = _required(comment, "A comment for the writer")
        _move(article, user=user, to=Status.DRAFT)
        _record(article, user=user, action=Action.RETURN, from_status=Status.IN_REVIEW, comment=comment)
    return article


def withdraw(article: Article, *, user, comment: str = "") -> Article:
    """In review → draft, by its writer: a submission pulled back to fix something before review."""
    with _transition(article, "withdraw", user) as article:
        _move(article, user=user, to=Status.DRAFT)
        _record(article, user=user, action=Action.WITHDRAW, from_status=Status.IN_REVIEW, comment=comment.strip())
    return article


def publish(
    article: Article, *, user, at: datetime | None = None, comment: str = "", backdate: bool = False
) -> Article:
    """Draft or in review → published, now or (scheduling) at a future time.

    An article published before keeps its first publication time and URL. `backdate` lets
    code (archive imports, demo content) give a past publication time; the desk never does.
    """
    now = timezone.now()
    scheduling = at is not None and at > now
    with _transition(article, "schedule" if scheduling else "publish", user) as article:
        if at is not None and at <= now and not backdate:
            raise WorkflowError("The scheduled time has passed: choose a time in the future, or publish now.")
        if article.has_been_published:
            if at is not None:
                raise WorkflowError(PUBLISHED_BEFORE)
            published_at = article.published_at
        else:
            published_at = at or now
        if refusal := not_ready(article):
            raise WorkflowError(refusal)
        if article.embargoed_until and published_at < article.embargoed_until and not backdate:
            raise WorkflowError(f"{article.embargo_label}: schedule it for then or later.")
        from_status = article.status
        _move(article, user=user, to=Status.PUBLISHED, published_at=published_at)
        _record(
            article,
            user=user,
            action=Action.SCHEDULE if scheduling else Action.PUBLISH,
            from_status=from_status,
            comment=comment.strip(),
            publish_at=published_at,
        )
    return article


def schedule(article: Article, *, user, publish_at: datetime, comment: str = "") -> Article:
    """Draft or in review → published at a future time (publish() with `at`)."""
    return publish(article, user=user, at=publish_at, comment=comment)


def reschedule(article: Article, *, user, publish_at: datetime, comment: str = "") -> Article:
    """Scheduled → scheduled at another time, in the future (and not before an embargo ends)."""
    with _transition(article, "reschedule", user) as article:
        if publish_at <= timezone.now():
            raise WorkflowError("The new time has passed: choose a time in the future.")
        if article.embargoed_until and publish_at < article.embargoed_until:
            raise WorkflowError(f"{article.embargo_label}: reschedule it for then or later.")
        was = f"Was scheduled for {timezone.localtime(article.published_at):%d %b %Y, %H:%M %Z}."
        _move(article, user=user, to=Status.PUBLISHED, published_at=publish_at)
        _record(
            article,
            user=user,
            action=Action.RESCHEDULE,
            from_status=Status.PUBLISHED,
            comment=" ".join(filter(None, [was, comment.strip()])),
            publish_at=publish_at,
        )
    return article


def unpublish(article: Article, *, user, comment: str) -> Article:
    """Published (or scheduled) → draft, with a reason. The public URL then answers 404."""
    with _transition(article, "unpublish", user) as article:
        comment = _required(comment, "A reason for unpublishing")
        fields = {}
        if not article.has_been_published:
            # A scheduled story that never went live gives its time back.
            fields = {"published_at": None, "updated_at": None}
        _move(article, user=user, to=Status.DRAFT, **fields)
        _record(article, user=user, action=Action.UNPUBLISH, from_status=Status.PUBLISHED, comment=comment)
    return article


def trash(article: Article, *, user, comment: str = "") -> Article:
    """Any state → the trash (what deleting is at the desk): off every public surface at once, and
    restorable until purge_trash deletes it. A live or scheduled story is taken down as by an
    unpublish, so it needs a reason too."""
    with _transition(article, "trash", user) as article:
        from_status, fields = article.status, {"trashed_at": timezone.now(), "trashed_by": user}
        if from_status == Status.PUBLISHED:
            comment = _required(comment, "A reason for taking the story down")
            if not article.has_been_published:
                fields |= {"published_at": None, "updated_at": None}  # as unpublish() gives a schedule back
        _move(article, user=user, to=Status.DRAFT, **fields)
        _record(article, user=user, action=Action.TRASH, from_status=from_status, comment=comment.strip())
    return article


def restore(article: Article, *, user, comment: str = "") -> Article:
    """The trash → draft. A restored story never goes live by itself: it is published again as
    any draft is (one that was live keeps its first publication time and address)."""
    with _transition(article, "restore", user) as article:
        _move(article, user=user, to=Status.DRAFT, trashed_at=None, trashed_by=None)
        _record(article, user=user, action=Action.RESTORE, from_status=Status.DRAFT, comment=comment.strip())
    return article


def purge_trash(*, now: datetime | None = None) -> list[str]:
    """Delete for good the stories in the trash for longer than settings.TRASH_DAYS, with their
    revisions (a story purged for a legal reason leaves no copy behind); their headlines, for the
    record. The one path that deletes a story: the desk only ever moves one to the trash."""
    with transaction.atomic():
        # Locked, so a restore made meanwhile waits and then finds the story either kept or gone.
        due = list(Article.objects.due_for_purge(now).select_for_update().only("pk", "headline"))
        pks = [str(article.pk) for article in due]
        revisions = Version.objects.get_for_model(Article).filter(object_id__in=pks).values("revision_id")
        Revision.objects.filter(pk__in=revisions).delete()  # with their versions (bylines, tags)
        Article.objects.filter(pk__in=[article.pk for article in due]).delete()
    return [article.headline for article in due]


def schedule_at_embargo(article: Article, *, user, comment: str = "") -> Article:
    """Schedule for the moment the agency's embargo ends (one click at the desk)."""
    return publish(article, user=user, at=article.embargoed_until, comment=comment)


def record_wire_hold(article: Article, *, hold: str, reason: str, user=None) -> Article:
    """The agency killed or withheld a story we hold (ninjs pubstatus canceled or withheld).

    Nothing of the story changes, live or not: a draft cannot be published until an editor
    clears the hold, and a live story is marked for an editor to take down (take_down)."""
    with transaction.atomic(), reversion.create_revision():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.wire_hold == hold and article.wire_hold_reason == reason:
            return article
        article.wire_hold, article.wire_hold_reason = hold, reason
        article.save(update_fields=["wire_hold", "wire_hold_reason"])
        label = WireHold(hold).label
        _record(article, user=user, action=Action.WIRE_HOLD, from_status=article.status, comment=f"{label}: {reason}")
    return article


def clear_hold(article: Article, *, user, comment: str) -> Article:
    """An editor decides the agency's kill or withhold no longer stands (the agency said so)."""
    with _transition(article, "clear_hold", user) as article:
        comment = _required(comment, "A reason")
        article.wire_hold, article.wire_hold_reason = WireHold.NONE, ""
        article.edited_by = user
        article.save(update_fields=["wire_hold", "wire_hold_reason", "edited_by"])
        _record(article, user=user, action=Action.CLEAR_HOLD, from_status=article.status, comment=comment)
    return article


def take_down(article: Article, *, user) -> Article:
    """Unpublish a live story the agency killed or withheld, with the agency's word as the reason."""
    TRANSITIONS["take_down"].check(article, user)
    reason = f"{article.get_wire_hold_display()}: {article.wire_hold_reason or 'no reason given'}"
    return unpublish(article, user=user, comment=reason)


def apply_agency_update(article: Article, *, user, fields: dict, byline=None, tags=None, comment: str) -> Article:
    """An editor takes (some of) an agency's newer version into a story the desk has worked on:
    `fields` are plain fields by name, `byline` authors in order, `tags` names. Logged, with a
    revision; on a live story it counts as a substantive update."""
    with _transition(article, "agency_update", user) as article:
        for name, value in fields.items():
            setattr(article, name, value)
        if article.is_live:
            article.updated_at = timezone.now()
        article.edited_by = user
        article.save()
        if byline is not None:
            article.set_byline(byline)
        if tags is not None:
            article.tags.set(tags)
        _record(article, user=user, action=Action.AGENCY_UPDATE, from_status=article.status, comment=comment)
    return article


def record_update(article: Article, *, user, substantive: bool, comment: str = "") -> Article:
    """An edit saved to a live article: it stays live; a substantive one moves the “Updated” time."""
    with _transition(article, "update", user) as article:
        if substantive:
            article.updated_at = timezone.now()
            article.save(update_fields=["updated_at"])
        _record(article, user=user, action=Action.UPDATE, from_status=article.status, comment=comment.strip())
    return article


def add_correction(article: Article, *, user, kind: str, text: str) -> Correction:
    """A correction or clarification note on a live article, shown with its time from now on; it
    counts as a substantive update."""
    with _transition(article, "correct", user) as article:
        if kind not in Correction.Kind.values:
            raise WorkflowError("Choose a correction or a clarification.")
        text = _required(text, "The text of the correction")
        correction = Correction.objects.create(article=article, kind=kind, text=text, created_by=user)
        # A correction or clarification is a substantive update: its time is the story's "Updated"
        # time everywhere it is read (the page, JSON-LD, Open Graph, the sitemaps and the feeds).
        article.updated_at = correction.created_at
        article.save(update_fields=["updated_at"])
        _record(article, user=user, action=Action.CORRECT, from_status=article.status, comment=text)
    return correction


def _may_edit(user, article: Article) -> bool:
    return article.can_be_edited_by(user)


def _may_withdraw(user, article: Article) -> bool:
    # The writer only: an editor sends a story back with "Return to draft", which asks for a comment.
    return user.is_active and user.has_perm("articles.change_article") and article.is_owned_by(user)


def _may_review(user, article: Article) -> bool:
    return is_reviewer(user)


def _may_publish(user, article: Article) -> bool:
    return is_editor(user)


def _may_trash(user, article: Article) -> bool:
    """Editors trash and restore any story; a writer their own drafts that never went live (a
    story that has been live is an editor's decision)."""
    if is_editor(user):
        return True
    may_write = user.is_active and user.has_perm("articles.change_article")
    return may_write and article.status == Status.DRAFT and not article.has_been_published and article.is_owned_by(user)


IN_THE_TRASH = "The story is in the trash: restore it first."
PUBLISHED_BEFORE = "This article was published before; publish it again now to keep its date and URL."


def _no_obstacle(article: Article) -> str | None:
    return None


def _not_published_before(article: Article) -> str | None:
    return PUBLISHED_BEFORE if article.has_been_published else None


def _live_for_corrections(article: Article) -> str | None:
    return None if article.is_live else "Corrections can be added to live articles only."


def _live_for_updates(article: Article) -> str | None:
    return None if article.is_live else "Only a live article can be updated."


def _embargoed(article: Article) -> str | None:
    if not article.is_embargoed:
        return "The story has no embargo to wait for."
    return _schedulable(article)


def _not_held(article: Article) -> str | None:
    return _not_held_by_the_agency(article)


def _not_embargoed(article: Article) -> str | None:
    if article.is_embargoed:
        return f"{article.embargo_label}: schedule it instead."
    return _not_held(article)


def _schedulable(article: Article) -> str | None:
    return _not_published_before(article) or _not_held(article)


def _scheduled(article: Article) -> str | None:
    if not article.is_scheduled or article.has_been_published:
        return "Only a story scheduled to go live can be rescheduled."
    return _not_held(article)


def _held(article: Article) -> str | None:
    return None if article.wire_hold else "The agency has not killed or withheld this story."


def _held_and_published(article: Article) -> str | None:
    return _held(article) or (None if article.status == Status.PUBLISHED else "The story is not published.")


@dataclass(frozen=True)
class Transition:
    """One thing that can happen to an article, and everything the desk and the server need to know about it."""

    name: str
    label: str
    sources: frozenset[str]
    allowed: Callable[[object, Article], bool]  # (user, article): who may
    form: type[django_forms.Form]  # what it asks for; its cleaned data are run's keyword arguments
    run: Callable[..., object]  # run(article, user=user, **cleaned_data)
    obstacle: Callable[[Article], str | None] = _no_obstacle  # beyond the status: why not now, if not
    button: bool = True  # offered as a button at the desk (an update happens by saving the story)
    confirm: bool = False  # the desk asks first, with the publish checklist and what will go live
    in_trash: bool = False  # made on stories in the trash (restore) instead of on all the others

    def is_possible(self, article: Article) -> bool:
        return article.status in self.sources and article.is_trashed == self.in_trash and self.obstacle(article) is None

    def check(self, article: Article, user) -> None:
        """Raise unless this user may make this transition from the article's state now."""
        if article.is_trashed != self.in_trash:  # first: nobody may edit a story in the trash
            raise WorkflowError(IN_THE_TRASH if article.is_trashed else "The story is not in the trash.")
        if not self.allowed(user, article):
            raise PermissionDenied(f"You may not use “{self.label}” on this article.")
        if article.status not in self.sources:
            raise WorkflowError(
                f"“{self.label}” is not possible: the article is {article.get_status_display().lower()}."
            )
        if obstacle := self.obstacle(article):
            raise WorkflowError(obstacle)


TRANSITIONS: dict[str, Transition] = {
    transition.name: transition
    for transition in [
        Transition("submit", "Submit for review", frozenset({Status.DRAFT}), _may_edit, forms.CommentForm, submit),
        Transition(
            "withdraw",
            "Withdraw from review",
            frozenset({Status.IN_REVIEW}),
            _may_withdraw,
            forms.CommentForm,
            withdraw,
        ),
        Transition(
            "return", "Return to draft", frozenset({Status.IN_REVIEW}), _may_review, forms.ReturnForm, return_to_draft
        ),
        Transition(
            "publish",
            "Publish now",
            frozenset({Status.DRAFT, Status.IN_REVIEW}),
            _may_publish,
            forms.CommentForm,
            publish,
            obstacle=_not_embargoed,
            confirm=True,
        ),
        Transition(
            "schedule",
            "Schedule",
            frozenset({Status.DRAFT, Status.IN_REVIEW}),
            _may_publish,
            forms.ScheduleForm,
            schedule,
            obstacle=_schedulable,
            confirm=True,
        ),
        Transition(
            "reschedule",
            "Reschedule",
            frozenset({Status.PUBLISHED}),
            _may_publish,
            forms.RescheduleForm,
            reschedule,
            obstacle=_scheduled,
        ),
        Transition(
            "schedule_at_embargo",
            "Schedule at the embargo",
            frozenset({Status.DRAFT, Status.IN_REVIEW}),
            _may_publish,
            forms.CommentForm,
            schedule_at_embargo,
            obstacle=_embargoed,
            confirm=True,
        ),
        Transition(
            "take_down",
            "Take down (agency kill)",
            frozenset({Status.PUBLISHED}),
            _may_publish,
            forms.NoInputForm,
            take_down,
            obstacle=_held_and_published,
        ),
        Transition(
            "clear_hold",
            "Clear the agency's hold",
            frozenset(Status.values),
            _may_publish,
            forms.ReasonForm,
            clear_hold,
            obstacle=_held,
        ),
        Transition(
            "agency_update",
            "Apply the agency's update",
            frozenset(Status.values),
            _may_publish,
            forms.NoInputForm,
            apply_agency_update,
            button=False,
        ),
        Transition(
            "unpublish", "Unpublish", frozenset({Status.PUBLISHED}), _may_publish, forms.UnpublishForm, unpublish
        ),
        Transition(
            "correct",
            "Add a correction",
            frozenset({Status.PUBLISHED}),
            _may_publish,
            forms.CorrectionForm,
            add_correction,
            obstacle=_live_for_corrections,
        ),
        Transition(
            "update",
            "Update while live",
            frozenset({Status.PUBLISHED}),
            _may_publish,
            forms.NoInputForm,
            record_update,
            obstacle=_live_for_updates,
            button=False,
        ),
        Transition(
            "restore",
            "Restore from the trash",
            frozenset({Status.DRAFT}),
            _may_trash,
            forms.CommentForm,
            restore,
            in_trash=True,
        ),
        Transition("trash", "Move to the trash", frozenset(Status.values), _may_trash, forms.TrashForm, trash),
    ]
}


def available_transitions(article: Article, user) -> list[Transition]:
    """The transitions this user may offer as buttons from the article's current state."""
    return [
        transition
        for transition in TRANSITIONS.values()
        if transition.button and transition.is_possible(article) and transition.allowed(user, article)
    ]
