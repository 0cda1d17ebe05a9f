"""Browser tests: Playwright driving Debian's Chromium (never `playwright install`)."""

import contextlib
import os
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.factories import STAFF_PASSWORD, log_in
from tests.services import skip_or_fail

CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.access(CHROMIUM, os.X_OK):
        skip_or_fail(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def desk(live_server, browser):
    """`desk(username)`: a fresh browser window logged in at the desk (accounts from
    tests.factories.make_staff). What the CSP refused, other than the style attributes the
    editor's libraries set (harmless), is kept in page.blocked."""
    windows = []

    def open_as(username: str, width: int = 1280, height: int = 1000):
        context = browser.new_context(viewport={"width": width, "height": height})
        windows.append(context)
        page = context.new_page()
        page.blocked = []

        def blocked(message) -> None:
            if "Content Security Policy" in message.text and "style" not in message.text:
                page.blocked.append(message.text)

        page.on("console", blocked)
        log_in(page, live_server.url, username, STAFF_PASSWORD)
        return page

    yield open_as
    for context in windows:
        for page in context.pages:
            # Its last heartbeat and its leaving beacon reach the server before the database is
            # emptied; a page still asking "leave this page?" is left as it is.
            with contextlib.suppress(PlaywrightError):
                page.goto("about:blank")
            page.wait_for_timeout(300)
        context.close()
