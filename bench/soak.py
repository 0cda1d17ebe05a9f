"""make soak: readers under load while editors publish, with PostgreSQL restarted mid-run.

Serves the site with gunicorn (debug off, plain HTTP on loopback) on a PostgreSQL database of its
own (`newsroom_soak`, filled with the demo content on first use) and the Redis page cache when
Redis answers. For SOAK_SECONDS (60) reader threads request the public pages as fast as the
server answers them while, in this process, an editor takes stories through the workflow:
create, submit, publish, update, unpublish, and schedule for tomorrow. Every story's headline
carries a token (`soak` and ten hex digits), so a leak is a token in a response whose request
began and ended while that story was not public.

Right after each transition the editor reads the page as a reader would: a published or updated
story must show on its page and on the home page at once, an unpublished one must answer 404.

A third of the way in, PostgreSQL is stopped for five seconds and started again (pg_ctlcluster;
this restarts the machine's PostgreSQL, so run it where nothing else needs the database). Pages
that need the database must answer 503 meanwhile, never 500, and everything must recover by
itself; the editor retries what the outage interrupted, and at the end the database must hold
every transition the editor completed.

Prints the figures and exits non-zero when there was a 500, a leak, a stale page, a lost
transition, or no recovery.
"""

import http.client
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.run import RESULTS, start_gunicorn, stop_server  # noqa: E402

PORT = int(os.environ.get("SOAK_PORT", "8098"))
SECONDS = int(os.environ.get("SOAK_SECONDS", "60"))
READERS = int(os.environ.get("SOAK_READERS", "8"))
WORKERS = int(os.environ.get("SOAK_WORKERS", "4"))
OUTAGE_AT, OUTAGE_SECONDS = SECONDS / 3, 5.0
RESTART_POSTGRES = os.environ.get("SOAK_RESTART_POSTGRES", "1") == "1"
# Which page a simulated reader opens next: chance, not a secret.
CHANCE = random.Random()  # noqa: S311
TOKEN = re.compile(r"soak[0-9a-f]{10}")
ENV = {
    "DJANGO_DEBUG": "0",
    "NEWSROOM_HTTPS": "0",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "NEWSROOM_SITE_URL": f"http://127.0.0.1:{PORT}",
    # Errors only (the 503s of the outage among them), into the server log.
    "DJANGO_LOG_LEVEL": "ERROR",
}


@dataclass
class Story:
    """A soak story and the times it was public: from the start of the publish call to the end of
    the unpublish call (conservative: a reader is never blamed for a race with the editor)."""

    token: str
    pk: int
    url: str = ""
    public: list[list[float]] = field(default_factory=list)
    standfirst: str = ""
    expected_actions: list[str] = field(default_factory=list)

    def public_during(self, start: float, end: float) -> bool:
        return any(begin <= end and (until is None or until >= start) for begin, until in self.public)

    @property
    def is_public(self) -> bool:
        return bool(self.public) and self.public[-1][1] is None


