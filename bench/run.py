"""make bench: serve the site as in production and measure it with wrk, against two ceilings.

Run by `make bench` with the virtualenv's Python, against the database DATABASE_URL names
(PostgreSQL, filled by `make bench-data`). It serves the site with gunicorn (debug off, plain
HTTP on loopback) and, on the next port with as many workers, a bare Django project
(bench/bare_settings.py: one hello-world view, no middleware). Two ceilings are measured at the
start and the end of each server's round: our own (a hello-world view behind our middleware) and
the bare one, so every ratio is given to both; the bare one compares with other projects' figures.

The modes:
- uncached: the page cache off, each page asked for again and again (rendered fragments warm);
- fresh: the page cache off and every request a different story or listing, on a server started
  for the round (its fragment caches empty), so nothing our caches hold helps;
- page cache: the full-page cache on, as in production, each page again and again;
- busy desk: the same, while an editor publishes a new story or updates a live one through the
  workflow every BENCH_DESK_INTERVAL (5) seconds; each page is measured right after its page
  cache figure and given as a fraction of it. The editor's stories are deleted afterwards.
Then the desk's pages with a logged-in editor (bench/desk.py). One table, the targets (each
"holds" or "MISSED" with its figure), and bench/results/<time>.json with all of it. About seven
minutes with the default BENCH_SECONDS=8.
"""

import json
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
FRESH_SCRIPT = ROOT / "bench" / "fresh.lua"
PORT = int(os.environ.get("BENCH_PORT", "8099"))
BARE_PORT = PORT + 1
HELLO = {PORT: "/_bench/ceiling/", BARE_PORT: "/"}  # each server's hello world
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
WARMUP_SECONDS = 2
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
THREADS = 2
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1))))
SEARCH = os.environ.get("BENCH_SEARCH", "budget election")
EDITOR_INTERVAL = float(os.environ.get("BENCH_DESK_INTERVAL", "5"))
# Distinct paths for the fresh mode: more than a round serves, so none is asked for twice.
FRESH_ARTICLES = 20_000
FRESH_HOME_PAGES = 3_000
FRESH_WARMUP = 200
LISTINGS = ["home", "latest", "tag page 1", "tag page 500", "author"]
BENCH_STORY = "urn:newsroom:bench-desk:"

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
    from django.urls import reverse
    from django.utils import timezone

    from articles.models import Article, Byline
    from public.pagination import Cursor

    published = Article.objects.published()
    tag = largest_tag()
    in_tag = published.filter(tagged_items__tag=tag).order_by("-published_at", "-pk")
    # Page 500 starts after the 9,980th story: follow "Older" 499 times and you are here.
    before_500 = in_tag[499 * 20 - 1 : 499 * 20].get()
    author = (
        Byline.objects.filter(article__in=published).values("author__slug").annotate(n=Count("id")).order_by("-n")[0]
    )
    article = published.order_by("-published_at")[100]
    month = timezone.localtime(published.order_by("-published_at")[5_000].published_at)
    return {
        "home": "/",  # the curated front (generate_newsroom arranges eight blocks)
        "latest": reverse("articles:latest"),  # the plain listing the home was before its front
        "article": article.get_absolute_url(),
        "tag page 1": f"/tags/{tag.slug}/",
        "tag page 500": f"/tags/{tag.slug}/?before={Cursor.of(before_500)}",
        "author": f"/authors/{author['author__slug']}/",
        "search": "/search/?" + urllib.parse.urlencode({"q": SEARCH}),
        "RSS feed": "/feed/",
        "sitemap": "/sitemap.xml",
        # A month of stories, as the sitemap index lists them (not the newest month).
        "sitemap section": reverse("sitemap-section", kwargs={"section": f"articles-{month:%Y-%m}"}),
    }


def largest_tag():
    from django.db.models import Count
    from taggit.models import Tag

    from articles.models import Article

    return (
        Tag.objects.filter(articles_taggedarticle_items__content_object__in=Article.objects.published())
        .annotate(n=Count("articles_taggedarticle_items"))
        .order_by("-n")
        .first()
    )


