"""Wire copy out: published articles as IPTC ninjs 2.2, valid against the official schema."""

from articles.models import Article
from newsroom.lib.dates import isoformat
from newsroom.lib.html import to_text
from newsroom.lib.urls import absolute
from wire.schema import EXPORT_SCHEMA_URL


def byline_text(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C": the form the importer reads back."""
    return " and ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} and {names[-1]}"


def _picture(article: Article) -> dict:
    picture = article.lead_image
    renditions = []
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
        "name": "featureimage",
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


def to_ninjs(article: Article) -> dict:
    """A published article (loaded with for_listing()) as a ninjs 2.2 document."""
    url = absolute(article.get_absolute_url())
    document = {
        "standard": {"name": "ninjs", "version": "2.2", "schema": EXPORT_SCHEMA_URL},
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
    if article.lead_image:
        document["associations"] = [_picture(article)]
    return document
