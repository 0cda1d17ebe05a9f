from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("<yyyy:year>/<dd:month>/<dd:day>/<uslug:slug>/", views.article_detail, name="detail"),
    path("tags/<uslug:slug>/", views.tag_detail, name="tag"),
    path("authors/<uslug:slug>/", views.author_detail, name="author"),
    path("preview/<str:token>/", views.shared_article, name="share"),
]
