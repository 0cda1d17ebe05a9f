"""Embeds in a real browser: a page with a video, a chart, a post and a link, rendered by the embed
macro, with our stylesheet, embeds.js and the site's Content-Security-Policy, served on loopback.
Every request off loopback is refused and counted: none until the reader presses a button, then
only the provider's player. The placeholder, the player and the cards pass axe, light and dark, at
a phone's and a desktop's width; without JavaScript and in print the provider's link stands in.
Screenshots go to tmp_path, to look at a failure."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from csp.utils import build_policy
from django.contrib.staticfiles import finders
from django.template import engines
from markupsafe import Markup

from newsroom.lib.embeds import provider_for

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_RUN = """axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    rules: {"target-size": {enabled: true}},
}).then(r => r.violations.map(v => ({id: v.id, help: v.help, targets: v.nodes.map(n => n.target.join(" "))})))"""
DESKTOP, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}
LOOPBACK = {"127.0.0.1", "localhost"}
VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
CHART = "https://www.datawrapper.de/_/Ab3xY/"
PARAGRAPH = "<p>The river rose through the night, and by morning the walls had held along the whole front.</p>"
PAGE = """<!doctype html>
{% from "includes/embed.html" import embed %}
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Flood defences hold</title>
  <link rel="stylesheet" href="{{ static('css/site.css') }}">
</head>
<body>
  <main id="main" class="wrap">
    <article class="story">
      <h1 class="story__headline">Flood defences hold</h1>
      <div class="story__body">
        {{ paragraph }}
        {% for block in blocks %}{{ embed(block) }}{{ paragraph * 6 }}{% endfor %}
      </div>
    </article>
  </main>
</body>
</html>"""


def block(url: str, text: str) -> SimpleNamespace:
    return SimpleNamespace(provider=provider_for(url), url=url, text=text)


@pytest.fixture
def story_url():
    """The page, served by a small server on loopback with the site's CSP; /static/ from the finders."""
    blocks = [
        block(VIDEO, "The mayor at the river wall"),
        block(CHART, "River level by hour"),
        block("https://x.com/newsroom/status/1790000000000000000", "The water is over the footbridge."),
        block("https://bsky.app/profile/newsroom.bsky.social/post/3kq2xyzabc22f", ""),
        block("https://example.org/flood-report", "The council's flood report"),
    ]
    paragraph = Markup(PARAGRAPH)  # noqa: S704 - our own fixed text
    html = engines["jinja2"].from_string(PAGE).render({"blocks": blocks, "paragraph": paragraph}).encode()
    policy = build_policy()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            path = urlsplit(self.path).path
            if path == "/story/":
                body, kind = html, "text/html; charset=utf-8"
            elif path == "/axe.min.js":
                body, kind = AXE.read_bytes(), "text/javascript"
            elif path.startswith("/static/") and (found := finders.find(path.removeprefix("/static/"))):
                body = Path(found).read_bytes()
                kind = "text/css" if path.endswith(".css") else "text/javascript"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Security-Policy", policy)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/story/"
    server.shutdown()
    server.server_close()


def guarded(context) -> list[str]:
    """Route every request: loopback passes; anything else is refused and its host counted."""
    off_loopback: list[str] = []

    def route(route):
        host = urlsplit(route.request.url).hostname
        if host in LOOPBACK:
            route.continue_()
        else:
            off_loopback.append(host)
            route.abort()

    context.route("**/*", route)
    return off_loopback


def refused_by_csp(page) -> list[str]:
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    return refused


def axe_violations(page) -> list[str]:
    page.add_script_tag(url="/axe.min.js")  # same origin: the CSP lets it run, unlike an inline script
    return [f"{v['id']} ({v['help']}): {', '.join(v['targets'])}" for v in page.evaluate(AXE_RUN)]


def wait_for(found: list, count: int, page) -> None:
    deadline = time.monotonic() + 10
    while len(found) < count and time.monotonic() < deadline:
        page.wait_for_timeout(100)


