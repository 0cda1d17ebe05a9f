"""The stored story body (newsroom.lib.html.clean's output) read as blocks: see /tmp/lead/blocks.md.

SEED (h-pictures): only picture_ids(), which the reference table of pictures (ArticlePicture)
is synced from. The block parser (Html, PictureBlock, GalleryBlock, EmbedBlock) extends this
module (h-render); the lead merges both.
"""

import re

from newsroom.lib.query import id_from

# Every picture id a body may name: more than any story shows (a gallery holds 30), far fewer
# than a forged body could list.
MAX_PICTURES = 200
# The sanitiser writes these attributes exactly so (quoted with ", ids as digits).
_PICTURE_ATTRIBUTE = re.compile(r'<figure\b[^>]*?\sdata-(?:picture|gallery)="([0-9 ]{1,400})"', re.ASCII)


def picture_ids(body: str) -> list[int]:
    """The ids of the pictures the body shows (inline and in galleries), in order of first
    appearance, each once, at most MAX_PICTURES (an id past any database key is not one)."""
    ids: dict[int, None] = {}
    for match in _PICTURE_ATTRIBUTE.finditer(body or ""):
        for part in match.group(1).split():
            if pk := id_from(part):  # within a database key: no lookup overflows
                ids.setdefault(pk, None)
                if len(ids) >= MAX_PICTURES:
                    return list(ids)
    return list(ids)
