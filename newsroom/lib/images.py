"""Uploaded pictures: one validator, re-encoding of the original, and renditions. Pillow only.

- The format is decided by the content, never the file name: JPEG, PNG, WebP (and AVIF when
  Pillow reads it). Anything else (SVG, TIFF, EPS, HTML…) is refused with a clear message.
- Size and pixel limits are checked before the pixels are decoded.
- The stored original is re-encoded from the decoded pixels (appended bytes are gone), turned
  upright by its EXIF orientation and converted to sRGB.
- Every file we write (original and renditions) goes through `encode`, which writes pixels only: no
  EXIF, GPS, XMP, ICC profile, JPEG comment or PNG text, whatever Pillow would carry over by default.
- Renditions are cropped around a focal point to fixed aspect ratios and scaled to fixed widths,
  in WebP and JPEG. What was made is returned as data to be recorded in the database, so pages
  never ask the storage whether a file exists.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError, features

try:
    from PIL import ImageCms
except ImportError:  # Pillow built without LittleCMS: profiles are dropped unconverted
    ImageCms = None

READABLE = ["JPEG", "PNG", "WEBP", *(["AVIF"] if features.check("avif") else [])]
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif"}
NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "AVIF": "AVIF"}
WIDTHS = [320, 640, 960, 1280, 1920]
CROPS = {"16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1)}
RENDITION_FORMATS = {
    "webp": ("WEBP", {"quality": 80, "method": 3}),
    "jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
}
SRGB = ImageCms.createProfile("sRGB") if ImageCms else None
# Of everything Pillow reads into `info`, only PNG transparency (a colour, never text) is kept.
KEPT_INFO = {"PNG": {"transparency"}}
# Empty metadata, given explicitly: some savers otherwise copy it from `info` (a JPEG's comment, a
# PNG's or AVIF's ICC profile).
NO_METADATA = {"exif": b"", "xmp": b"", "icc_profile": None, "comment": b"", "pnginfo": None}


def max_bytes() -> int:
    return settings.IMAGE_MAX_BYTES


def max_pixels() -> int:
    return settings.IMAGE_MAX_PIXELS


@dataclass(frozen=True)
class CleanImage:
    """An upload that passed validation: the re-encoded original, ready to store."""

    content: bytes
    format: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def accepted_formats() -> str:
    """The formats we take, as every message and help text names them: "JPEG, PNG or WebP"."""
    names = [NAMES[name] for name in READABLE]
    return f"{', '.join(names[:-1])} or {names[-1]}"


def upload_limits() -> str:
    """What an upload may be, for help texts."""
    return f"{accepted_formats()}, at most {max_bytes() // 1_000_000} MB and {max_pixels() // 1_000_000} megapixels"


def empty_or_damaged(detail: str = "") -> str:
    return f"This file is empty or damaged{f' ({detail})' if detail else ''}. Upload a {accepted_formats()} file."


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_image")


def _to_srgb(image: Image.Image) -> Image.Image:
    profile = image.info.get("icc_profile")
    if not profile or ImageCms is None:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB"
        return ImageCms.profileToProfile(image, source, SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError):
        return image  # a broken profile is dropped with the rest of the metadata


def encode(image: Image.Image, image_format: str, **options) -> bytes:
    """The image's pixels in the given format, and no metadata: the one place we write image bytes.
    The image's `info` is emptied on the way, so a later save of it carries nothing either."""
    kept = KEPT_INFO.get(image_format, set())
    image.info = {key: value for key, value in image.info.items() if key in kept}
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **{**options, **NO_METADATA})
    return buffer.getvalue()


def clean_upload(upload) -> CleanImage:
    """Validate an uploaded file and return its re-encoded original; a ValidationError otherwise."""
    size = getattr(upload, "size", None)
    if size is None or size > max_bytes():
        raise _refuse(f"The file is larger than {max_bytes() // 1_000_000} MB. Upload a {accepted_formats()} file.")
    if not size:
        raise _refuse(empty_or_damaged())
    upload.seek(0)
    # Pillow's decompression-bomb guard, set explicitly: past our limit it is an error, not a warning.
    Image.MAX_IMAGE_PIXELS = max_pixels()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=READABLE) as image:
                source_format = image.format
                if image.width * image.height > max_pixels():
                    raise _refuse(f"The picture has more than {max_pixels() // 1_000_000} megapixels.")
                image.load()
                upright = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(f"The picture has more than {max_pixels() // 1_000_000} megapixels.") from None
    except UnidentifiedImageError:
        raise _refuse(f"This file is not a picture we accept. Upload a {accepted_formats()} file.") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise _refuse(empty_or_damaged(str(error))) from None

    upright = _to_srgb(upright)
    output_format = source_format
    if output_format == "JPEG" or upright.mode not in ("RGB", "RGBA", "L", "LA"):
        upright = upright.convert("RGBA" if output_format != "JPEG" and "A" in upright.mode else "RGB")
    content = encode(upright, output_format, **({"quality": 92} if output_format in ("JPEG", "WEBP", "AVIF") else {}))
    return CleanImage(content, output_format, upright.width, upright.height)


@dataclass(frozen=True)
class RenditionFile:
    crop: str
    width: int
    height: int
    format: str  # "webp" or "jpeg"
    content: bytes

    @property
    def suffix(self) -> str:
        return f"{self.crop}-{self.width}.{'jpg' if self.format == 'jpeg' else 'webp'}"


def crop_box(
    width: int, height: int, ratio: tuple[int, int], focal_x: float, focal_y: float
) -> tuple[int, int, int, int]:
    """The largest box of the given ratio inside the picture, centred as near the focal point as fits."""
    ratio_w, ratio_h = ratio
    box_w, box_h = width, width * ratio_h // ratio_w
    if box_h > height:
        box_w, box_h = height * ratio_w // ratio_h, height
    left = min(max(round(focal_x * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focal_y * height - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


def renditions(content: bytes, *, focal_x: float = 0.5, focal_y: float = 0.5) -> list[RenditionFile]:
    """Every crop at every width the original allows (never upscaled), in WebP and JPEG."""
    made = []
    with Image.open(io.BytesIO(content)) as original:
        original.load()
        for crop, ratio in CROPS.items():
            cropped = original.crop(crop_box(original.width, original.height, ratio, focal_x, focal_y))
            # The fixed widths below the crop's own, then the crop at full width (at most the largest
            # fixed width): never upscaled, and as large as the original allows.
            widths = sorted({*(w for w in WIDTHS if w < cropped.width), min(cropped.width, WIDTHS[-1])})
            scaled = cropped
            # Largest first, each scaled from the one before: far less work than from the original each time.
            for width in sorted(widths, reverse=True):
                height = round(width * ratio[1] / ratio[0])
                scaled = scaled.resize((width, height), Image.Resampling.LANCZOS)
                for name, (pil_format, options) in RENDITION_FORMATS.items():
                    image = scaled.convert("RGB") if pil_format == "JPEG" else scaled
                    made.append(RenditionFile(crop, width, height, name, encode(image, pil_format, **options)))
    return made
