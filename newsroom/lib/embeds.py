"""Embeds by URL: the providers we know, as data, and the one reading of a pasted address.

A story's body stores only a provider's key and the address the editor pasted
(<figure data-embed="youtube" data-url="…">, issue 19's contract). At view time a provider with
a plain iframe player (YouTube, Vimeo, Datawrapper, Flourish) gets a click-to-load placeholder,
then an iframe from its privacy-friendly host; the others (X, Instagram, Bluesky, Mastodon, and
any other address: "link") get a link card, because their official embeds are scripts.

Every address a page uses is built here from the ids parsed out of the pasted one, never from
its text; only a host named exactly below is a provider's (no look-alike host, no user@host; an
IDN host is read in its ASCII form, so a look-alike shows as xn--…). Which iframe providers are
live is the setting NEWSROOM_EMBED_PROVIDERS (a provider not in it falls back to a link card);
the CSP's frame-src is exactly their players' hosts (frame_hosts()).
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import SplitResult, parse_qs, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MAX_URL_LENGTH = 2_000
# Never in an address we keep: a backslash (browsers read it as "/", so "evil.example\@host" is
# two different hosts to us and to them), and what would end an attribute or a tag.
FORBIDDEN = re.compile(r"[\\<>\"`]")
HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
TOP_LEVEL = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")


@dataclass(frozen=True)
class Route:
    """An address a provider accepts: its path, the ids as named groups, the query parameters
    that must hold an id (YouTube's ?v=), each kept under the parameter's name, and the hosts it
    is on, when not all of the provider's."""

    path: re.Pattern
    query: dict[str, re.Pattern] = field(default_factory=dict)
    hosts: frozenset[str] | None = None


def route(path: str, hosts: frozenset[str] | None = None, **query: str) -> Route:
    return Route(re.compile(path), {name: re.compile(value) for name, value in query.items()}, hosts)


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    kind: str  # "iframe": a plain player, loaded when the reader asks; "card": a link card
    noun: str  # what it shows: "video", "chart", "post", "page"
    hosts: frozenset[str]  # the hosts of the addresses editors paste, exactly ("any" for Mastodon)
    routes: tuple[Route, ...]
    page: Callable[[dict], str]  # the address readers follow, for the ids
    player: Callable[[dict], str] | None = None  # the iframe's address, on the privacy host
    player_host: str = ""
    shape: str = "wide"  # the player's box: "wide" (16:9) or "tall" (charts)

    def ids(self, host: str, parts: SplitResult) -> dict[str, str] | None:
        if self.hosts != ANY_HOST and host not in self.hosts:
            return None
        query = parse_qs(parts.query, keep_blank_values=True)
        for accepted in self.routes:
            found = accepted.path.fullmatch(parts.path)
            if not found or (accepted.hosts is not None and host not in accepted.hosts):
                continue
            ids = {name: value for name, value in found.groupdict().items() if value is not None}
            for name, pattern in accepted.query.items():
                values = query.get(name, [])
                if len(values) != 1 or not pattern.fullmatch(values[0]):
                    break
                ids[name] = values[0]
            else:
                return ids
        return None


ANY_HOST = frozenset({"*"})
YOUTUBE_ID = r"[A-Za-z0-9_-]{11}"
YOUTUBE_HOSTS = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com"})


def _x_page(ids: dict) -> str:
    if "user" in ids:
        return f"https://x.com/{ids['user']}/status/{ids['id']}"
    return f"https://x.com/i/web/status/{ids['id']}"


def _vimeo_player(ids: dict) -> str:
    # An unlisted video plays only with its hash (?h=); dnt=1: Vimeo sets no tracking cookie.
    private = f"h={ids['h']}&" if "h" in ids else ""
    return f"https://player.vimeo.com/video/{ids['id']}?{private}dnt=1"


def _vimeo_page(ids: dict) -> str:
    return f"https://vimeo.com/{ids['id']}" + (f"/{ids['h']}" if "h" in ids else "")


PROVIDERS: tuple[Provider, ...] = (
    Provider(
        key="youtube",
        label="YouTube",
        kind="iframe",
        noun="video",
        hosts=YOUTUBE_HOSTS | {"youtu.be"},
        routes=(
            route(r"/watch/?", YOUTUBE_HOSTS, v=YOUTUBE_ID),
            route(rf"/(?:shorts|embed|live)/(?P<v>{YOUTUBE_ID})/?", YOUTUBE_HOSTS),
            route(rf"/(?P<v>{YOUTUBE_ID})/?", frozenset({"youtu.be"})),
        ),
        page=lambda ids: f"https://www.youtube.com/watch?v={ids['v']}",
        player=lambda ids: f"https://www.youtube-nocookie.com/embed/{ids['v']}",
        player_host="www.youtube-nocookie.com",
    ),
    Provider(
        key="vimeo",
        label="Vimeo",
        kind="iframe",
        noun="video",
        hosts=frozenset({"vimeo.com", "www.vimeo.com", "player.vimeo.com"}),
        routes=(
            route(
                r"/(?:channels/[A-Za-z0-9_-]{1,100}/)?(?P<id>[0-9]{1,12})(?:/(?P<h>[0-9a-f]{6,20}))?/?",
                frozenset({"vimeo.com", "www.vimeo.com"}),
            ),
            route(r"/video/(?P<id>[0-9]{1,12})/?", frozenset({"player.vimeo.com"}), h=r"[0-9a-f]{6,20}"),
            route(r"/video/(?P<id>[0-9]{1,12})/?", frozenset({"player.vimeo.com"})),
        ),
        page=_vimeo_page,
        player=_vimeo_player,
        player_host="player.vimeo.com",
    ),
    Provider(
        key="datawrapper",
        label="Datawrapper",
        kind="iframe",
        noun="chart",
        hosts=frozenset({"datawrapper.dwcdn.net", "www.datawrapper.de"}),
        routes=(
            route(r"/(?P<id>[A-Za-z0-9]{5})(?:/[0-9]{1,4})?/?", frozenset({"datawrapper.dwcdn.net"})),
            route(r"/_/(?P<id>[A-Za-z0-9]{5})/?", frozenset({"www.datawrapper.de"})),
        ),
        page=lambda ids: f"https://datawrapper.dwcdn.net/{ids['id']}/",
        player=lambda ids: f"https://datawrapper.dwcdn.net/{ids['id']}/",
        player_host="datawrapper.dwcdn.net",
        shape="tall",
    ),
    Provider(
        key="flourish",
        label="Flourish",
        kind="iframe",
        noun="chart",
        hosts=frozenset({"public.flourish.studio"}),
        routes=(route(r"/(?P<type>visualisation|story)/(?P<id>[0-9]{1,12})/?"),),
        page=lambda ids: f"https://public.flourish.studio/{ids['type']}/{ids['id']}/",
        player=lambda ids: f"https://flo.uri.sh/{ids['type']}/{ids['id']}/embed",
        player_host="flo.uri.sh",
        shape="tall",
    ),
    Provider(
        key="x",
        label="X",
        kind="card",
        noun="post",
        hosts=frozenset({"x.com", "www.x.com", "mobile.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"}),
        routes=(
            route(r"/i/web/status/(?P<id>[0-9]{1,20})/?"),
            route(r"/(?P<user>[A-Za-z0-9_]{1,15})/status(?:es)?/(?P<id>[0-9]{1,20})/?"),
        ),
        page=_x_page,
    ),
    Provider(
        key="instagram",
        label="Instagram",
        kind="card",
        noun="post",
        hosts=frozenset({"instagram.com", "www.instagram.com"}),
        routes=(route(r"/(?P<type>p|reel)/(?P<code>[A-Za-z0-9_-]{5,40})/?"),),
        page=lambda ids: f"https://www.instagram.com/{ids['type']}/{ids['code']}/",
    ),
    Provider(
        key="bluesky",
        label="Bluesky",
        kind="card",
        noun="post",
        hosts=frozenset({"bsky.app"}),
        routes=(
            route(
                r"/profile/(?P<actor>[A-Za-z0-9][A-Za-z0-9.-]{0,252}|did:(?:plc|web):[a-z0-9.:-]{1,200})"
                r"/post/(?P<post>[A-Za-z0-9._~-]{1,100})/?"
            ),
        ),
        page=lambda ids: f"https://bsky.app/profile/{ids['actor']}/post/{ids['post']}",
    ),
    # Any server: Mastodon has no one host. Last, so that a host another provider names is theirs.
    Provider(
        key="mastodon",
        label="Mastodon",
        kind="card",
        noun="post",
        hosts=ANY_HOST,
        routes=(route(r"/@(?P<user>[A-Za-z0-9_]{1,30}(?:@[a-z0-9.-]{1,253})?)/(?P<id>[0-9]{1,20})/?"),),
        page=lambda ids: f"https://{ids['host']}/@{ids['user']}/{ids['id']}",
    ),
)
LINK = Provider(key="link", label="", kind="card", noun="page", hosts=ANY_HOST, routes=(), page=lambda ids: ids["url"])
IFRAME_PROVIDERS = [provider.key for provider in PROVIDERS if provider.kind == "iframe"]
NAMED_HOSTS = frozenset().union(*(provider.hosts for provider in PROVIDERS if provider.hosts != ANY_HOST))


@dataclass(frozen=True)
class Link:
    """Where an embed's address leads: the provider, the page (built from the ids for a known
    provider, the pasted address cleaned for a plain link) and its host, for the card."""

    provider: Provider
    url: str
    host: str


@dataclass(frozen=True)
class Embed:
    """A live iframe provider's player for an address."""

    provider: Provider
    src: str  # on the privacy-friendly host, built from the ids
    host: str  # the player's host (the CSP's frame-src names it)
    url: str  # the provider's own page, for readers without JavaScript and in print


def clean_url(value: str) -> str | None:
    """The pasted address as a body may keep it: https (http is upgraded), a real host name (in
    lower case, an IDN in its ASCII form), no user name or password, no control, invisible or
    space character, at most MAX_URL_LENGTH characters; None for anything else (javascript:,
    data:, a relative or a broken address)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > MAX_URL_LENGTH or FORBIDDEN.search(value):
        return None
    # C: control, format (bidi overrides, zero-width), surrogates, unassigned; Z: every space.
    if any(unicodedata.category(character)[0] in "CZ" for character in value):
        return None
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:  # a port that is not a number, or out of range; a broken IPv6 literal
        return None
    if parts.scheme.lower() not in ("http", "https") or "@" in parts.netloc:
        return None
    host = _ascii_host(parts.hostname)
    if host is None:
        return None
    if (parts.scheme.lower(), port) in (("http", 80), ("https", 443)):  # the scheme's default
        port = None
    netloc = host if port is None else f"{host}:{port}"
    cleaned = urlunsplit(("https", netloc, parts.path or "/", parts.query, parts.fragment))
    return cleaned if len(cleaned) <= MAX_URL_LENGTH else None


def _ascii_host(host: str | None) -> str | None:
    """A DNS name of two labels or more, in its ASCII form (IDNA); no IP address, no "localhost"."""
    if not host:
        return None
    try:
        host = host.removesuffix(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    labels = host.split(".")
    if len(host) > 253 or len(labels) < 2 or not all(HOST_LABEL.fullmatch(label) for label in labels):
        return None
    return host if TOP_LEVEL.fullmatch(labels[-1]) else None


def _match(url: str) -> tuple[Provider, dict[str, str]] | None:
    """The provider that claims the address and its ids (with the host); None if unusable."""
    cleaned = clean_url(url)
    if cleaned is None:
        return None
    parts = urlsplit(cleaned)
    host = parts.hostname or ""
    if parts.port is None:
        for provider in PROVIDERS:
            if provider.hosts == ANY_HOST and host in NAMED_HOSTS:
                continue  # a named provider's address it does not accept is a plain link
            ids = provider.ids(host, parts)
            if ids is not None:
                return provider, {**ids, "host": host}
    return LINK, {"url": cleaned, "host": host}


def provider_for(url: str) -> str:
    """The key of the provider that claims the address ("link" when none does, or when the
    address is unusable: the sanitiser drops those)."""
    found = _match(url)
    return found[0].key if found else LINK.key


def live_providers() -> list[str]:
    """The iframe providers whose players pages may load (settings.NEWSROOM_EMBED_PROVIDERS)."""
    return [key for key in settings.NEWSROOM_EMBED_PROVIDERS if key in IFRAME_PROVIDERS]


def link_for(url: str) -> Link | None:
    found = _match(url)
    if found is None:
        return None
    provider, ids = found
    page = provider.page(ids)
    return Link(provider=provider, url=page, host=urlsplit(page).hostname or "")


def embed_for(url: str) -> Embed | None:
    """The player for the address: only for a live iframe provider, None for anything else (a
    card, a provider not allowed, an unusable address)."""
    found = _match(url)
    if found is None:
        return None
    provider, ids = found
    if provider.player is None or provider.key not in live_providers():
        return None
    return Embed(provider=provider, src=provider.player(ids), host=provider.player_host, url=provider.page(ids))


def frame_hosts(keys: list[str] | None = None) -> list[str]:
    """The hosts the CSP's frame-src allows: the players of the given (by default the live)
    iframe providers, nothing else."""
    keys = live_providers() if keys is None else keys
    return [provider.player_host for provider in PROVIDERS if provider.player and provider.key in keys]


def check_providers(keys: list[str]) -> list[str]:
    """The setting's keys, lower-cased, each one an iframe provider's; an unknown key is a
    configuration error naming it."""
    keys = [key.lower() for key in keys]
    if unknown := [key for key in keys if key not in IFRAME_PROVIDERS]:
        raise ImproperlyConfigured(
            f"NEWSROOM_EMBED_PROVIDERS: {', '.join(unknown)} is not an iframe provider; "
            f"choose among {', '.join(IFRAME_PROVIDERS)} (or leave it empty for link cards only)."
        )
    return keys
