"""Security headers and failures that stay polite.

- The Content-Security-Policy (django-csp) allows only our own scripts, styles, fonts and
  images (and the media domain). Django's admin and our templates have no inline script; the
  one exception is the import map that the admin's rich-text editor needs (django-js-asset
  renders it inline, built from our static file names, never from user input): its hash is
  added to that response's policy.
- Login throttling (django-axes) counts failures per user name and client address; the address
  comes from `client_address`, which trusts X-Forwarded-For only behind the proxies we declare.
- When the database cannot be reached, readers get a 503 with Retry-After instead of a 500;
  persistent connections are health-checked (CONN_HEALTH_CHECKS), so service resumes by itself.
"""

import base64
import hashlib
import re
import sqlite3
import sys

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.db import InterfaceError, OperationalError

IMPORT_MAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.S)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        content_type = response.get("Content-Type", "")
        if request.path_info.startswith("/admin/") and content_type.startswith("text/html") and not response.streaming:
            hashes = [
                f"'sha256-{base64.b64encode(hashlib.sha256(found).digest()).decode()}'"
                for found in IMPORT_MAP.findall(response.content)
            ]
            if hashes:
                parts.update = {**(parts.update or {}), "script-src": hashes}
        return parts


# SQLSTATE classes of a database that is out of reach for now: connection exceptions (08),
# operator intervention such as a shutdown or restart (57P), insufficient resources (53).
UNAVAILABLE_SQLSTATES = ("08", "57P", "53")
# SQLite's temporary failures; anything else it reports (a missing table, say) is a bug: a 500.
SQLITE_UNAVAILABLE = ("database is locked", "unable to open database file", "disk i/o error")


def database_unavailable() -> bool:
    """Whether the exception being handled is the database being out of reach (a 503), as opposed
    to an error in the query or the schema (a 500)."""
    error = sys.exc_info()[1]
    if isinstance(error, InterfaceError):
        return True  # the connection is already gone
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if isinstance(cause, sqlite3.Error):
        return str(cause).lower().startswith(SQLITE_UNAVAILABLE)
    sqlstate = getattr(cause, "sqlstate", None)
    # psycopg gives no SQLSTATE when it cannot connect at all or the connection drops.
    return sqlstate is None or sqlstate.startswith(UNAVAILABLE_SQLSTATES)


def client_address(request) -> str:
    """The reader's own address. With NEWSROOM_PROXY_COUNT proxies in front, each appends the
    address it was reached from to X-Forwarded-For, so the client is that many entries from the
    right; anything further left was written by the client and is not believed. With no proxy
    declared, the header is ignored and the connection's address is used."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.PROXY_COUNT:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    return forwarded[-settings.PROXY_COUNT] if len(forwarded) >= settings.PROXY_COUNT else remote