def fresh_paths() -> dict[str, list[str]]:
    """Distinct paths for the fresh mode, in a fixed shuffled order: live stories from all over the
    archive; and listings: every public tag and author page and pages of /latest/ deep in the archive
    (at least 20 stories apart, so no two show the same story)."""
    from django.urls import reverse

    from articles.models import Article, public_authors, public_tags
    from public.pagination import PER_PAGE, Cursor

    chance = random.Random(15)  # noqa: S311 - a fixed order, not a secret
    stories = list(Article.objects.published().only("slug", "published_at").order_by("-published_at", "-pk"))
    articles = [story.get_absolute_url() for story in chance.sample(stories, min(FRESH_ARTICLES, len(stories)))]
    deep = stories[PER_PAGE - 1 :: PER_PAGE][1:]
    latest = reverse("articles:latest")
    home = [f"{latest}?before={Cursor.of(story)}" for story in chance.sample(deep, min(FRESH_HOME_PAGES, len(deep)))]
    tags = [reverse("articles:tag", kwargs={"slug": slug}) for slug in public_tags().values_list("slug", flat=True)]
    authors = [author.get_absolute_url() for author in public_authors().only("slug")]
    listings = home + tags + authors
    chance.shuffle(listings)
    return {"article": articles, "listing": listings}