def test_nothing_is_requested_off_loopback_until_the_reader_asks_then_only_the_player(story_url, browser, tmp_path):
    context = browser.new_context(viewport=DESKTOP)
    off_loopback = guarded(context)
    page = context.new_page()
    refused = refused_by_csp(page)
    page.goto(story_url, wait_until="networkidle")
    video = page.locator("figure.embed--player").first
    button = video.get_by_role("button", name="Load the video")
    assert button.is_visible(), "embeds.js shows the button"
    page.mouse.wheel(0, 20_000)
    page.wait_for_timeout(500)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(500)
    page.screenshot(path=tmp_path / "embeds-1440.png", full_page=True)
    assert off_loopback == [], "nothing from a provider before the reader asks"
    assert page.locator("iframe").count() == 0

    button.click()
    wait_for(off_loopback, 1, page)
    page.wait_for_timeout(1000)  # anything else the click set off
    assert set(off_loopback) == {"www.youtube-nocookie.com"}, off_loopback
    frame = video.locator("iframe")
    assert frame.count() == 1, "embeds.js runs once, however many embeds emit its script element"
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert frame.get_attribute("sandbox") == "allow-scripts allow-same-origin allow-presentation allow-popups"
    assert frame.get_attribute("title") == "Video on YouTube: The mayor at the river wall"
    assert frame.get_attribute("referrerpolicy") == "strict-origin-when-cross-origin"
    assert frame.get_attribute("allow") == "fullscreen; picture-in-picture"
    assert page.evaluate("document.activeElement.tagName") == "IFRAME", "focus follows the reader to the player"
    box = frame.bounding_box()
    assert abs(box["width"] / box["height"] - 16 / 9) < 0.02, box
    assert page.locator("figure.embed--player").nth(1).locator("iframe").count() == 0, "only the one asked for"

    # By keyboard this time. (In headless Chromium a mouse click on the page was lost, no click event
    # reaching it, while the first, cross-origin frame held the focus.)
    page.get_by_role("button", name="Load the chart").focus()
    page.keyboard.press("Enter")
    wait_for(off_loopback, 2, page)
    page.wait_for_timeout(1000)
    assert set(off_loopback) == {"www.youtube-nocookie.com", "datawrapper.dwcdn.net"}, off_loopback
    chart = page.locator("figure.embed--player").nth(1).locator("iframe").bounding_box()
    assert chart["height"] > chart["width"] * 9 / 16, "a chart's box is taller than a video's"
    assert refused == [], "the CSP allows the players and refuses nothing of ours"
    page.screenshot(path=tmp_path / "embeds-loaded-1440.png", full_page=True)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1440", "390"])
def test_the_placeholder_the_player_and_the_cards_pass_axe(story_url, browser, tmp_path, scheme, viewport):
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    guarded(context)
    page = context.new_page()
    page.goto(story_url, wait_until="networkidle")
    page.screenshot(path=tmp_path / f"embeds-{scheme}-{viewport['width']}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], "nothing overflows"
    assert axe_violations(page) == []
    for button in page.locator(".embed__load").all():
        assert button.bounding_box()["height"] >= 24, "WCAG 2.2 target size"
    page.locator(".embed__load").first.click()
    page.locator("iframe").wait_for(state="attached")
    assert axe_violations(page) == [], "the player has its title"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_without_javascript_the_providers_link_stands_in_for_the_button(story_url, browser, tmp_path):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    off_loopback = guarded(context)
    page = context.new_page()
    page.goto(story_url, wait_until="networkidle")
    page.screenshot(path=tmp_path / "embeds-no-script-390.png", full_page=True)
    video = page.locator("figure.embed--player").first
    assert not video.locator("button").is_visible()
    link = video.get_by_role("link", name="Open the video on YouTube")
    assert link.is_visible() and link.get_attribute("href") == VIDEO
    assert off_loopback == []


def test_print_shows_the_providers_link_not_the_button_nor_the_player(story_url, browser, tmp_path):
    context = browser.new_context(viewport={"width": 800, "height": 1100})
    guarded(context)
    page = context.new_page()
    page.goto(story_url, wait_until="networkidle")
    page.locator(".embed__load").first.click()  # printed after the player was loaded
    page.emulate_media(media="print")
    page.screenshot(path=tmp_path / "embeds-print.png", full_page=True)
    video = page.locator("figure.embed--player").first
    assert video.locator("iframe").is_hidden() and video.locator("button").is_hidden()
    assert video.locator(".embed__notice").is_hidden(), "no 'loads content' note on paper"
    link = video.locator(".embed__link")
    assert link.is_visible()
    assert page.eval_on_selector(".embed__link", "el => getComputedStyle(el, '::after').content") == f'" {VIDEO}"'
    chart = page.locator("figure.embed--player").nth(1)
    assert chart.locator("button").is_hidden()
    assert chart.locator(".embed__placeholder").bounding_box()["height"] < 100, "no empty box on paper"
