from django.utils.html import format_html

from pictures.models import Picture


def picture_preview(picture: Picture | None) -> str:
    """A small preview of the current picture for the change form, or a dash."""
    if picture is None:
        return "–"
    thumb = picture.best("4x3", "jpeg", at_least=320)
    if thumb is None:
        return "Renditions not made yet (python manage.py make_renditions)."
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" class="picture-preview"><br>{} × {} px',
        picture.url_of(thumb),
        thumb["width"],
        thumb["height"],
        picture.alt_text,
        picture.width,
        picture.height,
    )
