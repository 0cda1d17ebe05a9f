"""Pictures for the demo content, drawn with Pillow: nothing is downloaded, every run draws the same."""

import io
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1600, 1067


def _sky(draw: ImageDraw.ImageDraw, top: tuple, bottom: tuple, height: int = HEIGHT) -> None:
    for y in range(height):
        t = y / height
        draw.line([(0, y), (WIDTH, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))


def night_bus() -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, (8, 14, 40), (40, 52, 96))
    rng = random.Random(1)  # noqa: S311 - shapes in a drawing, not a secret
    x = 0
    while x < WIDTH:
        w, h = rng.randint(90, 200), rng.randint(250, 620)
        draw.rectangle([x, 800 - h, x + w, 800], fill=(22, 26, 44))
        for wy in range(800 - h + 20, 790, 34):
            for wx in range(x + 12, x + w - 20, 28):
                if rng.random() < 0.45:
                    draw.rectangle([wx, wy, wx + 14, wy + 18], fill=(255, 214, 120))
        x += w + rng.randint(4, 20)
    draw.rectangle([0, 800, WIDTH, HEIGHT], fill=(34, 34, 38))
    for x in range(0, WIDTH, 160):
        draw.rectangle([x, 930, x + 90, 942], fill=(220, 220, 200))
    draw.rounded_rectangle([420, 640, 1180, 900], radius=28, fill=(200, 30, 36))
    for x in range(460, 1120, 110):
        draw.rounded_rectangle([x, 670, x + 90, 760], radius=8, fill=(255, 236, 170))
    for cx in (540, 1060):
        draw.ellipse([cx - 52, 850, cx + 52, 954], fill=(20, 20, 20))
        draw.ellipse([cx - 22, 880, cx + 22, 924], fill=(120, 120, 120))
    draw.ellipse([1150, 820, 1184, 854], fill=(255, 250, 200))
    return image


def central_bank() -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, (120, 170, 220), (215, 230, 242))
    draw.polygon([(300, 360), (800, 170), (1300, 360)], fill=(226, 220, 206))
    draw.rectangle([300, 360, 1300, 400], fill=(210, 203, 188))
    for x in range(340, 1280, 118):
        draw.rectangle([x, 400, x + 56, 820], fill=(236, 231, 220))
        draw.rectangle([x - 8, 400, x + 64, 420], fill=(214, 207, 192))
    draw.rectangle([300, 820, 1300, 860], fill=(200, 193, 178))
    for step in range(4):
        draw.rectangle(
            [260 - step * 30, 860 + step * 30, 1340 + step * 30, 890 + step * 30], fill=(188 - step * 8,) * 3
        )
    draw.rectangle([0, 980, WIDTH, HEIGHT], fill=(150, 146, 140))
    return image


def glacier() -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, (70, 130, 200), (200, 225, 245))
    draw.polygon(
        [(-100, 760), (380, 260), (700, 620), (1000, 180), (1500, 640), (1750, 420), (1750, 760)], fill=(92, 102, 120)
    )
    for peak, width in ((380, 120), (1000, 150), (1650, 90)):
        top = {380: 260, 1000: 180, 1650: 430}[peak]
        draw.polygon([(peak - width, top + width), (peak, top), (peak + width, top + width)], fill=(245, 248, 252))
    draw.polygon([(760, 760), (1000, 330), (1240, 760)], fill=(214, 232, 244))
    draw.rectangle([0, 760, WIDTH, HEIGHT], fill=(44, 104, 140))
    for y in range(780, HEIGHT, 26):
        draw.line([(200, y), (1400, y)], fill=(70, 130, 164), width=2)
    return image


def library() -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), (88, 58, 38))
    draw = ImageDraw.Draw(image)
    rng = random.Random(4)  # noqa: S311 - shapes in a drawing, not a secret
    colours = [(150, 40, 40), (40, 80, 130), (210, 170, 60), (60, 110, 70), (120, 70, 120), (230, 225, 210)]
    for shelf in range(5):
        top = 40 + shelf * 205
        x = 40
        while x < WIDTH - 60:
            w, h = rng.randint(22, 48), rng.randint(120, 175)
            draw.rectangle([x, top + 180 - h, x + w, top + 180], fill=rng.choice(colours))
            x += w + 3
        draw.rectangle([0, top + 180, WIDTH, top + 200], fill=(60, 38, 22))
    return image


def portrait(initials: str, colour: tuple) -> Image.Image:
    image = Image.new("RGB", (800, 800), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse([250, 150, 550, 450], fill=tuple(min(255, c + 60) for c in colour))
    draw.pieslice([130, 480, 670, 1020], 180, 360, fill=tuple(min(255, c + 60) for c in colour))
    font = ImageFont.load_default(size=120)
    draw.text((400, 700), initials, fill=(255, 255, 255), font=font, anchor="mm")
    return image


SCENES = {"night_bus": night_bus, "central_bank": central_bank, "glacier": glacier, "library": library}


def as_upload(image: Image.Image) -> ContentFile:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return ContentFile(buffer.getvalue(), name="demo.jpg")
