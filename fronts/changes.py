"""Saving a front is a change readers can see: it refreshes the page that shows that front alone.

The desk saves a layout, then its blocks (and their pins, written with each block) in one
transaction; each of these saves announces the change, which is sent once on commit.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.changes import announce_change
from fronts.models import Block, Front, Layout


def _announce(front: Front | None) -> None:
    if front is not None:
        announce_change(fronts=[front.page])


@receiver([post_save, post_delete], sender=Layout, dispatch_uid="content_changed_on_layout_change")
def _layout_changed(sender, instance: Layout, **kwargs) -> None:
    _announce(Front.objects.select_related("section__parent").filter(pk=instance.front_id).first())


@receiver([post_save, post_delete], sender=Block, dispatch_uid="content_changed_on_block_change")
def _block_changed(sender, instance: Block, **kwargs) -> None:
    front = Front.objects.select_related("section__parent").filter(layouts=instance.layout_id).first()
    _announce(front)


@receiver(post_delete, sender=Front, dispatch_uid="content_changed_on_front_delete")
def _front_deleted(sender, instance: Front, **kwargs) -> None:
    announce_change(fronts=[instance.page])
