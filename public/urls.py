"""The readers' addresses, in the `articles` namespace (newsroom/urls.py adds the wire app's
ninjs export to the same namespace). Names and paths are public: templates, feeds, sitemaps
and links from outside use them."""

from django.urls import path

from newsroom.lib import converters  # noqa: F401 - registers yyyy, dd and uslug
from public import feeds, views
from public.caching import public_page
from public.models import SitePage

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("latest/", views.latest, name="latest"),
    path("<yyyy:year>/<dd:month>/<dd:day>/<uslug:slug>/", views.article_detail, name="detail"),
    path("tags/", views.tag_list, name="tags"),
    path("tags/<uslug:slug>/", views.tag_detail, name="tag"),
    path("tags/<uslug:slug>/feed/", public_page(feeds.TagFeed()), name="tag-feed"),
    path("tags/<uslug:slug>/feed/atom/", public_page(feeds.TagFeed(atom=True)), name="tag-feed-atom"),
    path("authors/", views.author_list, name="authors"),
    path("authors/<uslug:slug>/", views.author_detail, name="author"),
    path("authors/<uslug:slug>/feed/", public_page(feeds.AuthorFeed()), name="author-feed"),
    path("authors/<uslug:slug>/feed/atom/", public_page(feeds.AuthorFeed(atom=True)), name="author-feed-atom"),
    path("search/", views.search, name="search"),
    path("feed/", public_page(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", public_page(feeds.LatestArticlesFeed(atom=True)), name="feed-atom"),
    path("preview/<str:token>/", views.shared_article, name="share"),
    # The pages about the site (public.models.SitePage), linked from every page's footer.
    *(path(f"{slug}/", views.site_page, {"slug": slug}, name=slug) for slug in SitePage.Slug.values),
]

# At the site's root, outside the namespace.
site_patterns = [
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap-section"),
    path("news-sitemap.xml", views.news_sitemap, name="news-sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]

# Sections answer at the top of the site (/world/, /world/asia/): newsroom/urls.py puts these
# patterns last, after every other address, so that they shadow none. A section may not take a
# slug the site already answers (articles.models.Section.validate_address).
section_feed, section_atom = public_page(feeds.SectionFeed()), public_page(feeds.SectionFeed(atom=True))
section_patterns = [
    path("<uslug:slug>/", views.section_detail, name="section"),
    path("<uslug:slug>/feed/", section_feed, name="section-feed"),
    path("<uslug:slug>/feed/atom/", section_atom, name="section-feed-atom"),
    path("<uslug:parent>/<uslug:slug>/", views.subsection_detail, name="subsection"),
    path("<uslug:parent>/<uslug:slug>/feed/", section_feed, name="subsection-feed"),
    path("<uslug:parent>/<uslug:slug>/feed/atom/", section_atom, name="subsection-feed-atom"),
]
