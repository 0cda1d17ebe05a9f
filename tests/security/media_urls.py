"""The site's URLs with uploaded media served by Django, as `make demo` runs it."""

from newsroom.urls import media_patterns, urlpatterns

urlpatterns = [*urlpatterns, *media_patterns()]
