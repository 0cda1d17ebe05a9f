"""Two app servers, one PostgreSQL, one Redis: a story published through one is read from the other at once."""

import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from articles.models import Article
from tests.factories import make_article, make_author, make_staff
from tests.services import skip_or_fail

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a long password for the editor"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def collected_static(folder: Path, env: dict) -> None:
    """The static files collected as a deployment's build step does (debug off needs the manifest)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env={**env, "NEWSROOM_STATIC_ROOT": str(folder)},
        check=True,
        timeout=120,
    )


def start_server(port: int, static_root: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "NEWSROOM_PAGE_CACHE": "1",
        "DJANGO_DEBUG": "0",
        "NEWSROOM_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_LOG_LEVEL": "ERROR",
        "NEWSROOM_STATIC_ROOT": str(static_root),
    }
    if not (static_root / "staticfiles.json").exists():
        collected_static(static_root, env)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "newsroom.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError("the app server did not start")


class Browser:
    """Just enough of a browser for the admin: cookies and CSRF tokens."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> tuple[int, dict, str]:
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()

    def post(self, path: str, data: dict) -> str:
        token = next(cookie.value for cookie in self.cookies if cookie.name == settings.CSRF_COOKIE_NAME)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        with self.opener.open(urllib.request.Request(self.base + path, data=body), timeout=10) as response:
            return response.read().decode()


@pytest.fixture
def services():
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL (set DATABASE_URL); the two servers share its database")
    if not os.environ.get("REDIS_URL"):
        skip_or_fail("needs Redis (set REDIS_URL); the two servers share its cache")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_story_published_through_one_server_is_read_from_the_other_at_once(services, tmp_path):
    editor = make_staff("editor", "Editors")
    editor.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    editor.save(update_fields=["password"])
    make_article("Yesterday's news", authors=[make_author("Asha Verma")])
    story = make_article(
        "Two servers, one newsroom", status=Article.Status.IN_REVIEW, authors=[make_author("Ben Okoro")]
    )
    one, two = free_port(), free_port()
    servers = [start_server(one, tmp_path / "static"), start_server(two, tmp_path / "static")]
    try:
        reader = Browser(f"http://127.0.0.1:{two}")
        reader.get("/")
        status, headers, page = reader.get("/")
        assert headers.get("X-Page-Cache") == "hit", "the home page is cached on the second server"
        assert "Two servers, one newsroom" not in page

        desk = Browser(f"http://127.0.0.1:{one}")
        desk.get("/admin/login/")
        desk.post("/admin/login/?next=/admin/", {"username": "editor", "password": PASSWORD})
        change_page = desk.get(f"/admin/articles/article/{story.pk}/change/")[2]
        assert "Publish now" in change_page, "logged in as the editor on the first server"
        desk.post(f"/admin/articles/article/{story.pk}/transition/publish/", {"comment": ""})

        status, headers, page = Browser(f"http://127.0.0.1:{two}").get("/")
        assert "Two servers, one newsroom" in page, "the second server shows it on the next request"
        assert re.search(r"Two servers, one newsroom", Browser(f"http://127.0.0.1:{two}").get("/feed/")[2])
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=20)
