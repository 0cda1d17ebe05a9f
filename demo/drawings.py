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


def harbour() -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, (150, 185, 215), (230, 225, 210))
    rng = random.Random(5)  # noqa: S311 - shapes in a drawing, not a secret
    colours = [(180, 50, 40), (40, 90, 150), (60, 130, 80), (220, 160, 40), (120, 120, 130)]
    for row in range(4):
        for x in range(60, 860, 124):
            if rng.random() < 0.8:
                top = 700 - row * 62
                draw.rectangle([x, top, x + 118, top + 58], fill=rng.choice(colours))
    for x in (1080, 1340):
        draw.rectangle([x, 300, x + 24, 760], fill=(200, 80, 40))
        draw.rectangle([x + 150, 300, x + 174, 760], fill=(200, 80, 40))
        draw.rectangle([x - 160, 280, x + 260, 310], fill=(210, 90, 45))
        draw.rectangle([x + 60, 310, x + 100, 420], fill=(60, 60, 66))
    draw.rectangle([0, 760, WIDTH, 800], fill=(110, 110, 112))
    draw.rectangle([0, 800, WIDTH, HEIGHT], fill=(40, 80, 120))
    draw.polygon([(980, 820), (1560, 820), (1500, 900), (1030, 900)], fill=(30, 34, 44))
    for y in range(830, HEIGHT, 30):
        draw.line([(0, y), (960, y)], fill=(70, 110, 150), width=2)
    return image


def observatory() -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, (4, 6, 24), (30, 40, 80))
    rng = random.Random(6)  # noqa: S311 - shapes in a drawing, not a secret
    for _ in range(420):
        x, y, r = rng.randint(0, WIDTH), rng.randint(0, 760), rng.choice((1, 1, 2, 3))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 255, rng.randint(200, 255)))
    draw.line([(1120, 140), (1330, 260)], fill=(255, 240, 200), width=3)
    draw.polygon([(-50, 900), (400, 700), (900, 860), (1300, 720), (1700, 900)], fill=(16, 18, 30))
    draw.rectangle([0, 880, WIDTH, HEIGHT], fill=(16, 18, 30))
    draw.rectangle([520, 700, 820, 900], fill=(205, 208, 214))
    draw.pieslice([500, 560, 840, 840], 180, 360, fill=(225, 228, 234))
    draw.rectangle([650, 560, 690, 700], fill=(60, 66, 90))
    return image


def wetland() -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, (140, 190, 230), (235, 240, 225))
    draw.ellipse([1220, 120, 1360, 260], fill=(255, 236, 160))
    draw.polygon(
        [(-100, 560), (300, 440), (700, 520), (1100, 420), (1700, 540), (1700, 620), (-100, 620)], fill=(90, 140, 90)
    )
    draw.rectangle([0, 600, WIDTH, HEIGHT], fill=(120, 170, 90))
    draw.polygon([(600, 600), (900, 600), (1300, HEIGHT), (300, HEIGHT)], fill=(70, 130, 170))
    rng = random.Random(7)  # noqa: S311 - shapes in a drawing, not a secret
    for _ in range(260):
        x, y = rng.randint(0, WIDTH), rng.randint(640, HEIGHT)
        bank = (y - 600) / (HEIGHT - 600)  # the river widens towards the viewer
        if not 600 - 300 * bank - 10 < x < 900 + 400 * bank + 10:
            draw.line([(x, y), (x + rng.randint(-8, 8), y - rng.randint(30, 70))], fill=(60, 110, 50), width=4)
    return image


def parliament() -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, (110, 150, 200), (225, 215, 200))
    draw.rectangle([200, 520, 1400, 880], fill=(196, 178, 150))
    draw.rectangle([620, 360, 980, 520], fill=(206, 188, 160))
    draw.pieslice([640, 200, 960, 520], 180, 360, fill=(120, 150, 140))
    draw.rectangle([796, 110, 804, 210], fill=(70, 70, 70))
    draw.rectangle([804, 110, 900, 170], fill=(30, 90, 160))
    for x in range(240, 1380, 80):
        draw.rectangle([x, 580, x + 40, 680], fill=(90, 80, 70))
        draw.rectangle([x, 740, x + 40, 840], fill=(90, 80, 70))
    draw.rectangle([0, 880, WIDTH, HEIGHT], fill=(150, 146, 140))
    return image


