import importlib
import os
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from articles.models import Article, Byline
from authors.models import Author

# In the PostgreSQL run of CI every service must be there: a missing one fails the run.
REQUIRE_SERVICES = os.environ.get("NEWSROOM_REQUIRE_SERVICES", "") == "1"


def skip_or_fail(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (NEWSROOM_REQUIRE_SERVICES=1, so this fails instead of skipping)")
    pytest.skip(reason)


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
    reach) except in the tests that turn them on and run the commit callbacks (test_page_cache.py)."""
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        TIME_ZONE="UTC",
        PAGE_CACHE=False,
        FRAGMENT_CACHE=False,
    ):
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_author(name: str = "Asha Verma", **fields) -> Author:
    return Author.objects.create(name=name, **fields)


def make_article(
    headline: str = "Bridge reopens after repairs",
    *,
    status: str = Article.Status.PUBLISHED,
    published_at=None,
    authors=(),
    tags=(),
    **fields,
) -> Article:
    """An article in the given state; published ones default to an hour ago."""
    if status == Article.Status.PUBLISHED and published_at is None:
        published_at = timezone.now() - timedelta(hours=1)
    article = Article.objects.create(
        headline=headline,
        status=status,
        published_at=published_at,
        body=fields.pop("body", "<p>The bridge reopened on Monday.</p>"),
        **fields,
    )
    Byline.objects.bulk_create(
        Byline(article=article, author=author, position=position) for position, author in enumerate(authors)
    )
    if tags:
        article.tags.set(tags)
    return article


@pytest.fixture
def author(db) -> Author:
    return make_author()


@pytest.fixture
def demo(db):
    from articles.demo import load_demo

    ensure_editorial_groups()
    return load_demo(password="demo-password-for-tests", pictures=False)


@pytest.fixture(autouse=True)
def _empty_caches(db):
    """Each test starts with empty caches (real Redis in the PostgreSQL run of CI)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def ensure_editorial_groups() -> None:
    """Transactional tests flush the database; bring back the groups its data migration made."""
    from django.apps import apps

    importlib.import_module("articles.migrations.0002_editorial_groups").create_groups(apps, None)


def make_staff(username: str, group: str | None = None):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username=username, password="correct horse battery", is_staff=True)
    if group:
        if not Group.objects.filter(name=group).exists():
            ensure_editorial_groups()
        user.groups.add(Group.objects.get(name=group))
    return User.objects.get(pk=user.pk)  # fresh, without a stale permission cache


@pytest.fixture
def writer(db):
    return make_staff("writer", "Writers")


@pytest.fixture
def other_writer(db):
    return make_staff("other_writer", "Writers")


@pytest.fixture
def editor(db):
    return make_staff("editor", "Editors")
