"""App servers for tests that need more than one process: gunicorn on the test database, and just
enough of a browser (cookies, CSRF tokens) to use the desk through them."""

import http.cookiejar
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def collected_static(folder: Path, env: dict) -> None:
    """The static files collected as a deployment's build step does (debug off needs the manifest)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env={**env, "NEWSROOM_STATIC_ROOT": str(folder)},
        check=True,
        timeout=120,
    )


def start_server(port: int, static_root: Path, **extra_env: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "NEWSROOM_PAGE_CACHE": "1",
        "DJANGO_DEBUG": "0",
        "NEWSROOM_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_LOG_LEVEL": "ERROR",
        "NEWSROOM_STATIC_ROOT": str(static_root),
        **extra_env,
    }
    if not (static_root / "staticfiles.json").exists():
        collected_static(static_root, env)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "newsroom.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError("the app server did not start")


class Browser:
    """Just enough of a browser for the admin: cookies and CSRF tokens."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> tuple[int, dict, str]:
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()

    def post(self, path: str, data: dict) -> str:
        token = next(cookie.value for cookie in self.cookies if cookie.name == settings.CSRF_COOKIE_NAME)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        with self.opener.open(urllib.request.Request(self.base + path, data=body), timeout=10) as response:
            return response.read().decode()


class FileServer:
    """A real HTTP server on loopback, in a thread, answering from `routes`: path → (status,
    headers, body), or a callable(handler) for a slow or endless answer. It records each
    request's path and Host header. For the wire fetcher's tests (#14)."""

    def __init__(self, routes: dict | None = None):
        import http.server
        import threading

        self.routes = dict(routes or {})
        self.requests: list[tuple[str, str]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, self.headers.get("Host", "")))
                route = server.routes.get(self.path.split("?", 1)[0])
                if callable(route):
                    route(self)
                    return
                status, headers, body = route or (404, {}, b"not here")
                self.send_response(status)
                for name, value in {"Content-Length": str(len(body)), **headers}.items():
                    if value is not None:
                        self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "FileServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
