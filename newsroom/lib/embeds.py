"""STAND-IN (h-render): the smallest provider_for() the sanitiser needs. h-embeds writes the real
module (providers, their URL patterns, frame hosts); the lead takes that one at merge."""

from urllib.parse import urlsplit

HOSTS = {
    "youtube": ("youtube.com", "youtu.be", "youtube-nocookie.com"),
    "vimeo": ("vimeo.com",),
    "datawrapper": ("datawrapper.de", "dwcdn.net"),
    "flourish": ("flourish.studio",),
    "x": ("x.com", "twitter.com"),
    "instagram": ("instagram.com",),
    "bluesky": ("bsky.app",),
}


def provider_for(url: str) -> str:
    """The key of the provider whose host the URL is on, or "link" when none claims it."""
    host = (urlsplit(url).hostname or "").lower()
    for key, hosts in HOSTS.items():
        if any(host == known or host.endswith(f".{known}") for known in hosts):
            return key
    return "link"
