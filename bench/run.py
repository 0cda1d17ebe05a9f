"""make bench: serve the site as in production and measure it with wrk, against Django's own ceiling.

Run by `make bench` with the virtualenv's Python, against the database DATABASE_URL names
(PostgreSQL, filled by `make bench-data`). It serves the site with gunicorn (debug off, plain
HTTP on loopback), measures a hello-world view behind the same middleware (the ceiling) and
each page, first with the page cache off and then on, and prints one table of requests/s,
p50, p99, SQL queries per request, response size and the ratio to the ceiling of the same run.
The same figures go to bench/results/<time>.json. Everything ends within about ten minutes.
"""

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PORT = int(os.environ.get("BENCH_PORT", "8099"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
WARMUP_SECONDS = 2
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1))))
SEARCH = os.environ.get("BENCH_SEARCH", "budget election")
TARGETS = {"article": 0.30, "home": 0.20, "tag page 1": 0.20, "author": 0.20}
CACHED_TARGET = 0.80

BASE_ENV = {
    "DJANGO_DEBUG": "0",
    "NEWSROOM_HTTPS": "0",
    "NEWSROOM_BENCH": "1",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "NEWSROOM_SITE_URL": f"http://127.0.0.1:{PORT}",
    "DJANGO_LOG_LEVEL": "ERROR",
}


def setup_django(page_cache: bool) -> None:
    os.environ.update(BASE_ENV, NEWSROOM_PAGE_CACHE="1" if page_cache else "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def pages() -> dict[str, str]:
    """The URLs to measure, found in the data: the largest tag, a busy author, page 500 of the tag."""
    from django.db.models import Count
    from taggit.models import Tag

    from articles.models import Article, Byline
    from public.pagination import Cursor

    published = Article.objects.published()
    tag = (
        Tag.objects.filter(articles_taggedarticle_items__content_object__in=published)
        .annotate(n=Count("articles_taggedarticle_items"))
        .order_by("-n")
        .first()
    )
    in_tag = published.filter(tagged_items__tag=tag).order_by("-published_at", "-pk")
    # Page 500 starts after the 9,980th story: follow "Older" 499 times and you are here.
    before_500 = in_tag[499 * 20 - 1 : 499 * 20].get()
    author = (
        Byline.objects.filter(article__in=published).values("author__slug").annotate(n=Count("id")).order_by("-n")[0]
    )
    article = published.order_by("-published_at")[100]
    return {
        "ceiling": "/_bench/ceiling/",
        "home": "/",
        "article": article.get_absolute_url(),
        "tag page 1": f"/tags/{tag.slug}/",
        "tag page 500": f"/tags/{tag.slug}/?before={Cursor.of(before_500)}",
        "author": f"/authors/{author['author__slug']}/",
        "search": "/search/?" + urllib.parse.urlencode({"q": SEARCH}),
        "RSS feed": "/feed/",
        "sitemap": "/sitemap.xml",
    }


def queries_and_sizes(urls: dict[str, str], page_cache: bool) -> dict[str, tuple[int, int]]:
    """SQL queries and bytes of each page, measured in this process (a second request, when cached)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    figures = {}
    with override_settings(PAGE_CACHE=page_cache):
        client = Client()
        for name, url in urls.items():
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{name} answered {response.status_code} at {url}")
            figures[name] = (len(queries), len(response.content))
    return figures


def start_server(page_cache: bool) -> subprocess.Popen:
    env = {**BASE_ENV, "NEWSROOM_PAGE_CACHE": "1" if page_cache else "0"}
    return start_gunicorn(PORT, WORKERS, env, probe="/_bench/ceiling/")


def start_gunicorn(port: int, workers: int, env: dict, *, probe: str, log=None) -> subprocess.Popen:
    """gunicorn serving the site on loopback, once `probe` answers (also used by `make soak`)."""
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "newsroom.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
    ]
    env = {**os.environ, **env}
    server = subprocess.Popen(  # noqa: S603 - our fixed command
        command, cwd=ROOT, env=env, start_new_session=True, stdout=log, stderr=log
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit("gunicorn did not start")


def worker_peak_memory_mb(server: subprocess.Popen) -> float:
    """The largest peak resident memory (VmHWM) among the workers."""
    peaks = []
    for child in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split():
        status = Path(f"/proc/{child}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
    return max(peaks)


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, seconds: int) -> dict:
    out = subprocess.run(  # noqa: S603 - fixed arguments, our own URL
        # wrk is looked up on PATH like any installed tool.
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{PORT}{url}"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * UNITS[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: .*", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(0) if socket_errors else "",
    }


def measure(urls: dict[str, str], page_cache: bool) -> tuple[dict, float]:
    server = start_server(page_cache)
    try:
        for url in urls.values():
            wrk(url, WARMUP_SECONDS)
        results = {name: wrk(url, SECONDS) for name, url in urls.items()}
        # The ceiling again at the end: the machine's load drifts, the ratio uses the mean of both.
        again = wrk(urls["ceiling"], SECONDS)
        results["ceiling"]["rps"] = (results["ceiling"]["rps"] + again["rps"]) / 2
        memory = worker_peak_memory_mb(server)
    finally:
        stop_server(server)
    return results, memory


def collect_static() -> None:
    """Debug is off, as in production: pages need the hashed static files and their manifest."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, **BASE_ENV},
        check=True,
    )


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk); make bench installs it.")
    collect_static()
    setup_django(page_cache=False)
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        print(f"Note: measuring on {connection.vendor}; the figures in the README are on PostgreSQL.")
    if not os.environ.get("REDIS_URL"):
        print("Note: REDIS_URL is not set; the page cache uses the database cache.")
    started = time.monotonic()
    urls = pages()
    report = {"started": datetime.now(UTC).isoformat(timespec="seconds"), "workers": WORKERS, "connections": CONNECTIONS,
              "seconds": SECONDS, "database": connection.vendor, "cache": settings.CACHES["pages"]["BACKEND"], "urls": urls, "modes": {}}  # fmt: skip
    for mode, cached in (("uncached", False), ("page cache", True)):
        figures = queries_and_sizes(urls, page_cache=cached)
        results, memory = measure(urls, page_cache=cached)
        ceiling = results["ceiling"]["rps"]
        rows = {}
        for name in urls:
            queries, size = figures[name]
            rows[name] = {**results[name], "queries": queries, "bytes": size, "ratio": results[name]["rps"] / ceiling}
        report["modes"][mode] = {"rows": rows, "peak_worker_mb": memory}
    report["elapsed_s"] = round(time.monotonic() - started)
    report["targets"] = check_targets(report)
    print_table(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(report, indent=2))
    print(f"\nWritten to {path.relative_to(ROOT)}")


