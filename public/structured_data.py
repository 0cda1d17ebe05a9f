"""schema.org NewsArticle for article pages and BreadcrumbList for articles and section pages
(JSON-LD), from a published article or a section."""

from django.urls import reverse

from articles.models import Article, Section, SiteSettings
from newsroom.lib.dates import isoformat
from newsroom.lib.urls import absolute


def section_trail(section: Section | None) -> list[tuple[str, str]]:
    """The way from the home page to a section (Home › World › Asia), as (name, path) pairs;
    the section needs its parent loaded."""
    trail = [("Home", reverse("articles:home"))]
    if section is not None:
        if section.parent_id:
            trail.append((section.parent.name, section.parent.get_absolute_url()))
        trail.append((section.name, section.get_absolute_url()))
    return trail


def breadcrumb_list(trail: list[tuple[str, str]]) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": absolute(path)}
            for position, (name, path) in enumerate(trail, start=1)
        ],
    }


def _author(author) -> dict:
    return {
        "@type": "Organization" if author.is_organisation else "Person",
        "name": author.name,
        "url": absolute(author.get_absolute_url()),
        **({"jobTitle": author.job_title} if author.job_title and not author.is_organisation else {}),
    }


def news_article(article: Article, site: SiteSettings) -> dict:
    """Every bylined author and the credit source are authors; corrections are `correction`."""
    authors = [_author(author) for author in article.credited_authors]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "url": absolute(article.get_absolute_url()),
        "headline": article.headline,
        "description": article.summary,
        "author": authors,
        "datePublished": isoformat(article.published_at),
        "dateModified": isoformat(article.updated_at or article.published_at),
        "keywords": [tag.name for tag in article.sorted_tags],
        **({"articleSection": article.section.name} if article.section_id else {}),
        "publisher": {"@type": "Organization", "name": site.site_name, "url": absolute("/")},
    }
    if article.language:
        data["inLanguage"] = article.language
    if article.lead_image:
        # Google asks for 16:9, 4:3 and 1:1 versions, at least 1200 px wide where the original allows.
        crops = [article.lead_image.best(crop, "jpeg", at_least=1200) for crop in ("1x1", "4x3", "16x9")]
        data["image"] = [absolute(article.lead_image.url_of(r)) for r in crops if r]
    if article.dateline_place:
        data["dateline"] = article.dateline
        data["locationCreated"] = {"@type": "Place", "name": article.dateline_place}
    corrections = list(article.corrections.all())
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": correction.text, "datePublished": isoformat(correction.created_at)}
            for correction in corrections
        ]
    return data
