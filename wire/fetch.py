"""Fetching a wire package's picture over HTTP(S), only from the hosts the deployment lists.

A rendition's href is an address chosen by whoever wrote the package, so (#14):
- Only http and https, only hosts named in NEWSROOM_WIRE_FETCH_HOSTS (empty: nothing is fetched).
- The name is resolved once and every address is checked: private, loopback, link-local,
  multicast, reserved and unspecified addresses are refused, so a listed name whose DNS points
  inside our network reaches nothing. We connect to the address we checked (no second lookup),
  sending the name as the Host header and, for HTTPS, as SNI and for the certificate check.
- No redirects are followed (a 3xx is a refusal naming where it pointed), the whole exchange
  has one deadline (FETCH_SECONDS), and the body is cut at `max_bytes`.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urlsplit

from django.conf import settings

FETCH_SECONDS = 10
CHUNK = 64 * 1024


class Unavailable(Exception):
    """A file a package names that we cannot have; the message says why, for the desk."""


def allowed_hosts() -> set[str]:
    return {host.lower().rstrip(".") for host in settings.WIRE_FETCH_HOSTS}


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local or ip.is_loopback)


def resolve(host: str, port: int) -> str:
    """The one address to connect to: the first the name resolves to, if every one is public."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Unavailable(f"the name {host} could not be resolved ({error})") from None
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not addresses:
        raise Unavailable(f"the name {host} has no address")
    # A test-only switch: the fetch tests' server listens on loopback.
    if not settings.WIRE_FETCH_ALLOW_PRIVATE:
        for address in addresses:
            if not _public(address):
                raise Unavailable(f"{host} resolves to {address}, a private or reserved address: refused")
    return addresses[0]


class _Pinned:
    """Connects to the checked address; http.client still sends `host` in the Host header."""

    address: str
    timeout: float
    held: socket.socket  # the response keeps reading from it after http.client lets go of it

    def _socket(self) -> socket.socket:
        return socket.create_connection((self.address, self.port), timeout=self.timeout)


class _PinnedHTTP(_Pinned, http.client.HTTPConnection):
    def connect(self) -> None:
        self.sock = self.held = self._socket()


class _PinnedHTTPS(_Pinned, http.client.HTTPSConnection):
    def connect(self) -> None:
        self.sock = self.held = self._context.wrap_socket(self._socket(), server_hostname=self.host)


def fetch(url: str, *, max_bytes: int) -> bytes:
    """The body of `url`, or Unavailable saying why not."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise Unavailable(f"{url[:100]} is not a usable address ({error})") from None
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme not in ("http", "https") or not host:
        raise Unavailable(f"only http and https addresses are fetched, not {url[:100]}")
    if host not in allowed_hosts():
        raise Unavailable(f"{host} is not among the hosts we fetch from (NEWSROOM_WIRE_FETCH_HOSTS)")
    deadline = time.monotonic() + FETCH_SECONDS
    address = resolve(host, port)
    kind = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    options = {"context": ssl.create_default_context()} if parts.scheme == "https" else {}
    connection = kind(host, port, timeout=FETCH_SECONDS, **options)
    connection.address = address
    path = parts.path or "/"
    try:
        connection.request("GET", f"{path}?{parts.query}" if parts.query else path, headers={"Accept": "image/*"})
        response = connection.getresponse()
        if 300 <= response.status < 400:
            raise Unavailable(
                f"{host} answered with a redirect to {response.getheader('Location', '?')[:100]}: not followed"
            )
        if response.status != 200:
            raise Unavailable(f"{host} answered {response.status} {response.reason}")
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise Unavailable(f"it is larger than {max_bytes // 1_000_000} MB")
        body = bytearray()
        while not response.isclosed():  # it closes itself at the end of the declared length
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Unavailable(f"{host} took longer than {FETCH_SECONDS} seconds")
            connection.held.settimeout(remaining)
            chunk = response.read1(min(CHUNK, max_bytes + 1 - len(body)))  # one recv: the deadline holds
            if not chunk:
                break
            body += chunk
            if len(body) > max_bytes:
                raise Unavailable(f"it is larger than {max_bytes // 1_000_000} MB")
        return bytes(body)
    except TimeoutError:
        raise Unavailable(f"{host} took longer than {FETCH_SECONDS} seconds") from None
    except (OSError, http.client.HTTPException) as error:
        raise Unavailable(f"{host} could not be fetched from ({error.__class__.__name__}: {error})") from None
    finally:
        connection.close()
