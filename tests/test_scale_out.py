"""Two app servers, one PostgreSQL, one Redis: a story published through one is read from the other at once."""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from articles.models import Article
from tests.factories import make_article, make_author, make_staff
from tests.servers import Browser, free_port, start_server
from tests.services import skip_or_fail

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a long password for the editor"


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
        desk.post(f"/admin/articles/article/{story.pk}/transition/publish/", {"comment": "", "_confirmed": "1"})

        status, headers, page = Browser(f"http://127.0.0.1:{two}").get("/")
        assert "Two servers, one newsroom" in page, "the second server shows it on the next request"
        assert re.search(r"Two servers, one newsroom", Browser(f"http://127.0.0.1:{two}").get("/feed/")[2])
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=20)
