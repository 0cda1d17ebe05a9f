"""The editorial workflow: the only code that changes an article's status and publication times.

Each transition checks permission on the server, locks the article's row, refuses what the
current state does not allow, writes a log row and a revision, and purges caches on commit.
The admin, management commands and tests all call these functions.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles import caching
from articles.models import Article, ArticleTransition, Correction, is_editor, is_reviewer

Status = Article.Status
Action = ArticleTransition.Action


class WorkflowError(Exception):
    """A transition the article's state or the input does not allow; the message is for the user."""


@dataclass(frozen=True)
class Rule:
    label: str
    sources: frozenset[str]
    allowed: Callable[[object, Article], bool]


def _may_submit(user, article: Article) -> bool:
    return article.can_be_edited_by(user)


def _may_review(user, article: Article) -> bool:
    return is_reviewer(user)


def _may_publish(user, article: Article) -> bool:
    return is_editor(user)


RULES: dict[str, Rule] = {
    "submit": Rule("Submit for review", frozenset({Status.DRAFT}), _may_submit),
    "return": Rule("Return to draft", frozenset({Status.IN_REVIEW}), _may_review),
    "publish": Rule("Publish now", frozenset({Status.DRAFT, Status.IN_REVIEW}), _may_publish),
    "schedule": Rule("Schedule", frozenset({Status.DRAFT, Status.IN_REVIEW}), _may_publish),
    "unpublish": Rule("Unpublish", frozenset({Status.PUBLISHED}), _may_publish),
    "correct": Rule("Add a correction", frozenset({Status.PUBLISHED}), _may_publish),
}


def available_actions(article: Article, user) -> list[str]:
    """The transitions this user may make from the article's current state: the buttons to show."""
    actions = [name for name, rule in RULES.items() if article.status in rule.sources and rule.allowed(user, article)]
    if article.has_been_published and "schedule" in actions:
        actions.remove("schedule")  # republishing keeps the first publication time
    if "correct" in actions and not article.is_live:
        actions.remove("correct")
    return actions


def publish_problems(article: Article) -> list[str]:
    """The checklist an article must pass before it goes live."""
    problems = []
    if not article.headline.strip():
        problems.append("The headline is empty.")
    if not article.body.strip():
        problems.append("The body is empty.")
    if not article.credit_id and not article.bylines.exists():
        problems.append("Add a byline or a credit.")
    if article.lead_image_id and not article.lead_image.alt_text.strip():
        problems.append("The lead image needs alt text.")
    return problems


def _check(name: str, article: Article, user) -> None:
    rule = RULES[name]
    if not rule.allowed(user, article):
        raise PermissionDenied(f"You may not {rule.label.lower()} this article.")
    if article.status not in rule.sources:
        raise WorkflowError(f"“{rule.label}” is not possible: the article is {article.get_status_display().lower()}.")


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
        _check(name, locked, user)
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
    transaction.on_commit(caching.purge)


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


def publish(
    article: Article, *, user, at: datetime | None = None, comment: str = "", backdate: bool = False
) -> Article:
    """Draft or in review → published, now or (scheduling) at a future time.

    An article published before keeps its first publication time and URL. `backdate` lets
    code (archive imports, demo content) give a past publication time; the admin never does.
    """
    now = timezone.now()
    scheduling = at is not None and at > now
    with _transition(article, "schedule" if scheduling else "publish", user) as article:
        if at is not None and at <= now and not backdate:
            raise WorkflowError("The scheduled time has passed: choose a time in the future, or publish now.")
        if article.has_been_published:
            if at is not None:
                raise WorkflowError("This article was published before; publish it again now to keep its date and URL.")
            published_at = article.published_at
        else:
            published_at = at or now
        if problems := publish_problems(article):
            raise WorkflowError("Not ready to publish: " + " ".join(problems))
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


def record_update(article: Article, *, user, substantive: bool, comment: str = "") -> Article:
    """An edit saved to a live article: it stays live; a substantive one moves the “Updated” time."""
    with transaction.atomic(), reversion.create_revision():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if not is_editor(user):
            raise PermissionDenied("Only editors may change a published article.")
        if not article.is_live:
            raise WorkflowError("Only a live article can be updated.")
        if substantive:
            article.updated_at = timezone.now()
            article.save(update_fields=["updated_at"])
        _record(article, user=user, action=Action.UPDATE, from_status=article.status, comment=comment.strip())
    return article


def add_correction(article: Article, *, user, kind: str, text: str) -> Correction:
    """A correction or clarification note on a live article, shown with its time from now on."""
    with _transition(article, "correct", user) as article:
        if not article.is_live:
            raise WorkflowError("Corrections can be added to live articles only.")
        if kind not in Correction.Kind.values:
            raise WorkflowError("Choose a correction or a clarification.")
        text = _required(text, "The text of the correction")
        correction = Correction.objects.create(article=article, kind=kind, text=text, created_by=user)
        _record(article, user=user, action=Action.CORRECT, from_status=article.status, comment=text)
    return correction
