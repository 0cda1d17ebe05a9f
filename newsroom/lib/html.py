"""One place that cleans rich text: every rich-text field goes through clean()."""

import html

import nh3

# What an article body may contain: text structure and links, nothing active, no images
# (pictures come through the upload pipeline), no svg, math, style or iframe.
BODY_TAGS = {
    "a",
    "b",
    "blockquote",
    "br",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "s",
    "strong",
    "sub",
    "sup",
    "ul",
}
BIO_TAGS = {"a", "br", "em", "i", "p", "strong", "b"}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Their content is removed too, not just the tags.
DROP_WITH_CONTENT = {"script", "style", "svg", "math", "iframe", "object", "embed", "noscript", "template"}


def clean(value: str, *, tags: set[str] = BODY_TAGS) -> str:
    """Return rich text reduced to an explicit allow-list of tags, attributes and URL schemes."""
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=tags,
        clean_content_tags=DROP_WITH_CONTENT - tags,
        attributes={tag: attrs for tag, attrs in ATTRIBUTES.items() if tag in tags},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def clean_bio(value: str) -> str:
    return clean(value, tags=BIO_TAGS)


def to_text(value: str) -> str:
    """Plain text of rich text: tags dropped, entities decoded, white space folded."""
    if not value:
        return ""
    text = nh3.clean(
        value.replace("</p>", "</p> ").replace("<br>", " "), tags=set(), clean_content_tags=DROP_WITH_CONTENT
    )
    return " ".join(html.unescape(text).split())