def queries_and_sizes(urls: dict[str, str], page_cache: bool, *, repeat: bool = True) -> dict[str, tuple[int, int]]:
    """SQL queries and bytes of each page, measured in this process: of a second request when
    `repeat` (what a steady reader costs), else of the first (what a fresh one costs)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    figures = {}
    with override_settings(PAGE_CACHE=page_cache):
        client = Client()
        for name, url in urls.items():
            if repeat:
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


def start_bare_server() -> subprocess.Popen:
    """The bare Django project (bench/bare_settings.py), with as many workers as the site."""
    env = {"DJANGO_SETTINGS_MODULE": "bench.bare_settings"}
    return start_gunicorn(BARE_PORT, WORKERS, env, probe="/", app="django.core.wsgi:get_wsgi_application()")


def start_gunicorn(
    port: int, workers: int, env: dict, *, probe: str, log=None, app: str = "newsroom.wsgi"
) -> subprocess.Popen:
    """gunicorn serving `app` on loopback, once `probe` answers (also used by `make soak`)."""
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        app,
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


def wrk(url: str, seconds: int, *, port: int = PORT, paths: Path | None = None) -> dict:
    """wrk on one URL, or (with `paths`) on every path of that file in turn (bench/fresh.lua)."""
    script = ["-s", str(FRESH_SCRIPT)] if paths else []
    arguments = ["--", str(paths), str(THREADS)] if paths else []
    out = subprocess.run(  # noqa: S603 - fixed arguments, our own URL
        # wrk is looked up on PATH like any installed tool.
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "30s", "--latency", *script,  # noqa: S607
         f"http://127.0.0.1:{port}{url}", *arguments],
        capture_output=True,
        text=True,
        check=True,
    ).stdout  # fmt: skip
    drain(port)

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * UNITS[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: .*", out)
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(0) if socket_errors else "",
    }
    if paths:
        result["repeated_paths"] = int(re.search(r"Threads that ran out of paths: (\d+)", out).group(1)) > 0
    return result


def drain(port: int) -> None:
    """Wait for the requests wrk left queued when it stopped: a slow page leaves seconds of them,
    which the next measurement would otherwise wait through. One request per worker, at once:
    each is answered once the queue ahead of it is."""

    def ask() -> None:
        urllib.request.urlopen(f"http://127.0.0.1:{port}{HELLO[port]}", timeout=120).read()

    askers = [threading.Thread(target=ask) for _ in range(WORKERS)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()


STARTED = time.monotonic()


def progress(what: str) -> None:
    print(f"{time.monotonic() - STARTED:5.0f} s  {what}", flush=True)


class Ceilings:
    """Both hello worlds, measured together at the start and the end of each server's round: ours
    (behind our middleware: the ratio to it is what our pages add) and the bare one (the ratio to
    it compares with other projects' figures). Each ratio uses the mean of its measurements."""

    def __init__(self):
        self.runs: dict[str, dict[str, list[dict]]] = {"ours": {}, "bare": {}}

    def measure(self, mode: str) -> None:
        self.runs["ours"].setdefault(mode, []).append(wrk(HELLO[PORT], SECONDS))
        self.runs["bare"].setdefault(mode, []).append(wrk(HELLO[BARE_PORT], SECONDS, port=BARE_PORT))

    def row(self, which: str, mode: str) -> dict:
        """The round's mean, with the latencies of its last measurement."""
        runs = self.runs[which][mode]
        return {**runs[-1], "rps": sum(run["rps"] for run in runs) / len(runs)}

    def ours(self, mode: str) -> float:
        return self.row("ours", mode)["rps"]

    @property
    def bare(self) -> float:
        runs = [run["rps"] for mode_runs in self.runs["bare"].values() for run in mode_runs]
        return sum(runs) / len(runs)


class Editor(threading.Thread):
    """An editor at the desk: while `busy` is set, publishes a new story (by turns) or updates one
    it published, through the workflow, every EDITOR_INTERVAL seconds. Its stories carry
    BENCH_STORY in their source uri, on the busiest author and the largest tag, so the home,
    author and tag pages change."""

    def __init__(self, user, author, tag, section):
        super().__init__(daemon=True)
        self.user, self.author, self.tag, self.section = user, author, tag, section
        self.busy, self.stopping = threading.Event(), threading.Event()
        self.acting = threading.Lock()
        self.published: list[int] = []
        self.actions = Counter()
        self.error: Exception | None = None

    def run(self) -> None:
        from django.db import connection

        try:
            while not self.stopping.is_set():
                if not self.busy.wait(timeout=0.1):
                    continue
                with self.acting:
                    if self.busy.is_set():
                        self.act()
                due = time.monotonic() + EDITOR_INTERVAL
                while self.busy.is_set() and not self.stopping.is_set() and time.monotonic() < due:
                    time.sleep(0.05)
        except Exception as error:
            self.error = error  # reported by the main thread, which stops measuring
            raise
        finally:
            connection.close()

    def act(self) -> None:
        from articles import workflow
        from articles.models import Article, Byline

        if len(self.published) <= self.actions["update"]:
            number = len(self.published) + 1
            story = Article.objects.create(
                headline=f"Desk bench story {number}: council agrees harbour budget",
                standfirst="The vote came late at night.",
                body="<p>The council agreed the harbour budget after a long debate, members said.</p>",
                dateline_place="Harbourtown",
                created_by=self.user,
                edited_by=self.user,
                source_uri=f"{BENCH_STORY}{secrets.token_hex(8)}",
                section=self.section,
            )
            Byline.objects.create(article=story, author=self.author, position=0)
            story.tags.set([self.tag])
            workflow.publish(story, user=self.user)
            self.published.append(story.pk)
            self.actions["publish"] += 1
        else:
            story = Article.objects.get(pk=self.published[self.actions["update"] % len(self.published)])
            story.standfirst = f"Revised at {datetime.now(UTC):%H:%M:%S}: the vote came late at night."
            story.save()
            workflow.record_update(story, user=self.user, substantive=True, comment="New details")
            self.actions["update"] += 1

    def pause(self) -> None:
        """Stop acting, once any action under way has committed."""
        self.busy.clear()
        with self.acting:
            pass


def remove_bench_stories() -> int:
    """Delete the busy-desk editor's stories (of this run or one that was interrupted), with their
    revisions, so the bench data stays as `make bench-data` wrote it."""
    from django.contrib.contenttypes.models import ContentType
    from reversion.models import Revision, Version

    from articles.models import Article

    stories = Article.objects.filter(source_uri__startswith=BENCH_STORY)
    ids = [str(pk) for pk in stories.values_list("pk", flat=True)]
    versions = Version.objects.filter(content_type=ContentType.objects.get_for_model(Article), object_id__in=ids)
    # Whole revisions: each holds the story with its bylines and tags, and nothing else.
    Revision.objects.filter(pk__in=versions.values("revision_id")).delete()
    stories.delete()
    return len(ids)


def rows_for(results: dict, figures: dict, ceiling: float, bare: float) -> dict:
    rows = {}
    for name, result in results.items():
        queries, size = figures[name]
        rows[name] = {**result, "queries": queries, "bytes": size,
                      "ratio": result["rps"] / ceiling, "ratio_bare": result["rps"] / bare}  # fmt: skip
    return rows


def uncached_round(urls: dict[str, str], fresh_files: dict[str, tuple[Path, Path]], ceilings: Ceilings) -> tuple:
    """The page cache off: the fresh paths first, while the server's fragment caches are empty,
    then each page again and again."""
    server = start_server(page_cache=False)
    try:
        progress("page cache off: the hello worlds")
        ceilings.measure("uncached")
        progress("fresh: every request a different page")
        # Warm the workers (templates, connections, prepared queries) on paths the round never asks for.
        for _, warmup in fresh_files.values():
            wrk("/", WARMUP_SECONDS, paths=warmup)
        fresh = {f"fresh {kind}": wrk("/", SECONDS, paths=paths) for kind, (paths, _) in fresh_files.items()}
        progress("page cache off: each page again and again")
        for url in urls.values():
            wrk(url, WARMUP_SECONDS)
        steady = {name: wrk(url, SECONDS) for name, url in urls.items()}
        progress("page cache off: the hello worlds again")
        ceilings.measure("uncached")
        memory = worker_peak_memory_mb(server)
    finally:
        stop_server(server)
    return steady, fresh, memory


def page_cache_round(urls: dict[str, str], editor: Editor, ceilings: Ceilings) -> tuple:
    """The page cache on: each page alone, then at once the same page with the editor at work."""
    server = start_server(page_cache=True)
    steady, busy = {}, {}
    try:
        progress("page cache on: the hello worlds")
        ceilings.measure("page cache")
        progress("page cache on: each page, then each page with the editor at work")
        for name, url in urls.items():
            wrk(url, WARMUP_SECONDS)
            steady[name] = wrk(url, SECONDS)
            editor.busy.set()
            busy[name] = wrk(url, SECONDS)
            editor.pause()
            if editor.error:
                raise SystemExit(f"The busy-desk editor stopped: {editor.error!r}")
        progress("page cache on: the hello worlds again")
        ceilings.measure("page cache")
        memory = worker_peak_memory_mb(server)
    finally:
        editor.pause()
        stop_server(server)
    return steady, busy, memory


def write_paths(directory: Path, name: str, paths: list[str]) -> Path:
    file = directory / f"{name}.txt"
    file.write_text("\n".join(paths) + "\n")
    return file


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

    from articles.models import Article, Section
    from bench import desk

    if connection.vendor != "postgresql":
        print(f"Note: measuring on {connection.vendor}; the figures in the README are on PostgreSQL.")
    if not os.environ.get("REDIS_URL"):
        print("Note: REDIS_URL is not set; the page cache uses the database cache.")
    started = time.monotonic()
    if removed := remove_bench_stories():
        print(f"Removed {removed} stories an interrupted run's editor left.")
    progress("finding the pages in the data")
    urls = pages()
    fresh = fresh_paths()
    report = {"started": datetime.now(UTC).isoformat(timespec="seconds"), "workers": WORKERS, "connections": CONNECTIONS,
              "seconds": SECONDS, "database": connection.vendor, "cache": settings.CACHES["pages"]["BACKEND"], "urls": urls,
              "fresh_paths": {kind: len(paths) - FRESH_WARMUP for kind, paths in fresh.items()},
              "editor_interval_s": EDITOR_INTERVAL, "modes": {}}  # fmt: skip
    ceilings = Ceilings()
    editor = Editor(desk.bench_editor(), busiest_author(), largest_tag(), Section.objects.order_by("position").first())
    editor.start()
    bare = start_bare_server()
    try:
        with tempfile.TemporaryDirectory() as directory:
            fresh_files = {
                kind: (write_paths(Path(directory), kind, paths[FRESH_WARMUP:]),
                       write_paths(Path(directory), f"{kind}-warmup", paths[:FRESH_WARMUP]))
                for kind, paths in fresh.items()
            }  # fmt: skip
            figures = queries_and_sizes(urls, page_cache=False)
            fresh_figures = queries_and_sizes(
                {f"fresh {kind}": paths[0] for kind, paths in fresh.items()}, page_cache=False, repeat=False
            )
            uncached, fresh_results, uncached_memory = uncached_round(urls, fresh_files, ceilings)
        cached_figures = queries_and_sizes(urls, page_cache=True)
        cached, busy, cached_memory = page_cache_round(urls, editor, ceilings)
    finally:
        editor.stopping.set()
        editor.join(timeout=30)
        stop_server(bare)
        remove_bench_stories()
    modes = report["modes"]
    hello = (0, len("Hello, world"))
    uncached = {"ceiling": ceilings.row("ours", "uncached"), "bare": ceilings.row("bare", "uncached"), **uncached}
    cached = {"ceiling": ceilings.row("ours", "page cache"), "bare": ceilings.row("bare", "page cache"), **cached}
    figures.update(ceiling=hello, bare=hello)
    cached_figures.update(ceiling=hello, bare=hello)
    modes["uncached"] = rows_for(uncached, figures, ceilings.ours("uncached"), ceilings.bare)
    modes["fresh"] = rows_for(fresh_results, fresh_figures, ceilings.ours("uncached"), ceilings.bare)
    modes["page cache"] = rows_for(cached, cached_figures, ceilings.ours("page cache"), ceilings.bare)
    modes["busy desk"] = rows_for(busy, cached_figures, ceilings.ours("page cache"), ceilings.bare)
    for name, row in modes["busy desk"].items():
        row["of_steady"] = row["rps"] / max(modes["page cache"][name]["rps"], 0.01)
    report["ceilings"] = {"runs": ceilings.runs, "bare_mean": ceilings.bare}
    report["editor_actions"] = dict(editor.actions)
    report["peak_worker_mb"] = {"uncached and fresh": uncached_memory, "page cache and busy desk": cached_memory}
    progress("the desk, logged in")
    report["desk"] = desk.measure()
    report["stories"] = Article.objects.count()
    report["elapsed_s"] = round(time.monotonic() - started)
    report["targets"] = check_targets(report)
    print_table(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(report, indent=2))
    print(f"\nWritten to {path.relative_to(ROOT)}")


def busiest_author():
    from django.db.models import Count

    from articles.models import Article
    from authors.models import Author

    return (
        Author.objects.filter(bylines__article__in=Article.objects.published())
        .annotate(n=Count("bylines"))
        .order_by("-n")
        .first()
    )


# Ratios to the bare ceiling: (what is measured, its mode and rows, the first bar, the goal).
BARE_TARGETS = [
    ("search, page cache off", "uncached", ["search"], 0.05, 0.10),
    ("RSS feed, page cache off", "uncached", ["RSS feed"], 0.05, 0.20),
    ("sitemap section, page cache off", "uncached", ["sitemap section"], 0.05, 0.20),
    ("fresh article", "fresh", ["fresh article"], 0.10, 0.15),
    ("fresh listing", "fresh", ["fresh listing"], 0.08, 0.15),
    ("steady article, page cache off", "uncached", ["article"], 0.35, 0.50),
    ("steady listings, page cache off (the slowest)", "uncached", LISTINGS, 0.25, 0.30),
]
BUSY_TARGET, BUSY_GOAL = 0.6, 0.8
CACHED_TARGET = 0.80
CURATED_TARGET = 0.80  # the curated home against the plain latest listing, page cache off
MEMORY_MB = 150


def check_targets(report: dict) -> list[dict]:
    modes = report["modes"]
    checks = []

    def check(target: str, value: float, holds: bool, shown: str, goal: bool | None = None) -> None:
        checks.append({"target": target, "value": round(value, 3), "shown": shown, "holds": holds, "goal_met": goal})

    for label, mode, names, bar, goal in BARE_TARGETS:
        ratio, name = min((modes[mode][name]["ratio_bare"], name) for name in names)
        shown = f"{ratio:.3f}" + (f" ({name})" if len(names) > 1 else "")
        check(f"{label} ≥ {bar:.2f} of bare [goal {goal:.2f}]", ratio, ratio >= bar, shown, ratio >= goal)
    for name, row in modes["fresh"].items():
        if row["repeated_paths"] or row["errors"]:
            check(f"{name}: every path once, all 200", 0, False, f"{row['errors']} errors, repeated: {row['repeated_paths']}")  # fmt: skip
    ratio, name = min((row["of_steady"], name) for name, row in modes["busy desk"].items())
    check(f"busy desk keeps ≥ {BUSY_TARGET:.1f} of the page cache's steady figure, every page [goal {BUSY_GOAL:.1f}]",
          ratio, ratio >= BUSY_TARGET, f"{ratio:.2f} ({name})", ratio >= BUSY_GOAL)  # fmt: skip
    slowest = max(report["desk"], key=lambda row: row["median_ms"] / row["target_ms"])
    missed = [row["page"] for row in report["desk"] if row["median_ms"] > row["target_ms"]]
    check("desk pages ≤ 150 ms median (change form ≤ 100 ms)", slowest["median_ms"], not missed,
          f"{slowest['median_ms']:.0f} ms ({slowest['page']})" + (f"; missed: {', '.join(missed)}" if missed else ""))  # fmt: skip
    memory = max(report["peak_worker_mb"].values())
    check(f"≤ {MEMORY_MB} MB per worker (peak)", memory, memory <= MEMORY_MB, f"{memory:.0f} MB")
    worst, name = min((row["ratio"], name) for name, row in modes["page cache"].items() if name in report["urls"])
    check(f"page cache, every page ≥ {CACHED_TARGET:.2f} of our ceiling", worst, worst >= CACHED_TARGET,
          f"{worst:.2f} ({name})")  # fmt: skip
    uncached = modes["uncached"]
    curated = uncached["home"]["rps"] / max(uncached["latest"]["rps"], 0.01)
    check(f"curated home ≥ {CURATED_TARGET:.1f} of /latest/, page cache off", curated, curated >= CURATED_TARGET,
          f"{curated:.2f}")  # fmt: skip
    deep = uncached["tag page 1"]["rps"] / max(uncached["tag page 500"]["rps"], 0.01)
    check("tag page 500 within 2× of page 1, page cache off", deep, deep <= 2, f"{deep:.2f}×")
    return checks


MODE_TITLES = {
    "uncached": "page cache off, each page again and again",
    "fresh": "fresh: page cache off, caches cold, every request a different page",
    "page cache": "page cache on (steady)",
    "busy desk": "busy desk: page cache on, an editor publishes or updates a story every {interval:g} s",
}


def print_table(report: dict) -> None:
    runs = report["ceilings"]["runs"]

    def each(which: str) -> str:
        return "; ".join(
            mode + " " + " and ".join(f"{run['rps']:.0f}" for run in measured) for mode, measured in runs[which].items()
        )

    print(f"\n{report['workers']} gunicorn sync workers, wrk -t{THREADS} -c{report['connections']} -d{report['seconds']}s, "
          f"{report['database']}, page cache in {report['cache'].rsplit('.', 1)[-1]}, {report['stories']:,} stories")  # fmt: skip
    print("Hello worlds at the start and end of each round, req/s:")
    print(f"  ceiling, behind our middleware: {each('ours')}")
    print(
        f"  bare Django, no middleware:     {each('bare')}; mean {report['ceilings']['bare_mean']:.0f}, used by every ÷ bare"
    )
    header = (
        f"{'page':<16} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>8} {'queries':>7} {'bytes':>8} {'÷ ours':>7} {'÷ bare':>7}"
    )
    for mode, rows in report["modes"].items():
        busy = mode == "busy desk"
        print(f"\n{MODE_TITLES[mode].format(interval=report['editor_interval_s'])}")
        print(header + ("  of steady" if busy else ""))
        print("-" * (len(header) + (11 if busy else 0)))
        for name, row in rows.items():
            flag = f"  {row['errors']} errors" if row["errors"] else ""
            flag += "  paths repeated" if row.get("repeated_paths") else ""
            steady = f" {row['of_steady']:>10.2f}" if busy else ""
            print(f"{name:<16} {row['rps']:>7.0f} {row['p50_ms']:>7.2f} {row['p99_ms']:>8.2f} {row['queries']:>7} "
                  f"{row['bytes']:>8} {row['ratio']:>7.3f} {row['ratio_bare']:>7.3f}{steady}{flag}")  # fmt: skip
    actions = report["editor_actions"]
    print(
        f"(the editor: {actions.get('publish', 0)} stories published, {actions.get('update', 0)} updates; deleted afterwards)"
    )
    from bench import desk

    desk.print_table(report["desk"], report["stories"])
    print()
    for check in report["targets"]:
        goal = "" if check["goal_met"] is None else ("  goal met" if check["goal_met"] else "")
        print(f"{'holds' if check['holds'] else 'MISSED':<7} {check['target']}: {check['shown']}{goal}")
    print(f"\n({report['elapsed_s']} s)")


if __name__ == "__main__":
    main()
