"""Production settings refuse to start without a real secret key and allowed hosts."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start(show: str = "settings.DEBUG", **env: str) -> subprocess.CompletedProcess:
    """Start Django with this environment and print `show` (an expression over `settings`)."""
    clean_env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; print({show})",
        ],
        cwd=ROOT,
        env={**clean_env, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = start(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="news.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_or_insecure_secret_key():
    for key in ["short", "django-insecure-" + "x" * 60, "a" * 60]:
        result = start(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="news.example", DJANGO_SECRET_KEY=key)
        assert result.returncode != 0, key
        assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = start(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_a_secret_and_hosts():
    result = start(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DJANGO_ALLOWED_HOSTS="news.example")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_development_starts_without_configuration():
    result = start(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_a_mistyped_flag_is_refused_rather_than_guessed():
    result = start(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_an_unknown_time_zone_is_refused():
    result = start(DJANGO_DEBUG="1", NEWSROOM_TIME_ZONE="Mars/Olympus_Mons")
    assert result.returncode != 0
    assert "NEWSROOM_TIME_ZONE" in result.stderr


def test_the_sites_time_zone_comes_from_the_environment_and_defaults_to_utc():
    assert start("settings.TIME_ZONE", DJANGO_DEBUG="1").stdout.strip() == "UTC"
    result = start("settings.TIME_ZONE", DJANGO_DEBUG="1", NEWSROOM_TIME_ZONE="Asia/Kolkata")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Asia/Kolkata"
