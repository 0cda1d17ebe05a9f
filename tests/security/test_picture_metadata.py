"""Pictures keep no hidden text (#13): the stored original and every rendition carry pixels only,
whatever EXIF, XMP, ICC profile, PNG text or JPEG comment the upload brought along."""

import io
import struct

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin, features

from articles.models import Article
from tests.factories import form_data, make_article, make_author

pytestmark = pytest.mark.django_db

SECRET = "secret"
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="secret-xmp-creator"/>'
    "</rdf:RDF></x:xmpmeta>"
)
METADATA_KEYS = {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "photoshop", "iptc"}


def icc_profile_described_as(description: str) -> bytes:
    """A working sRGB profile whose description tag says `description`."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    text = description.encode("utf-16-be")
    desc = b"mluc\0\0\0\0" + struct.pack(">II", 1, 12) + b"enUS" + struct.pack(">II", len(text), 28) + text
    profile += b"\0" * (-len(profile) % 4)
    (tags,) = struct.unpack(">I", profile[128:132])
    for at in range(132, 132 + 12 * tags, 12):
        if profile[at : at + 4] == b"desc":
            profile[at + 4 : at + 12] = struct.pack(">II", len(profile), len(desc))
    profile += desc
    profile[0:4] = struct.pack(">I", len(profile))
    profile[84:100] = bytes(16)  # no profile ID: it would no longer match
    return bytes(profile)


def exif_with_gps_and_artist() -> Image.Exif:
    exif = Image.Exif()
    exif[0x013B] = "secret-artist"
    exif[0x010E] = "secret-image-description"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (51.0, 30.0, 0.0), "W", (0.0, 7.0, 0.0)
    return exif


def png_text() -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "secret-text")
    info.add_text("Comment", "secret-ztxt", zip=True)
    info.add_itxt("Description", "secret-itxt", lang="en", tkey="Beschreibung")
    info.add_itxt("XML:com.adobe.xmp", XMP)
    return info


def hostile(image_format: str, mode: str = "RGB", **metadata) -> bytes:
    image = Image.new(mode, (800, 500), (30, 120, 200, 255)[: len(mode)])
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **metadata)
    assert SECRET.encode() in buffer.getvalue(), "the upload carries the secret"
    return buffer.getvalue()


def unreadable_icc_profile() -> bytes:
    return b"secret-icc-that-no-colour-engine-reads" * 8


UPLOADS = {
    "jpeg": lambda: hostile(
        "JPEG",
        exif=exif_with_gps_and_artist(),
        xmp=XMP.encode(),
        icc_profile=icc_profile_described_as("secret-icc-description"),
        comment=b"secret-comment",
    ),
    "jpeg-without-profile": lambda: hostile(
        "JPEG", exif=exif_with_gps_and_artist(), xmp=XMP.encode(), comment=b"secret-comment"
    ),
    "jpeg-unreadable-profile": lambda: hostile("JPEG", icc_profile=unreadable_icc_profile(), comment=b"secret-comment"),
    "png": lambda: hostile(
        "PNG",
        pnginfo=png_text(),
        icc_profile=icc_profile_described_as("secret-icc-description"),
        exif=exif_with_gps_and_artist(),
    ),
    "png-with-alpha": lambda: hostile(
        "PNG", "RGBA", pnginfo=png_text(), icc_profile=icc_profile_described_as("secret-icc-description")
    ),
    "png-unreadable-profile": lambda: hostile("PNG", pnginfo=png_text(), icc_profile=unreadable_icc_profile()),
    "webp": lambda: hostile(
        "WEBP",
        exif=exif_with_gps_and_artist(),
        xmp=XMP.encode(),
        icc_profile=icc_profile_described_as("secret-icc-description"),
    ),
    "webp-unreadable-profile": lambda: hostile(
        "WEBP", exif=exif_with_gps_and_artist(), xmp=XMP.encode(), icc_profile=unreadable_icc_profile()
    ),
}
if features.check("avif"):
    UPLOADS["avif-unreadable-profile"] = lambda: hostile(
        "AVIF", exif=exif_with_gps_and_artist(), xmp=XMP.encode(), icc_profile=unreadable_icc_profile()
    )


def jpeg_metadata(data: bytes) -> list[str]:
    """The markers before the picture data other than JFIF (APP0) and Adobe's colour transform (APP14)."""
    found, at = [], 2
    while at + 4 <= len(data) and data[at] == 0xFF and data[at + 1] != 0xDA:
        marker, (length,) = data[at + 1], struct.unpack(">H", data[at + 2 : at + 4])
        if marker == 0xFE:
            found.append("COM")
        elif 0xE1 <= marker <= 0xEF and marker != 0xEE:
            found.append(f"APP{marker - 0xE0}")
        at += 2 + length
    return found


def png_metadata(data: bytes) -> list[str]:
    found, at = [], 8
    while at + 8 <= len(data):
        (length,), kind = struct.unpack(">I", data[at : at + 4]), data[at + 4 : at + 8].decode("latin-1")
        if kind in {"tEXt", "zTXt", "iTXt", "iCCP", "eXIf"}:
            found.append(kind)
        at += 12 + length
    return found


def webp_metadata(data: bytes) -> list[str]:
    found, at = [], 12
    while at + 8 <= len(data):
        kind, (length,) = data[at : at + 4].decode("latin-1"), struct.unpack("<I", data[at + 4 : at + 8])
        if kind in {"ICCP", "EXIF", "XMP "}:
            found.append(kind)
        at += 8 + length + length % 2
    return found


METADATA_BLOCKS = {"JPEG": jpeg_metadata, "PNG": png_metadata, "WEBP": webp_metadata}


@pytest.fixture
def stored_files(client, editor):
    """Upload a picture as an editor does, and return every file stored for it, by name."""

    def upload(content: bytes) -> dict[str, bytes]:
        article = make_article("Flood story", status=Article.Status.DRAFT, authors=[make_author()])
        client.force_login(editor)
        data = form_data(article, image=SimpleUploadedFile("photo", content), image_alt="Flooded street")
        assert client.post(f"/admin/articles/article/{article.pk}/change/", data).status_code == 302
        article.refresh_from_db()
        picture = article.lead_image
        names = [picture.file.name, *(rendition["name"] for rendition in picture.renditions)]
        assert len(names) > 2, "the original and its renditions"
        files = {}
        for name in names:
            with default_storage.open(name, "rb") as stored:
                files[name] = stored.read()
        return files

    return upload


@pytest.mark.parametrize("upload", UPLOADS)
def test_no_secret_text_from_the_upload_is_in_any_stored_file(stored_files, upload):
    for name, data in stored_files(UPLOADS[upload]()).items():
        assert SECRET.encode() not in data, name
        assert SECRET.encode("utf-16-be") not in data, name  # ICC text tags are UTF-16


@pytest.mark.parametrize("upload", UPLOADS)
def test_pillow_finds_no_exif_xmp_profile_or_comment_in_any_stored_file(stored_files, upload):
    for name, data in stored_files(UPLOADS[upload]()).items():
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif(), f"EXIF in {name}"
            assert not METADATA_KEYS & set(image.info), f"{METADATA_KEYS & set(image.info)} in {name}"
            assert not {key for key, value in image.info.items() if isinstance(value, str)}, f"text in {name}"


@pytest.mark.parametrize("upload", UPLOADS)
def test_no_stored_file_has_a_metadata_block(stored_files, upload):
    for name, data in stored_files(UPLOADS[upload]()).items():
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
        if image_format in METADATA_BLOCKS:
            assert METADATA_BLOCKS[image_format](data) == [], name