class Tally:
    """What the readers saw, shared by every thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = Counter()
        self.by_page = Counter()
        self.latencies: list[tuple[float, float]] = []  # (start, seconds)
        self.leaks: list[str] = []
        self.stale: list[str] = []
        self.errors: list[str] = []
        self.last_503 = 0.0
        self.first_503 = None


class Soak:
    def __init__(self):
        from django.contrib.auth import get_user_model

        from authors.models import Author

        self.stories: dict[str, Story] = {}
        self.stories_lock = threading.Lock()
        self.tally = Tally()
        self.stop = threading.Event()
        self.started = time.monotonic()
        self.outage: tuple[float, float] | None = None
        self.postgres_back = None
        self.editor = get_user_model().objects.get(username="editor")
        self.writer = get_user_model().objects.get(username="writer")
        self.author = Author.objects.filter(user=self.writer).first() or Author.objects.filter(active=True).first()
        self.transitions = Counter()
        self.retries = 0
        self.after_outage = 0
        self.number = 0

    def now(self) -> float:
        return time.monotonic() - self.started

    # Readers ---------------------------------------------------------------------------------

    def reader_urls(self) -> list[str]:
        with self.stories_lock:
            known = [story.url for story in self.stories.values() if story.url]
        urls = ["/", "/tags/soak/", f"/authors/{self.author.slug}/", "/search/?q=soak", "/feed/", "/news-sitemap.xml"]
        urls += ["/ninjs/", "/tags/", "/search/?" + urllib.parse.urlencode({"q": "harbour ferry"})]
        return urls + CHANCE.sample(known, min(len(known), 4))

    def read(self, connection: http.client.HTTPConnection, url: str) -> tuple[int, str, float, float]:
        start = self.now()
        connection.request("GET", url, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        return response.status, body, start, self.now()

    def reader(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        tally = self.tally
        while not self.stop.is_set():
            url = CHANCE.choice(self.reader_urls())
            try:
                status, body, start, end = self.read(connection, url)
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                with tally.lock:
                    tally.errors.append(f"{url}: {error!r}")
                continue
            found = set(TOKEN.findall(body.lower()))
            with self.stories_lock:
                leaked = [t for t in found if t in self.stories and not self.stories[t].public_during(start, end)]
                story = next((s for s in self.stories.values() if s.url == url), None)
                missing = story is not None and status == 404 and self.public_throughout(story, start, end)
            with tally.lock:
                tally.statuses[status] += 1
                tally.by_page[(url if url.count("/") < 5 else "article", status)] += 1
                tally.latencies.append((start, end - start))
                tally.leaks += [f"{t} in {url} ({status}) at {start:.2f}-{end:.2f} s" for t in leaked]
                if missing:
                    tally.stale.append(f"{url} answered 404 while its story was public, at {start:.2f} s")
                if status == 503:
                    tally.first_503 = tally.first_503 or start
                    tally.last_503 = max(tally.last_503, end)

    @staticmethod
    def public_throughout(story: Story, start: float, end: float) -> bool:
        return any(begin <= start and (until is None or until >= end) for begin, until in story.public)

    # The editor ------------------------------------------------------------------------------

    def retrying(self, step, *args, **kwargs):
        """Run one workflow step, retrying while the database is out of reach; nothing is skipped."""
        from django.db import InterfaceError, OperationalError, close_old_connections, connection

        while True:
            try:
                return step(*args, **kwargs)
            except (OperationalError, InterfaceError):
                self.retries += 1
                connection.close()
                time.sleep(0.5)
                close_old_connections()

    def check_page(self, story: Story, *, visible: bool) -> None:
        """Read the story as a reader would, right after its transition."""
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        try:
            for _ in range(40):
                status, body, start, _ = self.read(connection, story.url)
                if status != 503:
                    break
                time.sleep(0.25)  # the database is down: a clean 503, try again
            home_status, home, *_ = self.read(connection, "/")
        finally:
            connection.close()
        wanted = 200 if visible else 404
        if status != wanted:
            self.tally.stale.append(f"{story.token}: {story.url} answered {status}, not {wanted}, after the transition")
        if visible and story.standfirst and story.standfirst not in body:
            self.tally.stale.append(f"{story.token}: the page did not show the update at {start:.2f} s")
        if home_status == 200 and (story.token in home) != visible:
            self.tally.stale.append(f"{story.token}: the home page {'lacked' if visible else 'still showed'} it")

    def create(self, *, by) -> Story:
        from articles.models import Article, Byline

        self.number += 1
        token = "soak" + secrets.token_hex(5)
        article = Article.objects.create(
            headline=f"Soak {token} harbour ferry timetable changes {self.number}",
            standfirst="Night crossings return to the timetable.",
            body="<p>The harbour ferry adds night crossings from Monday, the operator said.</p>",
            dateline_place="Harbourtown",
            created_by=by,
            edited_by=by,
        )
        Byline.objects.create(article=article, author=self.author, position=0)
        article.tags.set(["soak", "Transport"])
        story = Story(token=token, pk=article.pk)
        with self.stories_lock:
            self.stories[token] = story
        return story

    def article(self, story: Story):
        from articles.models import Article

        return Article.objects.get(pk=story.pk)

    def transition(self, story: Story, action: str, call) -> None:
        """One workflow transition, retried through an outage; if the first attempt committed before
        the connection dropped, the retry finds the story already moved and is not repeated."""
        from articles.workflow import WorkflowError

        try:
            self.retrying(lambda: call(self.article(story)))
        except WorkflowError:
            if not self.retrying(lambda: self.already_done(story, action)):
                raise
        story.expected_actions.append(action)
        self.transitions[action] += 1
        if self.outage:
            self.after_outage += 1

    def already_done(self, story: Story, action: str) -> bool:
        from articles.models import ArticleTransition

        last = ArticleTransition.objects.filter(article_id=story.pk).order_by("-pk").first()
        return last is not None and last.action == action and len(story.expected_actions) < self.log_count(story)

    @staticmethod
    def log_count(story: Story) -> int:
        from articles.models import ArticleTransition

        return ArticleTransition.objects.filter(article_id=story.pk).count()

    def publish(self, story: Story) -> None:
        from articles import workflow

        with self.stories_lock:
            story.public.append([self.now(), None])
        self.transition(story, "publish", lambda article: workflow.publish(article, user=self.editor))
        story.url = self.retrying(lambda: self.article(story).get_absolute_url())
        self.check_page(story, visible=True)

    def unpublish(self, story: Story) -> None:
        from articles import workflow

        self.transition(
            story, "unpublish", lambda article: workflow.unpublish(article, user=self.editor, comment="Soak test")
        )
        with self.stories_lock:
            story.public[-1][1] = self.now()
        self.check_page(story, visible=False)

    def update(self, story: Story) -> None:
        from articles import workflow

        def change(article):
            article.standfirst = f"Timetable revised at {self.now():.1f} s."
            article.save()
            return workflow.record_update(article, user=self.editor, substantive=True, comment="New times")

        self.transition(story, "update", change)
        story.standfirst = self.retrying(lambda: self.article(story).standfirst)
        self.check_page(story, visible=True)

    def editor_thread(self) -> None:
        try:
            self.editor_loop()
        except Exception as error:
            self.tally.errors.append(f"the editor stopped: {error!r}")
            raise

    def editor_loop(self) -> None:
        from django.utils import timezone

        from articles import workflow

        live: list[Story] = []
        while not self.stop.is_set():
            writer_story = self.retrying(self.create, by=self.writer)
            self.transition(writer_story, "submit", lambda a: workflow.submit(a, user=self.writer))
            self.publish(writer_story)
            live.append(writer_story)
            if self.number % 3 == 0:
                self.update(CHANCE.choice(live))
            if len(live) > 8:
                self.unpublish(live.pop(0))
            if self.number % 5 == 0:
                # Stories that must never show: a draft, and one scheduled for tomorrow.
                self.retrying(self.create, by=self.editor)
                tomorrow = self.retrying(self.create, by=self.editor)
                at = timezone.now() + timedelta(days=1)
                self.transition(tomorrow, "schedule", lambda a, at=at: workflow.publish(a, user=self.editor, at=at))
            time.sleep(0.2)

    # The outage ------------------------------------------------------------------------------

    def restart_postgres(self) -> None:
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]
        began = self.now()
        subprocess.run([*command, "stop", "-m", "fast"], check=True)  # noqa: S603 - fixed command
        self.down_at = self.now()
        time.sleep(OUTAGE_SECONDS)
        self.starting_at = self.now()
        subprocess.run([*command, "start"], check=True)  # noqa: S603 - fixed command
        self.outage = (began, self.now())

    def outage_thread(self) -> None:
        if self.stop.wait(OUTAGE_AT):
            return
        print(f"  {self.now():5.1f} s  stopping PostgreSQL for {OUTAGE_SECONDS:.0f} s")
        self.restart_postgres()
        print(f"  {self.now():5.1f} s  PostgreSQL is back")

    # The run ---------------------------------------------------------------------------------

    def run(self) -> int:
        threads = [threading.Thread(target=self.reader, daemon=True) for _ in range(READERS)]
        editor = threading.Thread(target=self.editor_thread, daemon=True)
        outage = threading.Thread(target=self.outage_thread, daemon=True)
        for thread in [*threads, editor] + ([outage] if RESTART_POSTGRES else []):
            thread.start()
        time.sleep(SECONDS)
        self.stop.set()
        outage.join() if RESTART_POSTGRES else None
        editor.join(timeout=120)
        for thread in threads:
            thread.join(timeout=30)
        return self.report()

    def lost(self) -> list[str]:
        """Transitions the editor completed that the database does not hold."""
        from articles.models import Article, ArticleTransition

        problems = []
        actions = {"submit": "submit", "publish": "publish", "unpublish": "unpublish", "schedule": "schedule"}
        for story in self.stories.values():
            logged = list(
                ArticleTransition.objects.filter(article_id=story.pk).order_by("pk").values_list("action", flat=True)
            )
            expected = [actions[a] for a in story.expected_actions if a in actions]
            if [a for a in logged if a in actions.values()] != expected:
                problems.append(f"{story.token}: expected {expected}, the log holds {logged}")
            article = Article.objects.get(pk=story.pk)
            if story.is_public != article.is_live:
                problems.append(f"{story.token}: expected {'live' if story.is_public else 'hidden'}")
            if story.standfirst and story.is_public and article.standfirst != story.standfirst:
                problems.append(f"{story.token}: the last update is missing")
        return problems

    def report(self) -> int:
        from django.db import connection

        connection.close()  # this thread's connection did not survive the restart
        tally = self.tally
        lost = self.lost()
        total = sum(tally.statuses.values())
        server_errors = sum(n for status, n in tally.statuses.items() if status >= 500 and status != 503)
        latencies = sorted(seconds for _, seconds in tally.latencies)
        outside = sorted(
            seconds
            for start, seconds in tally.latencies
            if not self.outage or not (self.outage[0] - 1 <= start <= self.outage[1] + 5)
        )
        recovered_after = None
        if self.outage:
            recovered_after = max(tally.last_503 - self.outage[1], 0.0) if tally.first_503 else 0.0
        print()
        print(f"Soak: {SECONDS} s, {READERS} reader threads, {WORKERS} gunicorn workers")
        print(f"  requests            {total} ({total / SECONDS:.0f}/s)")
        print(f"  statuses            {dict(sorted(tally.statuses.items()))}")
        print(f"  500s and other 5xx  {server_errors}")
        print(f"  503s                {tally.statuses[503]}", end="")
        if self.outage:
            first = f"{tally.first_503:.1f}" if tally.first_503 else "-"
            print(f" from {first} s to {tally.last_503:.1f} s")
            print(
                f"  PostgreSQL          stopping at {self.outage[0]:.1f} s, stopped at {self.down_at:.1f} s, "
                f"starting at {self.starting_at:.1f} s, started at {self.outage[1]:.1f} s; "
                f"503s for {recovered_after:.1f} s after that"
            )
        else:
            print(" (no PostgreSQL restart: SOAK_RESTART_POSTGRES=0)")
        print(f"  connection errors   {len(tally.errors)}")
        print(f"  latency             p50 {statistics.median(latencies) * 1000:.0f} ms, ", end="")
        print(f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.0f} ms, worst {latencies[-1] * 1000:.0f} ms", end="")
        print(f" (worst away from the outage {outside[-1] * 1000:.0f} ms)" if outside else "")
        print(f"  editor transitions  {dict(self.transitions)} ({self.retries} retries through the outage,", end="")
        print(f" {self.after_outage} after it)")
        print(f"  leaks found         {len(tally.leaks)}")
        print(f"  stale after change  {len(tally.stale)}")
        print(f"  lost transitions    {len(lost)}")
        for line in (tally.leaks + tally.stale + lost + tally.errors)[:20]:
            print("    " + line)
        failed = server_errors or tally.leaks or tally.stale or lost or tally.errors
        if self.outage and recovered_after is not None and recovered_after > 15:
            print("  FAILED: still answering 503 15 s after PostgreSQL was back")
            failed = True
        if self.outage and not self.after_outage:
            print("  FAILED: the editor could not work after PostgreSQL was back")
            failed = True
        if self.outage and not tally.first_503:
            print("  note: no reader request needed the database during the outage")
        print("  " + ("FAILED" if failed else "passed: no 500s, no leaks, no stale pages, nothing lost"))
        return 1 if failed else 0


def create_database(url: str) -> None:
    """Create the soak database on first use."""
    import psycopg

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    if not url.startswith("postgres") or not name:
        return
    server = urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def prepare() -> None:
    """Django in this process (the editor), on the soak database, with the demo content."""
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_soak")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")
    create_database(os.environ["DATABASE_URL"])
    if not redis_answers(os.environ["REDIS_URL"]):
        del os.environ["REDIS_URL"]
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("make soak needs PostgreSQL: set DATABASE_URL to a PostgreSQL database")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("load_demo", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    print(f"Page cache: {'on (Redis)' if settings.PAGE_CACHE else 'off (set REDIS_URL to soak it too)'}")


def main() -> int:
    prepare()
    RESULTS.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS / f"soak-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.log"
    with log_path.open("w") as log:
        server = start_gunicorn(PORT, WORKERS, ENV, probe="/", log=log)
        try:
            print(f"Serving on 127.0.0.1:{PORT}; soaking for {SECONDS} s; server log in {log_path.relative_to(ROOT)}")
            return Soak().run()
        finally:
            stop_server(server)


if __name__ == "__main__":
    sys.exit(main())
