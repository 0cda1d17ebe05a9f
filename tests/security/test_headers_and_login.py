"""The production profile on real responses: security headers, cookies, the CSP, login throttling."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from articles.models import Article
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = ["SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
              "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
              "CONTENT_SECURITY_POLICY", "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY",
              "SECURE_CROSS_ORIGIN_OPENER_POLICY", "DEBUG"]  # fmt: skip


@pytest.fixture(scope="module")
def production_settings() -> dict:
    """What newsroom/settings.py makes of a production environment (debug off, HTTPS on)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))}
    env |= {"DJANGO_DEBUG": "0", "NEWSROOM_HTTPS": "1", "DJANGO_ALLOWED_HOSTS": "testserver",
            "NEWSROOM_MEDIA_DOMAIN": "media.news.example",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_SETTINGS_MODULE": "newsroom.settings"}  # fmt: skip
    code = f"import json; from django.conf import settings; print(json.dumps({{k: getattr(settings, k) for k in {PRODUCTION!r}}}, default=str))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def production(settings, production_settings):
    for name, value in production_settings.items():
        setattr(settings, name, value)
    return Client(HTTP_X_FORWARDED_PROTO="https")  # as behind the TLS-terminating proxy


def test_plain_http_is_redirected_to_https(production_settings, settings):
    for name, value in production_settings.items():
        setattr(settings, name, value)
    response = Client().get("/")
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_public_pages_carry_the_production_security_headers(production):
    article = make_article("Story", authors=[make_author()])
    for url in ["/", article.get_absolute_url(), "/feed/"]:
        response = production.get(url)
        assert response.status_code == 200, url
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        policy = dict(
            part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if " " in part.strip()
        )
        assert (
            policy["default-src"] == "'self'" and policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
        )
        assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
        assert policy["img-src"] == "'self' data: https://media.news.example", "pictures from the media domain too"
        assert "upgrade-insecure-requests" in response["Content-Security-Policy"]


def test_the_admin_allows_only_our_scripts_plus_the_editors_import_map(production, editor):
    production.force_login(editor)
    page = production.get("/admin/articles/article/add/")
    policy = page["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "script-src 'self' 'sha256-" in policy, "the import map's hash, nothing else"
    assert page["X-Frame-Options"] == "DENY"


def test_only_the_preview_may_be_framed_and_only_by_us(production, editor, writer):
    draft = make_article("Draft", status=Article.Status.DRAFT, created_by=writer)
    production.force_login(editor)
    response = production.get(f"/admin/articles/article/{draft.pk}/preview/")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_session_and_csrf_cookies_are_secure_and_the_session_is_httponly(production, editor):
    editor.password = make_password("a long password for the editor")
    editor.save()
    production.get("/admin/login/")
    response = production.post("/admin/login/", {"username": "editor", "password": "a long password for the editor"})
    session, csrf = response.cookies["sessionid"], production.cookies["csrftoken"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert csrf["secure"]


def test_uploaded_media_is_served_with_nosniff(client, settings):
    # `make demo` serves media through Django; the same middleware answers it.
    settings.ROOT_URLCONF = "tests.security.media_urls"
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    (media / "nosniff-check.txt").write_text("<script>alert(1)</script>")
    try:
        response = client.get("/media/nosniff-check.txt")
    finally:
        (media / "nosniff-check.txt").unlink()
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_made_up_forwarded_for_header_does_not_escape_the_lockout(editor):
    client = Client()
    statuses = [
        client.post(
            "/admin/login/",
            {"username": "editor", "password": "a wrong guess"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}",
        ).status_code
        for attempt in range(6)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429]


def test_login_is_throttled_after_five_failures_even_for_the_right_password(editor):
    editor.password = make_password("the right password, at last")
    editor.save()
    client = Client()
    statuses = [
        client.post("/admin/login/", {"username": "editor", "password": "a wrong guess"}).status_code for _ in range(5)
    ]
    # Four wrong guesses get the login form back; the fifth locks the account from this address.
    assert statuses == [200, 200, 200, 200, 429]
    locked = client.post("/admin/login/", {"username": "editor", "password": "the right password, at last"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    page = " ".join(locked.content.decode().split())
    assert "Too many failed log-ins" in page and "paused for 15 minutes" in page
    other_address = Client(REMOTE_ADDR="203.0.113.9")
    assert (
        other_address.post(
            "/admin/login/", {"username": "editor", "password": "the right password, at last"}
        ).status_code
        == 302
    )


def test_behind_a_proxy_each_reader_address_is_throttled_on_its_own(editor, settings):
    settings.PROXY_COUNT = 1
    # The guesser makes up a new address on the left each time; our proxy appends the one it saw.
    guesser, colleague = Client(), Client(HTTP_X_FORWARDED_FOR="198.51.100.8")
    wrong = {"username": "editor", "password": "a wrong guess"}
    statuses = [
        guesser.post("/admin/login/", wrong, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.7").status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    assert colleague.post("/admin/login/", wrong).status_code == 200
