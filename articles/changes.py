"""The "content changed" notice: how the content says what readers may now see differently.

Whatever changes what readers can see calls announce_change() with what changed: the workflow
(publish, update, unpublish, correction: the story, and whether it came or went), the data
generator, and the receivers below for edits made outside the workflow (an author, a tag, a
picture, the site settings, a deleted story). An edit to something stories show raises those
stories' public revisions (Article.objects.touch()) in the same transaction. The notice is sent
once the transaction commits, so nobody hears of a change that was rolled back. Caches of
readers' pages subscribe to `content_changed` (public.caching); this app knows nothing about them.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import Signal, receiver
from taggit.models import Tag

from articles.models import Article, ArticlePicture, Byline, Section, SiteSettings, TaggedArticle, in_any
from authors.models import Author
from pictures.models import Picture

content_changed = Signal()  # sent with change=Change(...)


@dataclass(frozen=True)
class Change:
    """What readers may now see differently."""

    # The stories whose page or card changed (their public revision went up).
    stories: frozenset = frozenset()
    # Whether one of them joined or left what readers see (published, taken down), not only changed.
    came_or_went: bool = False
    # Something any page may show changed (an author, a tag, a picture, a deleted story, new data).
    everything: bool = False
    # The site settings changed (every page shows them).
    settings: bool = False
    # The curated fronts that changed, by the path of their page ("" the home, "world/asia").
    fronts: frozenset = frozenset()


def announce_change(
    *, stories=(), came_or_went: bool = False, everything: bool = False, settings: bool = False, fronts=()
):
    """Tell every subscriber, on commit of the current transaction, what readers may see changed.

    Called with nothing, it says that anything may have changed. The stories' public revisions go
    up here, whatever changed (the row itself, a correction, a byline): their cards and pages are
    kept under them."""
    stories, fronts = frozenset(stories), frozenset(fronts)
    if stories:
        Article.objects.filter(pk__in=stories).touch()
    if not (stories or settings or fronts):
        everything = True
    change = Change(stories=stories, came_or_went=came_or_went, everything=everything, settings=settings, fronts=fronts)
    transaction.on_commit(lambda: content_changed.send(sender=Article, change=change))


def _touch(stories) -> None:
    """Raise these stories' revisions (their cards and pages show what changed) and say so."""
    pks = list(Article.objects.filter(stories).values_list("pk", flat=True))
    if not pks:
        return  # a new author, tag or picture, or one no story shows yet: nothing readers see
    announce_change(stories=pks, everything=True)


@receiver([post_save, pre_delete], sender=Author, dispatch_uid="content_changed_on_author_change")
def _author_changed(sender, instance: Author, **kwargs) -> None:
    _touch(Q(pk__in=Article.objects.by(instance).values("pk")))


@receiver([post_save, pre_delete], sender=Tag, dispatch_uid="content_changed_on_tag_change")
def _tag_changed(sender, instance: Tag, **kwargs) -> None:
    _touch(Q(pk__in=TaggedArticle.objects.filter(tag=instance).values("content_object_id")))


@receiver([post_save, pre_delete], sender=Picture, dispatch_uid="content_changed_on_picture_change")
def _picture_changed(sender, instance: Picture, **kwargs) -> None:
    # The lead or social picture of stories, or the photo of an author on their cards and bylines:
    # any page may show those. A picture in stories' bodies (the reference table) shows on their
    # pages and what carries their text (feeds) only. All their revisions go up in one update.
    by_pictured = Byline.objects.filter(author__photo=instance).values("article_id")
    led = Article.objects.filter(lead_image=instance).values("pk")
    shared = Article.objects.filter(social_image=instance).values("pk")
    credited = Article.objects.filter(credit__photo=instance).values("pk")
    shown = set(ArticlePicture.objects.filter(picture=instance).values_list("article_id", flat=True))
    carded = set(Article.objects.filter(in_any(led, shared, by_pictured, credited)).values_list("pk", flat=True))
    if carded or shown:
        announce_change(stories=carded | shown, everything=bool(carded))
    # The site's share image or logo: every page's head shows them.
    if SiteSettings.objects.filter(Q(default_share_image=instance) | Q(publisher_logo=instance)).exists():
        announce_change(settings=True)


@receiver([post_save, pre_delete], sender=Section, dispatch_uid="content_changed_on_section_change")
def _section_changed(sender, instance: Section, **kwargs) -> None:
    # Its stories' cards and pages name it; every page's navigation lists the sections.
    filed = Article.objects.filter(Q(section=instance) | Q(section__parent=instance)).values("pk")
    also = Article.also_in.through.objects.filter(section=instance).values("article_id")
    pks = list(Article.objects.filter(in_any(filed, also)).values_list("pk", flat=True))
    announce_change(stories=pks, everything=True)


@receiver(post_save, sender=SiteSettings, dispatch_uid="content_changed_on_site_settings_change")
def _site_settings_changed(sender, created: bool = False, **kwargs) -> None:
    if not created:  # the row is made (SiteSettings.load()) before any page shows it
        announce_change(settings=True)


@receiver(post_delete, sender=Article, dispatch_uid="content_changed_on_article_delete")
def _article_deleted(sender, **kwargs) -> None:
    announce_change(everything=True)
