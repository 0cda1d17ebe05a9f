"""The "content changed" notice: how the content says that readers may now see something new.

Whatever changes what readers can see calls announce_change(): the workflow (publish, update,
unpublish, correction), the data generator, and the receivers below for edits made outside the
workflow (an author, a tag, the site settings, a deleted story). The notice is sent once the
transaction commits, so nobody hears of a change that was rolled back. Caches of readers' pages
subscribe to `content_changed` (public.caching); this app knows nothing about them.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver
from taggit.models import Tag

from articles.models import Article, SiteSettings
from authors.models import Author

content_changed = Signal()


def _send() -> None:
    content_changed.send(sender=Article)


def announce_change() -> None:
    """Tell every subscriber, on commit of the current transaction, that readers may see a change."""
    transaction.on_commit(_send)


@receiver([post_save, post_delete], sender=Author, dispatch_uid="content_changed_on_author_change")
@receiver([post_save, post_delete], sender=Tag, dispatch_uid="content_changed_on_tag_change")
@receiver(post_save, sender=SiteSettings, dispatch_uid="content_changed_on_site_settings_change")
@receiver(post_delete, sender=Article, dispatch_uid="content_changed_on_article_delete")
def _edited_outside_the_workflow(sender, **kwargs) -> None:
    announce_change()
