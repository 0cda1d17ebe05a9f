"""Wire packages (#14): a ninjs composite with a text story imports as one draft with its lead
image; further pictures, video and anything unusable are listed on the draft with a reason.

The packages are built from the shapes of the shared agency examples (tests/ninjs/examples): the
AP picture (v2.1-ap_image.json) as the main picture, the AP text story (v3.0-ninjsExSimpleText_3)
as the text association of a 3.x package. Their files come beside the JSON (a zip, a folder) or
from a real HTTP server on loopback that a test allows explicitly.
"""

import io
import json
import socket
import time
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from articles.models import Article, WireAttachment
from newsroom.lib.images import accepted_formats
from wire import fetch
from wire.importer import import_document
from wire.packages import FolderFiles, package_path

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parent / "ninjs" / "examples"
IMPORT_PAGE = "/admin/articles/article/import-ninjs/"
AP_CAPTION_START = "FILE - In this Monday, Nov. 11, 2019 file photo"
CAMEL = {
    "contenttype": "contentType", "sizeinbytes": "sizeInBytes", "firstcreated": "firstCreated",
    "versioncreated": "versionCreated", "pubstatus": "pubStatus", "usageterms": "usageTerms", "ednote": "edNote",
    "infosources": "infoSources", "copyrightholder": "copyrightHolder",
}  # fmt: skip


def picture_bytes(width=640, height=480, kind="JPEG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 90, 40)).save(buffer, kind)
    return buffer.getvalue()


def example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text())


def in_3x(value):
    """A 2.x association spelled as 3.x spells it (places' geojson is `geometry` there: left out)."""
    if isinstance(value, dict):
        value = {key: item for key, item in value.items() if key != "places"}
        return {CAMEL.get(key, key): in_3x(item) for key, item in value.items()}
    return [in_3x(item) for item in value] if isinstance(value, list) else value


def ap_picture(href: str, *, name: str = "mainpic", **changes) -> dict:
    """The AP picture example as an association, its main rendition at `href`."""
    picture = {"name": name, **example("v2.1-ap_image.json")}
    picture["renditions"] = [{**picture["renditions"][0], "href": href}]
    return {**picture, **changes}


