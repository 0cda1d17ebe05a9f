from django.urls import path

from articles import feeds, views
from articles.caching import public_page

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("<yyyy:year>/<dd:month>/<dd:day>/<uslug:slug>/", views.article_detail, name="detail"),
    path("<yyyy:year>/<dd:month>/<dd:day>/<uslug:slug>/ninjs.json", views.article_ninjs, name="ninjs"),
    path("ninjs/", views.ninjs_feed, name="ninjs-feed"),
    path("tags/", views.tag_list, name="tags"),
    path("tags/<uslug:slug>/", views.tag_detail, name="tag"),
    path("tags/<uslug:slug>/feed/", public_page(feeds.TagFeed()), name="tag-feed"),
    path("authors/", views.author_list, name="authors"),
    path("authors/<uslug:slug>/", views.author_detail, name="author"),
    path("authors/<uslug:slug>/feed/", public_page(feeds.AuthorFeed()), name="author-feed"),
    path("search/", views.search, name="search"),
    path("feed/", public_page(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", public_page(feeds.LatestArticlesAtomFeed()), name="feed-atom"),
    path("preview/<str:token>/", views.shared_article, name="share"),
]
