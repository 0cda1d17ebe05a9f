"""The ninjs export, at the readers' addresses: newsroom/urls.py puts these patterns in the
readers' URL namespace (`articles`), beside public/urls.py."""

from django.urls import path

from newsroom.lib import converters  # noqa: F401 - registers yyyy, dd and uslug
from wire import views

urlpatterns = [
    path("<yyyy:year>/<dd:month>/<dd:day>/<uslug:slug>/ninjs.json", views.article_ninjs, name="ninjs"),
    path("ninjs/", views.ninjs_feed, name="ninjs-feed"),
]
