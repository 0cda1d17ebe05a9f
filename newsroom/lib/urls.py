from django.conf import settings


def absolute(url: str) -> str:
    """A full URL on NEWSROOM_SITE_URL, for what is read outside the site (feeds, sitemaps,
    structured data, Open Graph). URLs that already are absolute (media on S3) stay as they are."""
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"
