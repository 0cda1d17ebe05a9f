from django.conf import settings

from articles.models import SiteSettings


def site(request):
    """Site name and promo line for every reader's page (staff edit them in the admin)."""
    return {"site": SiteSettings.load(), "site_url": settings.SITE_URL}
