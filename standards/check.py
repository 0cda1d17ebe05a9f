"""make standards: every kind of public page against the Nu HTML Checker, axe-core and Lighthouse.

Run by `make standards` after `make demo-setup`, with the virtualenv's Python. It installs the
tools this folder's package.json pins (vnu-jar, lighthouse, axe-core) with `npm ci` into
.cache/standards/ (git-ignored; once, and again when the lock file changes), serves the demo
with gunicorn as `make demo` does (debug off, plain HTTP on loopback, the settings in .env) on
$STANDARDS_PORT (8096), and checks one page of each kind, found in the demo's data (most from
the seed story):

- the Nu HTML Checker (vnu.jar, on the machine's Java): errors and warnings in the served HTML,
  and in the stylesheets of static/css/;
- axe-core, injected with Playwright into Debian's Chromium: its default rules and WCAG 2.2's
  target size, in light and in dark `prefers-color-scheme` (the CSS has a dark palette, so
  contrast is checked in both), each on a desktop's and on a phone's width;
- Lighthouse (mobile, its default): performance, accessibility, best practices and SEO.

Prints one table and what failed, and exits non-zero on any Nu error, any axe violation, or
accessibility, best practices or SEO under 100. Performance is printed but gated only under
STANDARDS_MIN_PERFORMANCE (90): its timings are simulated from a trace taken on whatever else
the machine is doing, and they wobble by a few points from run to run on a busy two-core box
(a page with no script at all shows 100 ms of "blocking time" when the load is high).
Audits a page fails by design (BY_DESIGN: the 404 page's status and noindex, the search page's
noindex) are skipped on that page only and named under the table.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "standards"
CACHE = ROOT / ".cache" / "standards"
MODULES = CACHE / "node_modules"
VNU = MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE = MODULES / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
PORT = int(os.environ.get("STANDARDS_PORT", "8096"))
BASE = f"http://127.0.0.1:{PORT}"
MIN_PERFORMANCE = int(os.environ.get("STANDARDS_MIN_PERFORMANCE", "90"))
VIEWPORTS = [(1280, 900), (390, 844)]  # a desktop, a phone
AXE_RUN = """axe.run({rules: {"target-size": {enabled: true}}})
    .then(r => r.violations.map(v => [v.id, v.impact, v.nodes.map(n => n.target.join(" "))]))"""
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# Lighthouse audits a page fails by design, skipped there and listed under the table: a 404 page
# answers 404 (which the console notes as an error) with noindex; search results carry noindex,
# as search engines ask of a site's own result pages.
BY_DESIGN = {
    "404": ["http-status-code", "is-crawlable", "errors-in-console"],
    "search": ["is-crawlable"],
}


@dataclass
class Result:
    name: str
    path: str
    stylesheet: Path | None = None  # checked by the Nu checker only
    nu_errors: list[str] = field(default_factory=list)
    nu_warnings: list[str] = field(default_factory=list)
    axe: dict[str, list[str]] = field(default_factory=dict)
    scores: dict[str, int | None] = field(default_factory=dict)
    lighthouse_failures: list[str] = field(default_factory=list)
    skipped_audits: list[str] = field(default_factory=list)


def install_tools() -> None:
    """npm ci into the cache, when what is there was not installed from this lock file."""
    lock = (TOOLS / "package-lock.json").read_bytes()
    installed = CACHE / "installed-lock.json"
    if installed.is_file() and installed.read_bytes() == lock and VNU.is_file() and AXE.is_file():
        return
    for tool in ("npm", "java"):
        if not shutil.which(tool):
            sys.exit(f"make standards needs {tool} (Debian: apt-get install npm default-jre-headless)")
    CACHE.mkdir(parents=True, exist_ok=True)
    shutil.copy(TOOLS / "package.json", CACHE / "package.json")
    shutil.copy(TOOLS / "package-lock.json", CACHE / "package-lock.json")
    print("Installing vnu-jar, lighthouse and axe-core into .cache/standards/ (npm ci)", flush=True)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=CACHE, check=True)  # noqa: S607
    installed.write_bytes(lock)


def demo_environment() -> dict[str, str]:
    from dotenv import dotenv_values

    env_file = ROOT / ".env"
    if not env_file.is_file():
        sys.exit("No .env: run `make demo-setup` first (make standards does).")
    settings = {key: value for key, value in dotenv_values(env_file).items() if value is not None}
    return {**os.environ, **settings, "NEWSROOM_SITE_URL": BASE, "DJANGO_LOG_LEVEL": "ERROR"}


def pages() -> list[tuple[str, str]]:
    """One page of each kind, found from the seed story: its page, section, subsection, topic, author."""
    os.environ.update(demo_environment())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.urls import reverse

    from articles.models import Article
    from demo.content import DATA, _seed_story
    from public.pagination import PER_PAGE, Cursor

    seed_story = _seed_story()
    seed = (
        Article.objects.published()
        .select_related("section__parent")
        .prefetch_related("bylines__author", "tags", "also_in")
        .get(headline=seed_story["headline"])
    )
    subsection = seed.also_in.filter(parent__isnull=False).first() or seed.section
    # /latest/'s "Older stories" link starts its second page after the last story of the first.
    last_of_page_one = Article.objects.published().order_by("-published_at", "-pk")[PER_PAGE - 1 : PER_PAGE]
    pictured = Article.objects.published().filter(lead_image__isnull=False).order_by("-published_at").first()
    word = seed.headline.split()[-1]
    # The demo story with one of every body block (an inline picture, a gallery, a pull quote, a
    # fact box, a table and a video embed).
    blocks = next(
        entry for entry in json.loads((DATA / "stories.json").read_text())["stories"] if "body_pictures" in entry
    )
    every_block = Article.objects.published().get(headline=blocks["headline"])
    return [
        ("home", reverse("articles:home")),
        ("article (seed)", seed.get_absolute_url()),
        *([("article (picture)", pictured.get_absolute_url())] if pictured and pictured != seed else []),
        ("article (every block)", every_block.get_absolute_url()),
        ("section", seed.section.get_absolute_url()),
        ("subsection", subsection.get_absolute_url()),
        ("tag", reverse("articles:tag", kwargs={"slug": seed.tags.all()[0].slug})),
        ("author", seed.byline_authors[0].get_absolute_url()),
        ("tags index", reverse("articles:tags")),
        ("authors index", reverse("articles:authors")),
        ("latest", reverse("articles:latest")),
        *[("latest, page 2", f"{reverse('articles:latest')}?before={Cursor.of(last)}") for last in last_of_page_one],
        ("search", reverse("articles:search") + "?" + urllib.parse.urlencode({"q": word})),
        ("about", reverse("articles:about")),
        ("404", "/no-such-page/"),
    ]


def serve() -> subprocess.Popen:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            sys.exit(
                f"Something already listens on port {PORT}: stop it or set STANDARDS_PORT (make standards STANDARDS_PORT=8095)."
            )
    server = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "newsroom.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2"],
        cwd=ROOT,
        env=demo_environment(),
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(BASE + "/", timeout=2).close()  # noqa: S310 - our own loopback server
            return server
        except OSError:
            if server.poll() is not None:
                sys.exit("gunicorn did not start")
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not answer in 20 s")


def fetch(path: str) -> bytes:
    try:
        with urllib.request.urlopen(BASE + path, timeout=30) as response:  # noqa: S310 - loopback
            return response.read()
    except urllib.error.HTTPError as error:  # the 404 page is a page too
        return error.read()


def check_html(results: list[Result], folder: Path) -> None:
    """The Nu HTML Checker, once over every page and stylesheet (one Java start)."""
    files = {}
    for number, result in enumerate(results):
        file = result.stylesheet or folder / f"{number:02d}.html"
        if not result.stylesheet:
            file.write_bytes(fetch(result.path))
        files[str(file)] = result
    run = subprocess.run(  # noqa: S603
        ["java", "-jar", str(VNU), "--format", "json", "--stdout", "--exit-zero-always", "--also-check-css", *files],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    for message in json.loads(run.stdout)["messages"]:
        result = files[urllib.parse.unquote(urllib.parse.urlparse(message["url"]).path)]
        where = f"line {message.get('lastLine', '?')}: {message['message']}"
        if message["type"] == "error" or message.get("subType") == "fatal":
            result.nu_errors.append(where)
        elif message.get("subType") == "warning":
            result.nu_warnings.append(where)


def check_axe(results: list[Result]) -> None:
    """axe-core's default rules (WCAG 2.x A and AA, and its best practices) and WCAG 2.2's target
    size (off by default), light and dark, on a desktop's and on a phone's width."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for scheme in ("light", "dark"):
            for result in results:
                result.axe[scheme] = []
            for width, height in VIEWPORTS:
                # bypass_csp: our CSP (rightly) refuses the injected script.
                viewport = {"width": width, "height": height}
                context = browser.new_context(color_scheme=scheme, bypass_csp=True, viewport=viewport)
                page = context.new_page()
                for result in results:
                    page.goto(BASE + result.path)
                    page.add_script_tag(path=str(AXE))
                    found = page.evaluate(AXE_RUN)
                    result.axe[scheme] += [
                        f"{rule} ({impact}, {width} px wide): {', '.join(targets[:3])}"
                        for rule, impact, targets in found
                    ]
                context.close()
        browser.close()


