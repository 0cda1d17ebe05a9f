"""schema.org JSON-LD: NewsArticle for article pages, BreadcrumbList for articles and section
pages, WebSite and Organization for the home, ProfilePage for author pages."""

from django.urls import reverse

from articles.models import Article, Section, SiteSettings
from newsroom.lib.dates import isoformat
from newsroom.lib.urls import absolute
from pictures.models import ShareImage


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


def image_object(image: ShareImage) -> dict:
    return {"@type": "ImageObject", "url": image.url, "width": image.width, "height": image.height}


def organization(site: SiteSettings) -> dict:
    """The publisher: its name, its address and, when the site has one, its logo."""
    logo = site.publisher_logo_image
    return {
        "@type": "Organization",
        "name": site.site_name,
        "url": absolute(reverse("articles:home")),
        **({"logo": image_object(logo)} if logo else {}),
    }


def home_page(site: SiteSettings) -> list[dict]:
    """The site (with its search, for a search box in results) and its publisher."""
    home = absolute(reverse("articles:home"))
    website = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site.site_name,
        "url": home,
        "publisher": {"@type": "Organization", "name": site.site_name, "url": home},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{absolute(reverse('articles:search'))}?q={{q}}"},
            "query-input": "required name=q",
        },
    }
    return [website, {"@context": "https://schema.org", **organization(site)}]


def profile_page(author) -> dict:
    """An author's page: the person (or organisation) with their photo and their other profiles."""
    entity = {
        **_author(author),
        **({"image": image_object(photo)} if author.photo and (photo := author.photo.share_image("1x1")) else {}),
        **({"description": author.job_title} if author.job_title and author.is_organisation else {}),
        **({"sameAs": [url for _, url in author.social_links]} if author.social_links else {}),
    }
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": absolute(author.get_absolute_url()),
        "mainEntity": entity,
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
        "publisher": organization(site),
    }
    if article.language:
        data["inLanguage"] = article.language
    if picture := article.effective_social_image(site):
        # Google asks for 16:9, 4:3 and 1:1 versions, at least 1200 px wide where the original allows.
        crops = [picture.share_image(crop) for crop in ("1x1", "4x3", "16x9")]
        if images := [image.url for image in crops if image]:
            data["image"] = images
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