def train() -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, (160, 200, 235), (240, 235, 220))
    draw.polygon([(-100, 600), (500, 380), (900, 560), (1300, 340), (1700, 600)], fill=(120, 150, 170))
    draw.rectangle([0, 600, WIDTH, HEIGHT], fill=(130, 170, 100))
    draw.rectangle([0, 820, WIDTH, 850], fill=(110, 100, 90))
    for x in range(0, WIDTH, 40):
        draw.rectangle([x, 850, x + 20, 860], fill=(80, 70, 60))
    draw.rounded_rectangle([260, 640, 1340, 820], radius=40, fill=(235, 235, 240))
    draw.rectangle([260, 760, 1340, 790], fill=(30, 110, 190))
    for x in range(330, 1260, 100):
        draw.rounded_rectangle([x, 670, x + 70, 730], radius=8, fill=(50, 60, 80))
    return image


def rain() -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, (70, 80, 96), (150, 156, 166))
    rng = random.Random(8)  # noqa: S311 - shapes in a drawing, not a secret
    x = 0
    while x < WIDTH:
        w, h = rng.randint(100, 220), rng.randint(300, 700)
        draw.rectangle([x, 820 - h, x + w, 820], fill=(rng.randint(80, 110),) * 3)
        x += w + rng.randint(6, 24)
    draw.rectangle([0, 820, WIDTH, HEIGHT], fill=(60, 66, 74))
    for x in range(100, WIDTH, 300):
        draw.ellipse([x, 900, x + 220, 950], fill=(110, 130, 150))
    for _ in range(500):
        x, y = rng.randint(0, WIDTH), rng.randint(0, HEIGHT)
        draw.line([(x, y), (x - 10, y + 40)], fill=(200, 210, 225), width=2)
    return image


def portrait(initials: str, colour: tuple) -> Image.Image:
    image = Image.new("RGB", (800, 800), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse([250, 150, 550, 450], fill=tuple(min(255, c + 60) for c in colour))
    draw.pieslice([130, 480, 670, 1020], 180, 360, fill=tuple(min(255, c + 60) for c in colour))
    font = ImageFont.load_default(size=120)
    draw.text((400, 700), initials, fill=(255, 255, 255), font=font, anchor="mm")
    return image


def logo() -> Image.Image:
    """The publisher's logo: a square, for search engines and feeds."""
    image = Image.new("RGB", (600, 600), (20, 40, 80))
    draw = ImageDraw.Draw(image)
    draw.rectangle([40, 40, 560, 560], outline=(255, 255, 255), width=12)
    draw.text((300, 270), "N", fill=(255, 255, 255), font=ImageFont.load_default(size=300), anchor="mm")
    draw.text((300, 480), "NEWSROOM", fill=(255, 255, 255), font=ImageFont.load_default(size=64), anchor="mm")
    return image


def share_card(site_name: str) -> Image.Image:
    """The default share image: the site's name on its colours, at the 1200 × 675 cards ask for."""
    image = Image.new("RGB", (1200, 675))
    draw = ImageDraw.Draw(image)
    for y in range(675):
        t = y / 675
        draw.line([(0, y), (1200, y)], fill=(round(20 + 20 * t), round(40 + 30 * t), round(80 + 60 * t)))
    draw.rectangle([80, 300, 1120, 306], fill=(255, 255, 255))
    draw.text((600, 230), site_name, fill=(255, 255, 255), font=ImageFont.load_default(size=110), anchor="mm")
    draw.text((600, 400), "News as it happens", fill=(210, 220, 240), font=ImageFont.load_default(size=56), anchor="mm")
    return image


SCENES = {
    "night_bus": night_bus,
    "central_bank": central_bank,
    "glacier": glacier,
    "library": library,
    "harbour": harbour,
    "observatory": observatory,
    "wetland": wetland,
    "parliament": parliament,
    "train": train,
    "rain": rain,
}


def as_upload(image: Image.Image) -> ContentFile:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return ContentFile(buffer.getvalue(), name="demo.jpg")
