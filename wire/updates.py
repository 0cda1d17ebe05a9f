"""An agency's newer version of a story the desk has worked on (articles.models.AgencyUpdate):
what differs from the desk's text, field by field, and applying or dismissing it."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from articles import diff, workflow
from articles.models import AgencyUpdate, Article
from articles.revisions import article_snapshot
from authors.models import Author
from wire.importer import author_named

# What an agency's version carries: the desk's own choices (address, label, sections) are not in it.
DESK_ONLY = {"slug", "kicker", "section", "also_in"}
FIELDS = [name for name, _ in diff.COMPARED_FIELDS if name not in DESK_ONLY]
SCALARS = ["headline", "standfirst", "body", "dateline_place", "language"]


@dataclass(frozen=True)
class Difference:
    name: str
    change: diff.FieldChange


def agency_snapshot(update: AgencyUpdate) -> dict[str, str]:
    values = update.values
    return diff.snapshot(
        kicker="",
        headline=values.get("headline"),
        slug="",
        standfirst=values.get("standfirst"),
        body=values.get("body"),
        dateline_place=values.get("dateline_place"),
        language=values.get("language"),
        section="",
        also_in=[],
        credit=values.get("credit"),
        byline=list(values.get("byline", [])),
        tags=list(values.get("tags", [])),
    )


def differences(update: AgencyUpdate) -> list[Difference]:
    """The fields where the agency's version differs from the desk's, desk first."""
    desk, agency = article_snapshot(update.article), agency_snapshot(update)
    labels = dict(diff.COMPARED_FIELDS)
    return [
        Difference(
            name,
            diff.FieldChange(labels[name], desk.get(name, ""), agency.get(name, ""), rich=name in diff.RICH_FIELDS),
        )
        for name in FIELDS
        if desk.get(name, "") != agency.get(name, "")
    ]


def apply(update: AgencyUpdate, *, user, names: list[str]) -> Article:
    """Take the named fields of the agency's version into the story; the update is then applied."""
    names = [name for name in names if name in FIELDS]
    values = update.values
    with transaction.atomic():
        update = AgencyUpdate.objects.select_for_update().get(pk=update.pk, status=AgencyUpdate.Status.PENDING)
        fields = {name: values.get(name, "") for name in SCALARS if name in names}
        if "credit" in names:
            fields["credit"] = (
                author_named(values["credit"], Author.Kind.ORGANISATION) if values.get("credit") else None
            )
        byline = None
        if "byline" in names:
            byline = list(dict.fromkeys(author_named(name, Author.Kind.PERSON) for name in values.get("byline", [])))
        tags = list(values.get("tags", [])) if "tags" in names else None
        labels = dict(diff.COMPARED_FIELDS)
        taken = ", ".join(labels[name].lower() for name in names) or "nothing"
        comment = f"Agency version {update.version or '(unnumbered)'}: took {taken}"
        article = workflow.apply_agency_update(
            update.article, user=user, fields=fields, byline=byline, tags=tags, comment=comment
        )
        _decide(update, AgencyUpdate.Status.APPLIED, user)
    return article


def dismiss(update: AgencyUpdate, *, user) -> None:
    with transaction.atomic():
        update = AgencyUpdate.objects.select_for_update().get(pk=update.pk, status=AgencyUpdate.Status.PENDING)
        _decide(update, AgencyUpdate.Status.DISMISSED, user)


def _decide(update: AgencyUpdate, status: str, user) -> None:
    update.status, update.decided_by, update.decided_at = status, user, timezone.now()
    update.save(update_fields=["status", "decided_by", "decided_at"])
