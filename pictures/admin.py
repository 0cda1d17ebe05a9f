from django.utils.html import format_html

from pictures.models import Picture


def picture_preview(picture: Picture | None, focal_for: str = "") -> str:
    """A small preview of the current picture for the change form, or a dash. With `focal_for`
    (the slot's prefix, pictures.forms.PictureSlot), a button opens the whole picture to click its
    focal point and see the crops it gives (static/desk/focal.js; the number boxes stay)."""
    if picture is None:
        return "–"
    thumb = picture.best("4x3", "jpeg", at_least=320)
    if thumb is None:
        return "Renditions not made yet (python manage.py make_renditions)."
    preview = format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" class="picture-preview"><br>{} × {} px',
        picture.url_of(thumb),
        thumb["width"],
        thumb["height"],
        picture.alt_text,
        picture.width,
        picture.height,
    )
    if not focal_for:
        return preview
    return format_html(
        '{}<br><button type="button" class="desk-focal-open" data-focal-for="{}" data-original="{}" '
        'data-width="{}" data-height="{}" hidden>Set the focal point on the picture</button>',
        preview,
        focal_for,
        picture.file.url,
        picture.width,
        picture.height,
    )
