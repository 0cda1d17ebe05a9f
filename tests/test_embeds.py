"""Embeds by URL: which provider claims a pasted address (exactly its hosts, nothing that looks like
them), the player built from the parsed ids only, the setting that chooses the live players, the
CSP's frame-src, and what the embed macro renders (a placeholder that loads nothing, a link card, a
feed's plain link)."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.template import engines
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from newsroom.lib.embeds import MAX_URL_LENGTH, clean_url, embed_for, frame_hosts, link_for, provider_for
from tests.factories import make_article, make_author

ROOT = Path(__file__).resolve().parents[1]
VIDEO = "dQw4w9WgXcQ"
PLAYERS = {
    "youtube": "https://www.youtube-nocookie.com",
    "vimeo": "https://player.vimeo.com",
    "datawrapper": "https://datawrapper.dwcdn.net",
    "flourish": "https://flo.uri.sh",
}
# Every player address embed_for() can give: built from ids of these shapes and nothing else.
PLAYER_SRC = re.compile(
    r"https://www\.youtube-nocookie\.com/embed/[A-Za-z0-9_-]{11}"
    r"|https://player\.vimeo\.com/video/[0-9]{1,12}\?(?:h=[0-9a-f]{6,20}&)?dnt=1"
    r"|https://datawrapper\.dwcdn\.net/[A-Za-z0-9]{5}/"
    r"|https://flo\.uri\.sh/(?:visualisation|story)/[0-9]{1,12}/embed"
)


@pytest.mark.parametrize(
    ("url", "src"),
    [
        (f"https://www.youtube.com/watch?v={VIDEO}", f"https://www.youtube-nocookie.com/embed/{VIDEO}"),
        (f"https://youtube.com/watch?feature=share&v={VIDEO}&t=42", f"https://www.youtube-nocookie.com/embed/{VIDEO}"),
        (f"https://m.youtube.com/watch?v={VIDEO}", f"https://www.youtube-nocookie.com/embed/{VIDEO}"),
        (f"https://youtu.be/{VIDEO}?si=tracking123", f"https://www.youtube-nocookie.com/embed/{VIDEO}"),
        (f"https://www.youtube.com/shorts/{VIDEO}", f"https://www.youtube-nocookie.com/embed/{VIDEO}"),
        (f"http://www.youtube.com/watch?v={VIDEO}", f"https://www.youtube-nocookie.com/embed/{VIDEO}"),
        (f"HTTPS://WWW.YOUTUBE.COM/watch?v={VIDEO}", f"https://www.youtube-nocookie.com/embed/{VIDEO}"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://vimeo.com/76979871/a1b2c3d4e5", "https://player.vimeo.com/video/76979871?h=a1b2c3d4e5&dnt=1"),
        ("https://player.vimeo.com/video/76979871?h=a1b2c3", "https://player.vimeo.com/video/76979871?h=a1b2c3&dnt=1"),
        ("https://datawrapper.dwcdn.net/Ab3xY/4/", "https://datawrapper.dwcdn.net/Ab3xY/"),
        ("https://www.datawrapper.de/_/Ab3xY/", "https://datawrapper.dwcdn.net/Ab3xY/"),
        ("https://public.flourish.studio/visualisation/1234567/", "https://flo.uri.sh/visualisation/1234567/embed"),
        ("https://public.flourish.studio/story/98765/", "https://flo.uri.sh/story/98765/embed"),
    ],
)
def test_a_players_address_is_built_on_its_privacy_host_from_the_ids(url, src):
    found = embed_for(url)
    assert found.src == src
    assert f"https://{found.host}" == PLAYERS[found.provider.key]
    assert "tracking" not in found.src and "t=42" not in found.src


@pytest.mark.parametrize(
    ("url", "key", "link"),
    [
        ("https://x.com/newsroom/status/1790000000000000000", "x", "https://x.com/newsroom/status/1790000000000000000"),
        ("https://twitter.com/newsroom/status/20?s=20&t=abc", "x", "https://x.com/newsroom/status/20"),
        ("https://www.instagram.com/p/C7abc_D-e1/?igsh=xyz", "instagram", "https://www.instagram.com/p/C7abc_D-e1/"),
        ("https://instagram.com/reel/C7abcDe12", "instagram", "https://www.instagram.com/reel/C7abcDe12/"),
        (
            "https://bsky.app/profile/newsroom.bsky.social/post/3kq2xyzabc22f",
            "bluesky",
            "https://bsky.app/profile/newsroom.bsky.social/post/3kq2xyzabc22f",
        ),
        (
            "https://mastodon.social/@newsroom/112233445566",
            "mastodon",
            "https://mastodon.social/@newsroom/112233445566",
        ),
        (
            "https://social.example.org/@desk@other.example/42",
            "mastodon",
            "https://social.example.org/@desk@other.example/42",
        ),
        ("https://example.org/report?id=3#findings", "link", "https://example.org/report?id=3#findings"),
        ("https://de.wikipedia.org/wiki/Zürich", "link", "https://de.wikipedia.org/wiki/Zürich"),
    ],
)
def test_a_post_is_a_link_card_on_the_providers_own_address(url, key, link):
    assert provider_for(url) == key
    assert embed_for(url) is None, "no player, no script: a card"
    assert link_for(url).url == link


@pytest.mark.parametrize(
    "url",
    [
        f"https://www.youtube.com.evil.example/watch?v={VIDEO}",
        f"https://evilyoutube.com/watch?v={VIDEO}",
        f"https://youtube.co/watch?v={VIDEO}",
        f"https://www.youtube-nocookie.com.evil.example/embed/{VIDEO}",
        f"https://evil.example/www.youtube.com/watch?v={VIDEO}",
        f"https://evil.example/?u=https://www.youtube.com/watch?v={VIDEO}",
        f"https://www.yоutube.com/watch?v={VIDEO}",  # a Cyrillic о
        f"https://www.youtube.com:8443/watch?v={VIDEO}",
        f"https://www.youtube.com/{VIDEO}",  # not a video address on youtube.com (only on youtu.be)
        f"https://youtu.be/watch?v={VIDEO}",
        "https://vimeo.com.evil.example/76979871",
        "https://datawrapper.dwcdn.net.evil.example/Ab3xY/",
        "https://public.flourish.studio.evil.example/visualisation/1/",
        "https://x.com.evil.example/a/status/1",
        "https://bsky.app/@someone/12345",  # Bluesky's host is not any Mastodon server
        f"https://www.youtube.com/@channel/{12345}",
    ],
)
def test_an_address_on_a_look_alike_or_a_wrong_path_is_only_a_plain_link(url):
    assert provider_for(url) == "link"
    assert embed_for(url) is None


def test_an_idn_host_is_shown_in_its_ascii_form_so_a_look_alike_shows():
    link = link_for(f"https://www.yоutube.com/watch?v={VIDEO}")
    assert link.host == "www.xn--yutube-wqf.com" and link.url.startswith("https://www.xn--yutube-wqf.com/")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)//https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        " javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "ftp://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "//www.youtube.com/watch?v=dQw4w9WgXcQ",
        "/watch?v=dQw4w9WgXcQ",
        "https:www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https:///www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
        "https://user:password@www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://evil.example\\@www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://evil.example\\.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ\x00",
        "https://www.you\x0btube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ\u202e",  # a bidi override
        "https://www.youtube.com/watch?v=dQw4\u200bw9WgXcQ",  # a zero-width space
        "https://www.youtube.com/watch?v=dQw4 w9WgXcQ",
        'https://www.youtube.com/watch?v=dQw4w9WgX"><script>alert(1)</script>',
        "https://www.youtube.com/watch?v=<svg/onload=alert(1)>",
        "https://www.youtube%2ecom/watch?v=dQw4w9WgXcQ",
        "https://127.0.0.1/watch?v=dQw4w9WgXcQ",
        "https://[::1]/watch?v=dQw4w9WgXcQ",
        "https://localhost/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com:99999/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com:port/watch?v=dQw4w9WgXcQ",
        f"https://{'a' * 64}.example/",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&pad=" + "x" * MAX_URL_LENGTH,
        "",
        "   ",
    ],
)
def test_an_unusable_address_is_refused_and_gives_no_player_and_no_link(url):
    assert clean_url(url) is None
    assert embed_for(url) is None and link_for(url) is None
    assert provider_for(url) == "link"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgX'c",  # a quote in the id: not an id
        "https://www.youtube.com/watch?v=dQw4w9WgXcQQ",  # twelve characters
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&v=aaaaaaaaaaa",  # two ids: which one?
        "https://www.youtube.com/watch?v=",
        "https://www.youtube.com/watch?v=dQw4w9WgX%22",
        "https://vimeo.com/76979871'onload='x",
        "https://datawrapper.dwcdn.net/Ab3x'/1/",
        "https://public.flourish.studio/visualisation/12'34/",
        "https://x.com/a'b/status/1",
    ],
)
def test_an_id_that_is_not_the_providers_shape_gives_no_player(url):
    assert embed_for(url) is None
    assert provider_for(url) == "link"


def test_http_is_upgraded_and_the_default_port_dropped():
    assert clean_url("http://Example.ORG:80/A?b=C#D") == "https://example.org/A?b=C#D"
    assert clean_url("https://example.org:443") == "https://example.org/"
    assert clean_url("https://example.org:8080/x") == "https://example.org:8080/x"
    assert link_for(f"http://youtu.be/{VIDEO}").url == f"https://www.youtube.com/watch?v={VIDEO}"


def test_an_address_of_the_longest_length_is_kept_and_one_more_character_is_not():
    base = "https://example.org/?q="
    assert clean_url(base + "x" * (MAX_URL_LENGTH - len(base))) is not None
    assert clean_url(base + "x" * (MAX_URL_LENGTH - len(base) + 1)) is None


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=300),
        st.builds(lambda tail: f"https://www.youtube.com/watch?v={tail}", st.text(max_size=40)),
        st.builds(lambda host, path: f"https://{host}/{path}", st.text(max_size=40), st.text(max_size=40)),
    )
)
def test_whatever_is_pasted_a_player_is_only_ever_one_of_the_known_shapes(url):
    found = embed_for(url)
    assert found is None or PLAYER_SRC.fullmatch(found.src), found
    link = link_for(url)
    if link is not None:
        assert link.url.startswith("https://") and not re.search(r"[\s<>\"`\\\x00-\x1f\x7f]", link.url)
        assert len(link.url) <= MAX_URL_LENGTH and "@" not in link.url.split("/")[2]


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.builds(lambda host, path: f"https://{host}/{path}", st.text(max_size=30), st.text(max_size=60)))
def test_a_cleaned_address_is_cleaned_again_to_itself(url):
    # The body is cleaned on every save and again on the way out: the address must not drift.
    cleaned = clean_url(url)
    assert cleaned is None or clean_url(cleaned) == cleaned


@pytest.mark.parametrize(
    "url",
    [
        f"https://youtu.be/{VIDEO}",
        "https://vimeo.com/76979871/a1b2c3d4e5",
        "https://www.datawrapper.de/_/Ab3xY/",
        "https://public.flourish.studio/story/98765/",
        "https://twitter.com/i/web/status/20",
        "https://instagram.com/reel/C7abcDe12",
        "https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx/post/3kq2",
        "https://mastodon.social/@newsroom/1122",
    ],
)
def test_the_link_readers_follow_is_read_as_the_same_provider_and_ids(url):
    link = link_for(url)
    assert provider_for(link.url) == provider_for(url) != "link"
    assert link_for(link.url) == link
    assert (embed_for(link.url) or link).url == (embed_for(url) or link).url


def test_a_provider_left_out_of_the_setting_falls_back_to_a_link_card(settings):
    settings.NEWSROOM_EMBED_PROVIDERS = ["vimeo"]
    assert embed_for(f"https://youtu.be/{VIDEO}") is None
    assert provider_for(f"https://youtu.be/{VIDEO}") == "youtube"  # still a YouTube video, shown as a card
    assert embed_for("https://vimeo.com/76979871") is not None
    assert frame_hosts() == ["player.vimeo.com"]
    page = render(block(f"https://youtu.be/{VIDEO}", "The mayor speaks"))
    assert page.select_one(".embed--card .embed__provider").get_text() == "Video on YouTube"
    assert not page.select("button, script")


# The settings module itself, with the environment variable: the policy's frame-src follows it.
def settings_with(**env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))}
    environment |= {
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    }
    environment |= {"DJANGO_SETTINGS_MODULE": "newsroom.settings", **env}
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps([settings.NEWSROOM_EMBED_PROVIDERS, settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['frame-src']]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("value", "providers", "frame_src"),
    [
        (None, ["youtube", "vimeo", "datawrapper", "flourish"], list(PLAYERS.values())),
        ("youtube, Datawrapper", ["youtube", "datawrapper"], [PLAYERS["youtube"], PLAYERS["datawrapper"]]),
        ("", [], ["'none'"]),
    ],
)
def test_the_setting_chooses_the_live_players_and_frame_src_names_exactly_their_hosts(value, providers, frame_src):
    result = settings_with(**({} if value is None else {"NEWSROOM_EMBED_PROVIDERS": value}))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [providers, frame_src]


@pytest.mark.parametrize("value", ["youtube,tiktok", "x"])
def test_a_key_that_is_not_an_iframe_provider_stops_the_site_with_its_name(value):
    result = settings_with(NEWSROOM_EMBED_PROVIDERS=value)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "is not an iframe provider" in result.stderr
    assert value.split(",")[-1] in result.stderr


@pytest.mark.django_db
def test_a_story_page_may_frame_exactly_the_live_players_and_nothing_else(client):
    article = make_article("Flood defences hold", authors=[make_author()])
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if " " in part.strip()
    )
    assert policy["frame-src"].split() == list(PLAYERS.values())
    assert "child-src" not in policy
    assert policy["script-src"] == "'self'", "embeds.js is ours; no provider's script"


# The macro, rendered by the readers' Jinja2 environment.
def block(url: str, text: str = "") -> SimpleNamespace:
    return SimpleNamespace(provider=provider_for(url), url=url, text=text)


def render(item, mode: str = "page") -> BeautifulSoup:
    template = engines["jinja2"].from_string('{% from "includes/embed.html" import embed %}{{ embed(item, mode) }}')
    return BeautifulSoup(template.render({"item": item, "mode": mode}), "html.parser")


def no_inline_code(page: BeautifulSoup) -> None:
    assert not page.find_all(style=True), "no style attributes (CSP)"
    assert not [tag for tag in page.find_all(True) if any(name.startswith("on") for name in tag.attrs)]
    assert all(script.get("src") and not script.string for script in page.find_all("script")), "no inline script"


@hypothesis_settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([f"https://youtu.be/{VIDEO}", "https://x.com/a/status/1", "https://example.org/", "javascript:x"]),
    st.text(max_size=80),
    st.text(max_size=40),
)
def test_whatever_the_editor_typed_the_markup_holds_nothing_active(url, text, tail):
    for mode in ("page", "feed"):
        page = render(block(url + tail, text), mode)
        no_inline_code(page)
        assert not page.select("iframe, img, link, object, embed")
        assert all(a["href"].startswith("https://") for a in page.find_all("a"))
        assert {script["src"] for script in page.find_all("script")} <= {"/static/js/embeds.js"}


def test_a_video_is_a_placeholder_that_requests_nothing_from_the_provider():
    page = render(block(f"https://www.youtube.com/watch?v={VIDEO}&list=PL1", "The mayor speaks"))
    figure = page.select_one("figure.embed--player")
    assert figure["data-embed-src"] == f"https://www.youtube-nocookie.com/embed/{VIDEO}"
    assert figure["data-embed-title"] == "Video on YouTube: The mayor speaks"
    assert not page.select("iframe, img, picture, link, video, object, embed, [srcset], [poster]")
    assert [tag["src"] for tag in page.find_all(src=True)] == ["/static/js/embeds.js"], "only our script has a src"
    assert page.select_one("script")["type"] == "module"
    button = figure.select_one("button.embed__load")
    assert button.get_text(strip=True) == "Load the video" and button["type"] == "button"
    privacy = figure.select_one(".embed__privacy")
    assert "Loads content from YouTube (youtube-nocookie.com)" in privacy.get_text()
    assert privacy.a["href"] == f"https://www.youtube.com/watch?v={VIDEO}"
    assert privacy.a.get_text() == "Open the video on YouTube"
    assert figure.select_one("figcaption").get_text(strip=True) == "The mayor speaks"
    no_inline_code(page)


def test_a_chart_asks_to_load_the_chart_in_a_taller_box():
    page = render(block("https://www.datawrapper.de/_/Ab3xY/", "Turnout by ward"))
    assert "embed--tall" in page.figure["class"]
    assert page.select_one("button").get_text(strip=True) == "Load the chart"
    assert "Loads content from Datawrapper (datawrapper.dwcdn.net)" in page.select_one(".embed__privacy").get_text()


def test_a_figures_caption_is_its_last_child_as_the_html_standard_asks():
    for url in [f"https://youtu.be/{VIDEO}", "https://x.com/a/status/1", "https://example.org/"]:
        figure = render(block(url, "Caption")).figure
        assert figure.find_all(True, recursive=False)[-1].name == "figcaption", url


@pytest.mark.parametrize(
    ("url", "label", "link", "host"),
    [
        ("https://x.com/newsroom/status/20", "Post on X", "Open the post on X", "(x.com)"),
        (
            "https://www.instagram.com/p/C7abcDe12/",
            "Post on Instagram",
            "Open the post on Instagram",
            "(www.instagram.com)",
        ),
        (
            "https://bsky.app/profile/a.bsky.social/post/3kq2",
            "Post on Bluesky",
            "Open the post on Bluesky",
            "(bsky.app)",
        ),
        (
            "https://mastodon.social/@newsroom/1122",
            "Post on Mastodon",
            "Open the post on Mastodon",
            "(mastodon.social)",
        ),
    ],
)
def test_a_post_is_a_link_card_with_the_editors_text_and_nothing_from_the_provider(url, label, link, host):
    page = render(block(url, "Water is over the bridge <script>alert(1)</script>"))
    card = page.select_one("figure.embed--card")
    assert card.select_one(".embed__provider").get_text() == label
    assert card.select_one(".embed__text").get_text() == "Water is over the bridge <script>alert(1)</script>"
    assert card.select_one("figcaption a").get_text() == link and card.select_one(".embed__host").get_text() == host
    assert not page.select("script, iframe, img, button, link")
    no_inline_code(page)


def test_any_other_address_is_a_plain_link_card_named_by_the_editors_text_or_the_address():
    page = render(block("https://example.org/report", "The council's report"))
    assert page.select_one(".embed--link a").get_text() == "The council's report"
    assert page.select_one(".embed__host").get_text() == "(example.org)"
    bare = render(block("https://example.org/report"))
    assert bare.select_one(".embed--link a").get_text() == "https://example.org/report"


def test_a_story_feed_carries_a_plain_link_for_every_embed():
    for url, text, href in [
        (f"https://youtu.be/{VIDEO}", "The mayor speaks", f"https://www.youtube.com/watch?v={VIDEO}"),
        ("https://x.com/newsroom/status/20", "", "https://x.com/newsroom/status/20"),
    ]:
        page = render(block(url, text), mode="feed")
        assert [tag.name for tag in page.find_all(True)] == ["p", "a"]
        assert page.a["href"] == href and page.a.get_text() == (text or href)


def test_an_unusable_address_renders_no_link_only_the_editors_text():
    for mode in ("page", "feed"):
        page = render(SimpleNamespace(provider="youtube", url="javascript:alert(1)", text="Caption"), mode)
        assert not page.find_all("a") and not page.find_all("script") and page.get_text(strip=True) == "Caption"


def test_the_stored_key_is_not_trusted_the_address_is_read_again():
    forged = SimpleNamespace(provider="youtube", url="https://evil.example/embed/dQw4w9WgXcQ", text="")
    page = render(forged)
    assert not page.select("[data-embed-src], button") and page.select_one(".embed--link")
