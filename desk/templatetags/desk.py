"""What the desk's templates need beyond Django's."""

from django import template

from desk.models import person as person_name

register = template.Library()


@register.filter
def person(user) -> str:
    """A colleague as the desk names them (desk.models.person); “someone” for a deleted account."""
    return person_name(user) if user is not None else "someone"