def check_targets(report: dict) -> list[dict]:
    uncached, cached = report["modes"]["uncached"]["rows"], report["modes"]["page cache"]["rows"]
    checks = [
        {"target": f"uncached {name} >= {limit:.2f}", "value": round(uncached[name]["ratio"], 2), "holds": uncached[name]["ratio"] >= limit}
        for name, limit in TARGETS.items()
    ]  # fmt: skip
    worst = min((row["ratio"], name) for name, row in cached.items() if name != "ceiling")
    checks.append(
        {
            "target": f"page cache, every page >= {CACHED_TARGET:.2f}",
            "value": f"{worst[0]:.2f} ({worst[1]})",
            "holds": worst[0] >= CACHED_TARGET,
        }
    )
    deep = uncached["tag page 500"]["rps"] and uncached["tag page 1"]["rps"] / uncached["tag page 500"]["rps"]
    checks.append({"target": "tag page 500 within 2x of page 1", "value": f"{deep:.2f}x", "holds": deep <= 2})
    memory = max(mode["peak_worker_mb"] for mode in report["modes"].values())
    checks.append({"target": "peak memory per worker < 150 MB", "value": f"{memory:.0f} MB", "holds": memory < 150})
    return checks


def print_table(report: dict) -> None:
    print(f"\n{report['workers']} gunicorn sync workers, wrk -t2 -c{report['connections']} -d{report['seconds']}s, "
          f"{report['database']}, page cache in {report['cache'].rsplit('.', 1)[-1]}")  # fmt: skip
    header = (
        f"{'page':<14} {'mode':<11} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'queries':>7} {'bytes':>7} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    for mode, data in report["modes"].items():
        for name, row in data["rows"].items():
            flag = " ERR" if row["errors"] else ""
            print(f"{name:<14} {mode:<11} {row['rps']:>8.0f} {row['p50_ms']:>7.2f} {row['p99_ms']:>7.2f} "
                  f"{row['queries']:>7} {row['bytes']:>7} {row['ratio']:>6.2f}{flag}")  # fmt: skip
    print()
    for check in report["targets"]:
        print(f"{'holds' if check['holds'] else 'MISSED':<7} {check['target']}: {check['value']}")
    print(f"\n({report['elapsed_s']} s)")


if __name__ == "__main__":
    main()