def check_lighthouse(result: Result, folder: Path) -> None:
    report = folder / "lighthouse.json"
    command = [
        str(LIGHTHOUSE),
        BASE + result.path,
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--quiet",
    ]
    if result.name in BY_DESIGN:
        result.skipped_audits = BY_DESIGN[result.name]
        command += ["--ignore-status-code", f"--skip-audits={','.join(result.skipped_audits)}"]
    subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, check=False, capture_output=True)  # noqa: S603
    if not report.is_file():
        result.lighthouse_failures.append("Lighthouse wrote no report")
        return
    data = json.loads(report.read_text())
    report.unlink()
    if data.get("runtimeError"):
        result.lighthouse_failures.append(data["runtimeError"]["message"])
    for name in CATEGORIES:
        category = data["categories"][name]
        result.scores[name] = None if category["score"] is None else round(category["score"] * 100)
        for ref in category["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                shown = audit.get("displayValue") or ""
                result.lighthouse_failures.append(f"{name}: {ref['id']} {audit['score']:.2f} {shown}".rstrip())


def failures(result: Result) -> list[str]:
    found = [f"Nu error, {error}" for error in result.nu_errors]
    if result.stylesheet:
        return found
    found += [f"axe ({scheme}) {violation}" for scheme, violations in result.axe.items() for violation in violations]
    for name in CATEGORIES:
        score = result.scores.get(name)
        floor = MIN_PERFORMANCE if name == "performance" else 100
        if score is None or score < floor:
            found.append(f"Lighthouse {name} {score} (needs {floor})")
    return found


def table(results: list[Result]) -> str:
    header = ["page", "path", "Nu err", "Nu warn", "axe light", "axe dark", "perf", "a11y", "best pr.", "SEO"]
    rows = [header]
    for result in results:
        scores = [str(result.scores.get(name, "-")) for name in CATEGORIES]
        axe = [str(len(result.axe[scheme])) if scheme in result.axe else "-" for scheme in ("light", "dark")]
        nu = [str(len(result.nu_errors)), str(len(result.nu_warnings))]
        rows.append([result.name, result.path[:48], *nu, *axe, *scores])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def main() -> int:
    install_tools()
    results = [Result(name, path) for name, path in pages()]
    stylesheets = [
        Result(css.name, f"/static/css/{css.name}", css) for css in sorted((ROOT / "static" / "css").glob("*.css"))
    ]
    server = serve()
    try:
        with tempfile.TemporaryDirectory(prefix="standards-") as folder:
            print("Nu HTML Checker...", flush=True)
            check_html(results + stylesheets, Path(folder))
            print("axe-core, light and dark...", flush=True)
            check_axe(results)
            for result in results:
                print(f"Lighthouse {result.path}...", flush=True)
                check_lighthouse(result, Path(folder))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print()
    results += stylesheets
    print(table(results))
    print()
    for result in results:
        if result.skipped_audits:
            print(f"{result.name}: Lighthouse audits skipped, failed by design: {', '.join(result.skipped_audits)}")
        for warning in result.nu_warnings:
            print(f"{result.name}: Nu warning, {warning}")
        for failure in result.lighthouse_failures:
            print(f"{result.name}: Lighthouse under 1: {failure}")
    failed = {result.name: failures(result) for result in results if failures(result)}
    for name, found in failed.items():
        for failure in found:
            print(f"FAIL {name}: {failure}")
    pages_checked = len(results) - len(stylesheets)
    print(f"\n{'FAILED' if failed else 'PASSED'}: {pages_checked} pages and {len(stylesheets)} stylesheet(s);", end=" ")
    print(f"Lighthouse performance gated at {MIN_PERFORMANCE}, its other categories at 100.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
