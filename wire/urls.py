"""The ninjs export, at the readers' addresses: newsroom/urls.py puts these patterns in the
readers' URL namespace (`articles`), beside public/urls.py. The push endpoint is no reader's
page: push_patterns go in a namespace of their own (`wire:push`, at /wire/push/)."""

from django.urls import path

from newsroom.lib import converters  # noqa: F401 - registers yyyy, dd and uslug
from wire import push, views

urlpatterns = [
    path("<yyyy:year>/<dd:month>/<dd:day>/<uslug:slug>/ninjs.json", views.article_ninjs, name="ninjs"),
    path("ninjs/", views.ninjs_feed, name="ninjs-feed"),
]

push_patterns = [
    path("push/", push.push, name="push"),
]
