"""Wire copy out: published articles as IPTC ninjs 2.2 or 3.1, valid against the official schemas.

Both carry the same story; 3.x spells some property names in camelCase (`_in_3x`). The lead
image is an association (type picture, named featureimage) with its renditions' URLs, alt text
(its headline), caption and credit (`by`), as wire.packages reads them back; then each picture of
the body, the same way, named picture-<id> after the body's data-picture / data-gallery ids; then
each embed of the body, as a link: ninjs has no property for links, so an association whose one
rendition's href is the embedded page's address (its uri identifies it within the story, as the
schema asks: "not for links to external resources").
"""

from articles.body import EmbedBlock, parse
from articles.models import Article
from newsroom.lib.dates import isoformat
from newsroom.lib.html import to_text
from newsroom.lib.urls import absolute
from wire.schema import EXPORT_SCHEMA_URL

# What ?version= may ask for, and the official schema each is valid against.
VERSIONS = {"2.2": EXPORT_SCHEMA_URL, "3.1": "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"}
DEFAULT_VERSION = "2.2"
ORIGINAL_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "avif": "image/avif"}
# The names 3.x spells differently, of the properties we write.
CAMEL_CASE = {
    "firstcreated": "firstCreated",
    "versioncreated": "versionCreated",
    "pubstatus": "pubStatus",
    "representationtype": "representationType",
    "copyrightholder": "copyrightHolder",
    "infosources": "infoSources",
    "contenttype": "contentType",
    "charcount": "charCount",
}


def byline_text(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C": the form the importer reads back."""
    return " and ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} and {names[-1]}"


# The ninjs type of what each provider's embed shows (newsroom.lib.embeds keys); any other is text
# (a post, or the plain link the sanitiser makes of an address no provider claims).
EMBED_TYPES = {"youtube": "video", "vimeo": "video", "datawrapper": "graphic", "flourish": "graphic"}


def body_embeds(body: str) -> list[tuple[str, str, str]]:
    """(provider key, URL, text) of each embed of a stored body, in order (articles.body's blocks)."""
    return [(block.provider_key, block.url, block.text) for block in parse(body or "") if isinstance(block, EmbedBlock)]


def _embed(story_url: str, number: int, provider: str, url: str, text: str) -> dict:
    item = {
        "name": f"embed-{number}",
        "uri": f"{story_url}#embed-{number}",
        "type": EMBED_TYPES.get(provider, "text"),
        "renditions": [{"name": "link", "href": url, "contenttype": "text/html", "title": text or url}],
    }
    if text:
        item["headlines"] = [{"role": "main", "value": text}]
    return item


def _picture(picture, name: str = "featureimage") -> dict:
    extension = picture.file.name.rsplit(".", 1)[-1].lower()
    # The original first: what an importer (ours: wire.packages) takes as the picture itself.
    renditions = [
        {
            "name": "original",
            "href": absolute(picture.file.url),
            "contenttype": ORIGINAL_TYPES.get(extension, "application/octet-stream"),
            "width": picture.width,
            "height": picture.height,
        }
    ]
    for crop in ("16x9", "4x3", "1x1"):
        best = picture.best(crop, "jpeg", at_least=1200)
        if best:
            renditions.append(
                {
                    "name": crop,
                    "href": absolute(picture.url_of(best)),
                    "contenttype": "image/jpeg",
                    "width": best["width"],
                    "height": best["height"],
                }
            )
    item = {
        "name": name,
        "uri": absolute(picture.file.url),
        "type": "picture",
        "renditions": renditions,
    }
    if picture.alt_text:
        item["headlines"] = [{"role": "main", "value": picture.alt_text}]
    if picture.caption:
        item["descriptions"] = [{"role": "caption", "contenttype": "text/plain", "value": picture.caption}]
    if picture.credit:
        item["by"] = picture.credit
    return item


def _in_3x(value):
    """A 2.2 document's value with its property names as ninjs 3.x spells them."""
    if isinstance(value, dict):
        return {CAMEL_CASE.get(key, key): _in_3x(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_in_3x(item) for item in value]
    return value


def to_ninjs(article: Article, version: str = DEFAULT_VERSION) -> dict:
    """A published article (loaded with for_listing() and with_body_pictures()) as a ninjs document of `version` (a key of VERSIONS)."""
    url = absolute(article.get_absolute_url())
    document = {
        "standard": {"name": "ninjs", "version": version, "schema": VERSIONS[version]},
        "uri": url,
        "type": "text",
        "representationtype": "full",
        "version": str(article.version),
        "firstcreated": isoformat(article.published_at),
        "versioncreated": isoformat(article.updated_at or article.published_at),
        "pubstatus": "usable",
        "headlines": [{"role": "main", "value": article.headline}],
        "bodies": [
            {"role": "main", "contenttype": "text/html", "charcount": len(to_text(article.body)), "value": article.body}
        ],
    }
    if article.language:
        document["language"] = article.language
    if article.standfirst:
        document["descriptions"] = [{"role": "summary", "contenttype": "text/plain", "value": article.standfirst}]
    if authors := article.byline_authors:
        document["by"] = byline_text([author.name for author in authors])
    if article.dateline_place:
        document["located"] = article.dateline_place
    if article.credit:
        document["infosources"] = [{"name": article.credit.name, "role": "source"}]
        document["copyrightholder"] = article.credit.name
    if tags := article.sorted_tags:
        document["subjects"] = [{"name": tag.name} for tag in tags]
    associations = [_picture(article.lead_image)] if article.lead_image else []
    associations += [_picture(row.picture, f"picture-{row.picture_id}") for row in article.body_pictures.all()]
    associations += [_embed(url, n, *embed) for n, embed in enumerate(body_embeds(article.body), start=1)]
    if associations:
        document["associations"] = associations
    return _in_3x(document) if version.startswith("3.") else document
