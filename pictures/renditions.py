"""Renditions in bulk, outside page requests: for pictures stored before renditions existed, or
after the rendition sizes change (`manage.py make_renditions`)."""

from django.core.files.storage import default_storage
from django.db import transaction

from pictures.models import Picture


def make_missing(*, everything: bool = False, progress=None) -> tuple[int, list[tuple[str, str]]]:
    pictures = Picture.objects.all() if everything else Picture.objects.filter(renditions=[])
    if progress is not None:
        progress.reset(total=pictures.count())
    made, failed = 0, []
    for picture in pictures.iterator(chunk_size=100):
        try:
            with transaction.atomic():
                picture.remake_renditions()
            made += 1
        except (OSError, ValueError) as error:
            failed.append((str(picture.key), str(error)))
        if progress is not None:
            progress.update()
    return made, failed


def prune_orphans() -> list[str]:
    """Delete picture folders left by uploads whose transaction rolled back."""
    if not default_storage.exists("pictures"):
        return []
    folders, _ = default_storage.listdir("pictures")
    owned = {str(key) for key in Picture.objects.values_list("key", flat=True)}
    removed = []
    for folder in folders:
        if folder in owned:
            continue
        _, files = default_storage.listdir(f"pictures/{folder}")
        for name in files:
            default_storage.delete(f"pictures/{folder}/{name}")
        removed.append(folder)
    return removed
