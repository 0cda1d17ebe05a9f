from public.caching import settings_for


def site(request):
    """Site name and promo line for every reader's page (staff edit them in the admin)."""
    return {"site": settings_for(request)}
