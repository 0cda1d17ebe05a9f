"""Side effects of edits made outside the workflow: anything readers see marks pages stale on commit."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag

from articles import caching
from articles.models import Article, SiteSettings
from authors.models import Author


@receiver([post_save, post_delete], sender=Author, dispatch_uid="purge_on_author_change")
@receiver([post_save, post_delete], sender=Tag, dispatch_uid="purge_on_tag_change")
@receiver(post_save, sender=SiteSettings, dispatch_uid="purge_on_site_settings_change")
@receiver(post_delete, sender=Article, dispatch_uid="purge_on_article_delete")
def purge_public_pages(sender, **kwargs) -> None:
    transaction.on_commit(caching.purge)
