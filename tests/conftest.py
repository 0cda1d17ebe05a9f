import os

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import override_settings

from authors.models import Author
from tests.factories import ensure_editorial_groups, make_author, make_staff
from tests.services import REQUIRE_SERVICES

# Tests read no .env: subprocesses that run manage.py ignore one that `make demo` left here.
os.environ["NEWSROOM_ENV_FILE"] = ""


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests with real transactions (browser, threads) flush the database when they end, so they
    run last, as Django orders them. (Playwright's session fixtures reorder items after pytest-django.)"""

    def transactional(item) -> bool:
        marker = item.get_closest_marker("django_db")
        return bool(marker and marker.kwargs.get("transaction")) or "live_server" in getattr(item, "fixturenames", ())

    items.sort(key=transactional)


@pytest.fixture(autouse=True)
def _postgres_only(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        if REQUIRE_SERVICES:
            pytest.fail("this run requires PostgreSQL, but DATABASE_URL does not point at it")
        pytest.skip("needs PostgreSQL (set DATABASE_URL); skipped on SQLite by design")


@pytest.fixture(scope="session", autouse=True)
def _test_settings():
    """Tests run with debug off; static files come from the finders instead of a collected
    manifest, and passwords use a fast hasher (a real one costs ~0.3 s per user). The page cache
    and the fragment cache are off (their purges run on commit, which tests in a transaction never
    reach) except in the tests that turn them on (the fragment_cache fixture) and run the commit
    callbacks (test_page_cache.py)."""
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        TIME_ZONE="UTC",
        PAGE_CACHE=False,
        CACHES={**django_settings.CACHES, "fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
    ):
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def author(db) -> Author:
    return make_author()


@pytest.fixture
def demo(db):
    from demo.content import load_demo

    ensure_editorial_groups()
    return load_demo(password="demo-password-for-tests", pictures=False)


@pytest.fixture(autouse=True)
def _empty_caches(db):
    """Each test starts with empty caches (real Redis in the PostgreSQL run of CI)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def writer(db):
    return make_staff("writer", "Writers")


@pytest.fixture
def other_writer(db):
    return make_staff("other_writer", "Writers")


@pytest.fixture
def editor(db):
    return make_staff("editor", "Editors")


@pytest.fixture
def fragment_cache(settings):
    """Rendered fragments kept in memory, as in production (tests start without them)."""
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"},
    }


@pytest.fixture
def changed(django_capture_on_commit_callbacks):
    """Run a staff action as it runs in production, its on-commit notices included; returns its result."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture
def file_server():
    """A real HTTP server on 127.0.0.1 (tests.servers.FileServer); add answers to its `routes`."""
    from tests.servers import FileServer

    with FileServer() as server:
        yield server
