"""Revisions of an article (django-reversion): list, snapshot for comparing, and restore."""

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from reversion.models import Version
from taggit.models import Tag

from articles import diff, merge, workflow
from articles.models import Article, Byline, Section, TaggedArticle
from authors.models import Author
from pictures.models import Picture

# How many of the newest revisions are searched for the version a user opened (a merge base).
MERGE_LOOKBACK = 200
# What a restore brings back of the article's own row: every merged field, the body, the lead image.
RESTORED_FIELDS = [*merge.SCALAR_FIELDS, "body", "lead_image_id"]


def versions_of(article: Article):
    """Saved versions of the article, newest first, with who saved them."""
    return Version.objects.get_for_object(article).select_related("revision__user")


def _related(version: Version, model, article_field: str) -> list[dict]:
    """Field values of the model's rows saved with this version's revision for the same article."""
    saved = version.revision.version_set.filter(content_type=ContentType.objects.get_for_model(model))
    return [row.field_dict for row in saved if row.field_dict.get(article_field) == int(version.object_id)]


def _saved_relations(version: Version) -> tuple[list[tuple[int, str]], list[int]]:
    """(author id, role) in byline order and tag ids, as saved in the version's revision."""
    bylines = sorted(_related(version, Byline, "article_id"), key=lambda fields: fields["position"])
    tags = _related(version, TaggedArticle, "content_object_id")
    return [(fields["author_id"], fields.get("role", "")) for fields in bylines], [fields["tag_id"] for fields in tags]


def byline_text(name: str, role: str) -> str:
    """One byline entry as the compare page shows it."""
    return f"{name} ({role})" if role else name


def section_names(ids) -> dict[int, str]:
    """Sections by id as the desk names them ("World › Asia"), in one query."""
    return {pk: str(section) for pk, section in Section.objects.select_related("parent").in_bulk(ids).items()}


def version_snapshot(version: Version) -> dict[str, str]:
    fields = version.field_dict
    byline, tag_ids = _saved_relations(version)
    author_ids = [pk for pk, _ in byline]
    names = dict(Author.objects.filter(pk__in=[*author_ids, fields.get("credit_id")]).values_list("pk", "name"))
    also_in = list(fields.get("also_in") or [])
    sections = section_names([*also_in, fields.get("section_id")])
    return diff.snapshot(
        kicker=fields.get("kicker"),
        headline=fields.get("headline"),
        slug=fields.get("slug"),
        standfirst=fields.get("standfirst"),
        body=fields.get("body"),
        dateline_place=fields.get("dateline_place"),
        language=fields.get("language"),
        section=sections.get(fields.get("section_id"), ""),
        also_in=[sections.get(pk, "(deleted section)") for pk in also_in],
        credit=names.get(fields.get("credit_id"), ""),
        byline=[byline_text(names.get(pk, "(deleted author)"), role) for pk, role in byline],
        tags=list(Tag.objects.filter(pk__in=tag_ids).values_list("name", flat=True)),
        **{name: fields.get(name) for name in diff.SEARCH_AND_SOCIAL},
    )


def article_snapshot(article: Article) -> dict[str, str]:
    further = Article.also_in.through.objects.filter(article_id=article.pk, section_id=OuterRef("pk"))
    rows = Section.objects.select_related("parent").annotate(further=Exists(further))
    rows = list(rows.filter(Q(pk=article.section_id) | Q(further=True)))  # both sections' names in one query
    sections = {row.pk: str(row) for row in rows}
    also_in = [row.pk for row in rows if row.further]
    return diff.snapshot(
        kicker=article.kicker,
        headline=article.headline,
        slug=article.slug,
        standfirst=article.standfirst,
        body=article.body,
        dateline_place=article.dateline_place,
        language=article.language,
        section=sections.get(article.section_id, ""),
        also_in=[sections[pk] for pk in also_in],
        credit=article.credit.name if article.credit_id else "",
        byline=[byline_text(row.author.name, row.role) for row in article.bylines.select_related("author")],
        tags=[tag.name for tag in article.tags.all()],
        **{name: getattr(article, name) for name in diff.SEARCH_AND_SOCIAL},
    )


def merge_snapshot(article: Article) -> dict:
    """The saved article's merged fields (see articles.merge): values as the database holds them,
    tags by lower-cased name, further sections by id, the byline as (author id, role) in order."""
    return {
        **{name: getattr(article, name) for name in merge.SCALAR_FIELDS},
        "body": article.body,
        "tags": {tag.name.casefold() for tag in article.tags.all()},
        "also_in": set(article.also_in.values_list("pk", flat=True)),
        "byline": list(article.bylines.order_by("position", "id").values_list("author_id", "role")),
    }


def merge_snapshot_at(article: Article, version_number: int) -> dict | None:
    """merge_snapshot() of the article as it was saved at `version_number`, from its revisions;
    None when no revision holds that version."""
    for version in versions_of(article)[:MERGE_LOOKBACK]:
        fields = version.field_dict
        if fields.get("version") != version_number:
            continue
        bylines = sorted(_related(version, Byline, "article_id"), key=lambda row: row["position"])
        tag_ids = [row["tag_id"] for row in _related(version, TaggedArticle, "content_object_id")]
        return {
            # A field added since that revision was saved held its default then.
            **{name: fields.get(name, Article._meta.get_field(name).get_default()) for name in merge.SCALAR_FIELDS},
            "body": fields.get("body") or "",
            "tags": {name.casefold() for name in Tag.objects.filter(pk__in=tag_ids).values_list("name", flat=True)},
            "also_in": set(fields.get("also_in") or []),
            "byline": [(row["author_id"], row.get("role", "")) for row in bylines],
        }
    return None


def restore(article: Article, version: Version, *, user) -> Article:
    """Bring back a revision's content as a new revision; status and publication times stay as they are."""
    with transaction.atomic(), reversion.create_revision(manage_manually=True):
        article = Article.objects.select_for_update().get(pk=article.pk)
        if not article.can_be_edited_by(user):
            raise PermissionDenied("You may not change this article.")
        fields = version.field_dict
        section_id = article.section_id
        for name in RESTORED_FIELDS:
            if name in fields:
                setattr(article, name, fields[name])
        slug_taken = Article.objects.filter(slug=article.slug).exclude(pk=article.pk).exists()
        if article.has_been_published or slug_taken:
            article.slug = Article.objects.values_list("slug", flat=True).get(pk=article.pk)
        if article.credit_id and not Author.objects.filter(pk=article.credit_id).exists():
            article.credit_id = None
        if article.lead_image_id and not Picture.objects.filter(pk=article.lead_image_id).exists():
            article.lead_image_id = None
        if not Section.objects.filter(pk=article.section_id).exists():
            article.section_id = section_id  # a restore never takes a story out of its section
        article.edited_by = user
        article.save()

        byline, tag_ids = _saved_relations(version)
        existing = Author.objects.in_bulk([pk for pk, _ in byline])
        kept = [(existing[pk], role) for pk, role in byline if pk in existing]
        article.set_byline([author for author, _ in kept], [role for _, role in kept])
        article.tags.set(list(Tag.objects.filter(pk__in=tag_ids)))
        if "also_in" in fields:  # versions saved before sections existed leave them as they are
            article.also_in.set(list(Section.objects.filter(pk__in=fields["also_in"])))

        when = timezone.localtime(version.revision.date_created).strftime("%d %b %Y %H:%M")
        comment = f"Restored the version of {when}"
        reversion.set_user(user)
        reversion.set_comment(comment)
        reversion.add_to_revision(article)
        if article.is_live:
            workflow.record_update(article, user=user, substantive=False, comment=comment)
    return article
