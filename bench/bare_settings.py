"""make bench: a bare Django project (one hello-world view, no middleware, no apps of ours).

Its requests/s is the ceiling of Django itself on this machine, so that our ratios compare with
other projects' figures. Served by bench/run.py with gunicorn beside the site:
DJANGO_SETTINGS_MODULE=bench.bare_settings, application django.core.wsgi:get_wsgi_application().
"""

from django.http import HttpResponse
from django.urls import path

DEBUG = False
SECRET_KEY = "bench-bare-hello-world"  # noqa: S105 - answers one static view, signs nothing
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
ROOT_URLCONF = __name__
USE_TZ = True


def hello(request):
    return HttpResponse("Hello, world")


urlpatterns = [path("", hello)]
