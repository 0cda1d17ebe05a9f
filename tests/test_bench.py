"""make bench's own parts: the bare Django ceiling, the fresh mode's paths and the busy-desk editor."""

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article
from bench import desk, run
from tests.factories import ensure_editorial_groups, make_author, news_section

ROOT = Path(__file__).resolve().parents[1]

BARE_CHECK = """
import sys
import django
django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/")
ours = sorted({name.split(".")[0] for name in sys.modules} & {"articles", "authors", "public", "desk", "fronts", "wire", "demo", "pictures", "newsroom"})
print(response.status_code, response.content.decode(), settings.MIDDLEWARE, ours)
"""


def test_the_bare_ceiling_is_hello_world_with_no_middleware_and_none_of_our_code():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.bare_settings"}
    out = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", BARE_CHECK], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "200 Hello, world [] []"


@pytest.mark.django_db
def test_fresh_paths_are_distinct_pages_readers_can_open(client):
    call_command("generate_newsroom", articles=200, authors=30, tags=60, until=datetime(2026, 1, 1, tzinfo=UTC), verbosity=0)  # fmt: skip
    paths = run.fresh_paths()
    assert len(paths["article"]) == Article.objects.published().count()
    for kind in ("article", "listing"):
        assert len(set(paths[kind])) == len(paths[kind])
        for path in paths[kind][:25]:
            assert client.get(path).status_code == 200, path
    assert any(path.startswith("/latest/?before=") for path in paths["listing"])
    assert any(path.startswith("/tags/") for path in paths["listing"])
    assert any(path.startswith("/authors/") for path in paths["listing"])


@pytest.mark.django_db
def test_the_busy_desk_editor_publishes_and_updates_then_leaves_no_trace(client):
    ensure_editorial_groups()
    before = Article.objects.count(), Version.objects.count()
    harbour = Tag.objects.create(name="Harbour", slug="harbour")
    editor = run.Editor(desk.bench_editor(), make_author(), harbour, news_section())
    editor.act()
    story = Article.objects.get(source_uri__startswith=run.BENCH_STORY)
    assert story.is_live
    assert "council agrees harbour budget" in client.get(story.get_absolute_url()).content.decode()
    editor.act()
    story.refresh_from_db()
    assert story.updated_at is not None and story.standfirst.startswith("Revised at")
    assert editor.actions == {"publish": 1, "update": 1}
    assert run.remove_bench_stories() == 1
    assert (Article.objects.count(), Version.objects.count()) == before
