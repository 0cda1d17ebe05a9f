from public.caching import page_state


def site(request):
    """Site name, promo line and the navigation's sections for every reader's page (staff edit
    them in the admin), from the page state: no query of their own."""
    state = getattr(request, "page_state", None) or page_state()[0]
    return {"site": getattr(request, "site_settings", None) or state.site, "navigation": state.sections}