def composite_2x(*associations: dict) -> dict:
    """A 2.x package with its own headline and body, like AP's."""
    return {
        "uri": "urn:agency:package:bridge",
        "type": "composite",
        "version": "1",
        "headlines": [{"role": "main", "value": "Bridge reopens after repairs"}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>The bridge reopened on Monday.</p>"}],
        "by": "Asha Verma",
        "associations": list(associations),
    }


def composite_3x_text_in_associations(*others: dict) -> dict:
    """A 3.x package with no text of its own: its story is the AP text example, an association."""
    text = {"name": "text", "rel": "story", **example("v3.0-ninjsExSimpleText_3.json")}
    return {
        "uri": "urn:agency:package:cruise",
        "type": "composite",
        "version": "2",
        "standard": {"name": "ninjs", "version": "3.1"},
        "associations": [text, *others],
    }


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def upload(client, editor, name: str, content: bytes) -> str:
    client.force_login(editor)
    response = client.post(IMPORT_PAGE, {"files": [SimpleUploadedFile(name, content)]})
    assert response.status_code == 200
    return response.content.decode()


def attachments(article: Article) -> list[tuple[str, bool, str]]:
    """What the draft lists: kind, whether a picture was kept, and the note."""
    return [(row.kind, row.picture_id is not None, row.note) for row in article.wire_attachments.all()]


def import_folder(folder: Path) -> str:
    out = io.StringIO()
    call_command("import_ninjs", str(folder), stdout=out)
    return out.getvalue()


# Packages that arrive with their files.


def test_a_zipped_package_imports_as_one_draft_with_its_main_picture_as_lead_image(client, editor):
    package = composite_2x(
        ap_picture("images/second.png", name="gallery1", headlines=[{"role": "main", "value": "The crowd"}]),
        ap_picture("images/main.jpg"),
    )
    archive = zipped(
        {
            "bridge/package.json": json.dumps(package).encode(),
            "bridge/images/main.jpg": picture_bytes(),
            "bridge/images/second.png": picture_bytes(300, 200, "PNG"),
        }
    )
    page = upload(client, editor, "bridge.zip", archive)
    assert "1 imported" in page and "lead image “Turkey Islamic State”" in page
    article = Article.objects.get(source_uri="urn:agency:package:bridge")
    assert article.headline == "Bridge reopens after repairs" and article.status == Article.Status.DRAFT
    lead = article.lead_image
    assert (lead.alt_text, lead.credit, lead.caption[:47]) == (
        "Turkey Islamic State",
        "ASSOCIATED PRESS",
        AP_CAPTION_START,
    )
    assert attachments(article) == [("picture", True, "")]
    assert "1 more picture for the editor" in page
    form = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "From the agency's package (1)" in form and "Picture: <a href=" in form and "The crowd" in form


def test_without_a_main_picture_the_first_picture_leads(client, editor):
    package = composite_2x(
        ap_picture("a.jpg", name="photo1", headlines=[{"role": "main", "value": "First"}]),
        ap_picture("b.jpg", name="photo2", headlines=[{"role": "main", "value": "Second"}]),
    )
    archive = zipped({"p.json": json.dumps(package).encode(), "a.jpg": picture_bytes(), "b.jpg": picture_bytes()})
    upload(client, editor, "p.zip", archive)
    article = Article.objects.get(source_uri="urn:agency:package:bridge")
    assert [article.lead_image.alt_text, article.wire_attachments.get().picture.alt_text] == ["First", "Second"]


def test_a_package_whose_text_is_an_association_imports_the_story_and_lists_the_video(tmp_path):
    video = {
        "name": "video1",
        "uri": "urn:agency:video:1",
        "type": "video",
        "headlines": [{"value": "Cruise ship trial, the video"}],
        "renditions": [{"name": "main", "href": "clip.mp4", "contentType": "video/mp4"}],
    }
    package = composite_3x_text_in_associations(in_3x(ap_picture("main.jpg", rel="mainpic")), video)
    (tmp_path / "cruise.json").write_text(json.dumps(package))
    (tmp_path / "main.jpg").write_bytes(picture_bytes())
    output = import_folder(tmp_path)
    assert "imported:" in output and "lead image “Turkey Islamic State”" in output
    assert "video Cruise ship trial, the video: a video is not shown on our story pages" in output
    article = Article.objects.get(source_uri="urn:agency:package:cruise")
    assert article.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert article.body.startswith("<p>GROSSETO, Italy (AP)")
    assert attachments(article) == [("video", False, "a video is not shown on our story pages: listed for the editor")]


def test_a_package_without_a_text_story_is_skipped_with_the_reason():
    package = {
        "uri": "urn:agency:gallery",
        "type": "composite",
        "headlines": [{"value": "Pictures of the day"}],
        "associations": [ap_picture("x.jpg")],
    }
    outcome = import_document("gallery.json", json.dumps(package).encode())
    assert (outcome.status, outcome.message) == (
        "skipped",
        "type composite (a package) carries no text story: no body of its own and no text association",
    )


def test_importing_the_package_again_replaces_what_it_listed(tmp_path):
    (tmp_path / "p.json").write_text(json.dumps(composite_2x(ap_picture("gone.jpg"))))
    import_folder(tmp_path)
    (tmp_path / "main.jpg").write_bytes(picture_bytes())
    (tmp_path / "p.json").write_text(json.dumps({**composite_2x(ap_picture("main.jpg")), "version": "2"}))
    assert "updated:" in import_folder(tmp_path)
    article = Article.objects.get(source_uri="urn:agency:package:bridge")
    assert (article.lead_image.alt_text, attachments(article)) == ("Turkey Islamic State", [])


# Pictures that cannot be had: the story imports, the draft says why.


def test_a_missing_file_and_a_file_that_is_no_picture_are_listed_with_the_reason(tmp_path):
    (tmp_path / "p.json").write_text(
        json.dumps(composite_2x(ap_picture("nowhere.jpg"), ap_picture("fake.jpg", name="photo2")))
    )
    (tmp_path / "fake.jpg").write_text("<svg onload=alert(1)>")
    output = import_folder(tmp_path)
    assert "imported:" in output
    notes = [note for _, _, note in attachments(Article.objects.get())]
    assert notes == [
        "the lead picture not used: nowhere.jpg is not in the package's folder",
        f"not used: fake.jpg: This file is not a picture we accept. Upload a {accepted_formats()} file.",
    ]
    assert "the lead picture not used: nowhere.jpg is not in the package's folder" in output


@pytest.mark.parametrize(
    ("href", "reason"),
    [
        ("../outside.jpg", "'..' leads out of the package"),
        ("images/../../outside.jpg", "'..' leads out of the package"),
        ("%2e%2e/outside.jpg", "'..' leads out of the package"),
        ("/etc/passwd", "an absolute path leads out of the package"),
        ("C:/Windows/win.ini", "a drive letter leads out of the package"),
        ("images\\main.jpg", "backslashes are not allowed"),
        ("file:///etc/passwd", "only http and https addresses are fetched"),
    ],
)
def test_a_path_out_of_the_package_is_refused_and_the_story_imports(tmp_path, href, reason):
    package_folder = tmp_path / "package"
    package_folder.mkdir()
    (tmp_path / "outside.jpg").write_bytes(picture_bytes())
    (package_folder / "p.json").write_text(json.dumps(composite_2x(ap_picture(href))))
    output = import_folder(package_folder)
    article = Article.objects.get()
    assert article.lead_image is None and "imported:" in output
    [(kind, kept, note)] = attachments(article)
    assert kind == "picture" and not kept and reason in note


def test_a_picture_through_a_symbolic_link_is_refused(tmp_path):
    package_folder = tmp_path / "package"
    (package_folder / "images").mkdir(parents=True)
    (tmp_path / "secret.jpg").write_bytes(picture_bytes())
    (package_folder / "images" / "main.jpg").symlink_to(tmp_path / "secret.jpg")
    (tmp_path / "elsewhere").mkdir()
    (package_folder / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere" / "b.jpg").write_bytes(picture_bytes())
    package = composite_2x(ap_picture("images/main.jpg"), ap_picture("linked/b.jpg", name="photo2"))
    (package_folder / "p.json").write_text(json.dumps(package))
    import_folder(package_folder)
    assert [note for _, _, note in attachments(Article.objects.get())] == [
        "the lead picture not used: images/main.jpg is refused: it goes through a symbolic link",
        "not used: linked/b.jpg is refused: it goes through a symbolic link",
    ]


def test_a_symbolic_link_in_a_zip_is_refused(client, editor):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("p.json", json.dumps(composite_2x(ap_picture("main.jpg"))))
        link = zipfile.ZipInfo("main.jpg")
        link.external_attr = (0o120777 << 16) | 0x20
        archive.writestr(link, "/etc/passwd")
    page = upload(client, editor, "p.zip", buffer.getvalue())
    assert "1 imported" in page and "main.jpg is refused: it is a symbolic link" in page


def test_a_picture_named_by_url_is_not_fetched_from_a_host_not_listed(settings):
    settings.WIRE_FETCH_HOSTS = []
    outcome = import_document("p.json", json.dumps(composite_2x(ap_picture("https://api.ap.org/x.jpg"))).encode())
    assert outcome.status == "imported"
    assert "api.ap.org is not among the hosts we fetch from (NEWSROOM_WIRE_FETCH_HOSTS)" in outcome.message


def test_a_package_sent_without_its_files_lists_its_pictures():
    outcome = import_document("p.json", json.dumps(composite_2x(ap_picture("main.jpg"))).encode())
    assert "main.jpg was not sent with the package (it came without its files)" in outcome.message


@given(st.text(alphabet=st.sampled_from("./\\:%2eC\x00ab"), max_size=20) | st.text(max_size=30))
def test_no_href_becomes_a_path_that_leaves_the_package(href):
    try:
        path = package_path(href)
    except fetch.Unavailable:
        return
    assert not path.is_absolute() and ".." not in path.parts and "\\" not in str(path)
    assert (Path("/package") / path).resolve().is_relative_to(Path("/package"))


def test_folder_files_never_read_outside_the_folder(tmp_path):
    (tmp_path / "outside.jpg").write_bytes(b"x")
    (tmp_path / "package").mkdir()
    with pytest.raises(fetch.Unavailable, match="leads out of the package"):
        FolderFiles(tmp_path / "package").read("../outside.jpg")


# Pictures fetched over HTTP: only listed hosts, only public addresses, no redirects, within limits.


@pytest.fixture
def loopback_allowed(settings):
    """The one override the fetch tests need: our test server listens on 127.0.0.1."""
    settings.WIRE_FETCH_HOSTS = ["127.0.0.1", "agency.test"]
    settings.WIRE_FETCH_ALLOW_PRIVATE = True
    return settings


def test_a_picture_from_an_allowed_server_becomes_the_lead_image(file_server, loopback_allowed):
    file_server.routes["/pictures/main.jpg"] = (200, {"Content-Type": "image/jpeg"}, picture_bytes())
    package = composite_2x(ap_picture(f"{file_server.base}/pictures/main.jpg?role=main"))
    outcome = import_document("p.json", json.dumps(package).encode())
    assert outcome.status == "imported" and "lead image “Turkey Islamic State”" in outcome.message
    assert Article.objects.get().lead_image.width == 640
    assert [path for path, _ in file_server.requests] == ["/pictures/main.jpg?role=main"]


def test_the_checked_address_is_the_one_connected_to_and_the_host_is_sent(file_server, loopback_allowed, monkeypatch):
    file_server.routes["/main.jpg"] = (200, {}, picture_bytes())
    real, lookups = socket.getaddrinfo, []

    def resolver(host, *args, **kwargs):
        if host == "agency.test":
            lookups.append(host)
            return real("127.0.0.1", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    assert fetch.fetch(f"http://agency.test:{file_server.port}/main.jpg", max_bytes=10**6) == picture_bytes()
    assert lookups == ["agency.test"], "resolved once: no second lookup that could answer differently"
    assert file_server.requests == [("/main.jpg", f"agency.test:{file_server.port}")]


def test_a_listed_name_that_resolves_to_loopback_is_refused(file_server, settings):
    settings.WIRE_FETCH_HOSTS = ["localhost"]
    file_server.routes["/main.jpg"] = (200, {}, picture_bytes())
    package = composite_2x(ap_picture(f"http://localhost:{file_server.port}/main.jpg"))
    outcome = import_document("p.json", json.dumps(package).encode())
    assert outcome.status == "imported"
    assert "localhost resolves to" in outcome.message and "a private or reserved address: refused" in outcome.message
    assert file_server.requests == [], "nothing was sent to it"


@pytest.mark.parametrize(
    "address",
    ["10.1.2.3", "192.168.0.10", "172.16.5.4", "169.254.169.254", "224.0.0.1", "0.0.0.0", "::1", "fe80::1"],  # noqa: S104 - refused, never bound
)
def test_a_listed_name_that_resolves_to_a_private_address_is_refused_before_connecting(settings, monkeypatch, address):
    settings.WIRE_FETCH_HOSTS = ["media.agency.example"]
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *args, **kwargs: [(family, socket.SOCK_STREAM, 6, "", (address, 443))]
    )

    def no_connection(*args, **kwargs):
        raise AssertionError("connected to a refused address")

    monkeypatch.setattr(socket, "create_connection", no_connection)
    with pytest.raises(fetch.Unavailable, match=f"resolves to {address}, a private or reserved address: refused"):
        fetch.fetch("https://media.agency.example/p.jpg", max_bytes=10**6)


def test_a_redirect_is_not_followed(file_server, loopback_allowed):
    file_server.routes["/moved.jpg"] = (302, {"Location": "http://169.254.169.254/latest/"}, b"")
    with pytest.raises(fetch.Unavailable, match="redirect to http://169.254.169.254/latest/: not followed"):
        fetch.fetch(f"{file_server.base}/moved.jpg", max_bytes=10**6)
    assert [path for path, _ in file_server.requests] == ["/moved.jpg"]


def test_a_body_larger_than_the_limit_is_cut(file_server, loopback_allowed):
    sent = []

    def endless(handler):
        handler.send_response(200)
        handler.end_headers()
        try:
            for _ in range(200):  # 12.8 MB if nobody stops reading
                handler.wfile.write(b"\xff" * 64_000)
                sent.append(64_000)
        except OSError:
            pass

    file_server.routes["/big.jpg"] = endless
    file_server.routes["/declared.jpg"] = (200, {"Content-Length": str(10**9)}, b"")
    with pytest.raises(fetch.Unavailable, match="larger than 1 MB"):
        fetch.fetch(f"{file_server.base}/big.jpg", max_bytes=1_000_000)
    with pytest.raises(fetch.Unavailable, match="larger than 1 MB"):
        fetch.fetch(f"{file_server.base}/declared.jpg", max_bytes=1_000_000)


def test_a_server_too_slow_is_given_up(file_server, loopback_allowed, monkeypatch):
    monkeypatch.setattr(fetch, "FETCH_SECONDS", 0.5)

    def slow(handler):
        time.sleep(1.5)

    file_server.routes["/slow.jpg"] = slow
    started = time.monotonic()
    with pytest.raises(fetch.Unavailable, match="took longer than 0.5 seconds"):
        fetch.fetch(f"{file_server.base}/slow.jpg", max_bytes=10**6)
    assert time.monotonic() - started < 1.4


def test_a_fetched_file_that_is_no_picture_is_listed(file_server, loopback_allowed):
    file_server.routes["/main.jpg"] = (200, {"Content-Type": "image/jpeg"}, b"<html>login</html>")
    package = composite_2x(ap_picture(f"{file_server.base}/main.jpg"))
    outcome = import_document("p.json", json.dumps(package).encode())
    assert outcome.status == "imported" and "This file is not a picture we accept" in outcome.message
    assert WireAttachment.objects.get().picture is None
