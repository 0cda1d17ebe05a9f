"""make bench: the desk's pages at the bench database's size, as an editor sees them.

Each page is requested through Django's test client with a logged-in editor (the same code path
as a browser, without the network), once to warm up and then BENCH_DESK_RUNS times; the table
gives the median and the slowest time, the SQL queries and the response size. Target: 150 ms for
the list, its filters, the dashboard and search; 100 ms for the change form. bench/run.py runs it
and puts its figures in the same report; `python bench/desk.py` runs it alone.
"""

import os
import secrets
import statistics
import sys
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_DESK_RUNS", "5"))
TARGET_MS = {"change form": 100}
DEFAULT_TARGET_MS = 150


def setup_django() -> None:
    # As in production (debug off), with the test client's host allowed; nothing is served.
    os.environ.update(
        DJANGO_DEBUG="0",
        NEWSROOM_HTTPS="0",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_LOG_LEVEL="ERROR",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)  # the pages link hashed files


def pages() -> dict[str, str]:
    from django.db.models import Count
    from taggit.models import Tag

    from articles.models import Article
    from authors.models import Author

    tag = Tag.objects.annotate(uses=Count("articles_taggedarticle_items")).order_by("-uses").first()
    author = Author.objects.annotate(uses=Count("bylines")).order_by("-uses").first()
    story = Article.objects.published().order_by("-published_at").first()
    month = story.published_at.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    since = urllib.parse.urlencode(
        {"published_at__gte": str(month), "published_at__lt": str(month + timedelta(days=32))}
    )
    base = "/admin/articles/article/"
    return {
        "dashboard": "/admin/",
        "list": base,
        "list, in review": f"{base}?state=in_review",
        "list, live": f"{base}?state=live",
        "list, by author": f"{base}?author={author.pk}",
        "list, by tag": f"{base}?tag={tag.pk}",
        "list, one month": f"{base}?{since}",
        "search, common word": f"{base}?q=people",
        "search, rare word": f"{base}?q=glacier",
        "change form": f"{base}{story.pk}/change/",
    }


def bench_editor():
    """The editor the benchmark logs in as (and, in bench/run.py's busy-desk mode, publishes as)."""
    from django.contrib.auth.models import Group, User

    editor, _ = User.objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
    editor.groups.add(Group.objects.get(name="Editors"))
    return editor


def measure() -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(bench_editor())
    rows = []
    for name, url in pages().items():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {url} answered {response.status_code}")
        times = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
        target = TARGET_MS.get(name, DEFAULT_TARGET_MS)
        rows.append(
            {
                "page": name,
                "median_ms": statistics.median(times),
                "worst_ms": max(times),
                "queries": len(queries),
                "kb": len(response.content) / 1024,
                "target_ms": target,
            }
        )
    return rows


def print_table(rows: list[dict], stories: int) -> None:
    print(f"\nThe desk with {stories:,} stories (editor, test client, {RUNS} runs each)")
    print(f"{'page':<22}{'median ms':>10}{'worst ms':>10}{'queries':>9}{'KB':>8}  target")
    for row in rows:
        met = "holds" if row["median_ms"] <= row["target_ms"] else "MISSED"
        print(
            f"{row['page']:<22}{row['median_ms']:>10.0f}{row['worst_ms']:>10.0f}{row['queries']:>9}"
            f"{row['kb']:>8.0f}  ≤ {row['target_ms']} ms: {met}"
        )


def main() -> None:
    """The desk alone (`make bench` runs it within bench/run.py)."""
    setup_django()
    from articles.models import Article

    print_table(measure(), Article.objects.count())


if __name__ == "__main__":
    main()
